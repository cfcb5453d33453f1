import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  caseStreamId,
  deadlineDecider,
  DomainError,
  type SlaPolicyChange,
  type WorkingCalendar,
} from '#domain';
import { handleCommand, WrongExpectedVersionError, type EventStore } from '#event-store';
import { currentSlaSettings } from './sla-settings.js';

export interface SlaClockOptions {
  now?: () => Date;
  /** Cases looked at per tick. */
  batchSize?: number;
  intervalMs?: number;
  log?: (entry: Record<string, unknown>) => void;
  /** The SLA settings in force (the API passes its per-process cache); read from their stream when left out. */
  settings?: () => ReturnType<typeof currentSlaSettings>;
}

export const SLA_CLOCK_ACTOR = 'system:sla-clock';
/** The advisory lock class of the clock's claims on cases (a key of its own: 'sla-clock'). */
export const SLA_CLOCK_LOCKS = 0x51a_c10c;

/**
 * The SLA clock: raises pre-breach warnings, overdue alerts and automatic 督办 as events.
 *
 * Each tick claims the cases whose next alert is due (`case_sla.next_alert_at`) a page at a
 * time, with advisory locks that other workers skip, so several workers share them, and sends
 * each a `CheckDeadlines` command. The case decides from its own events which alerts are
 * ready and not yet raised, and the append is checked against the version it read: two
 * workers looking at the same case at once cannot both raise an alert (the loser re-reads
 * and finds it raised).
 */
export class SlaClock {
  private readonly now: () => Date;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly options: SlaClockOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.batchSize = options.batchSize ?? 200;
    this.intervalMs = options.intervalMs ?? 30_000;
  }

  /** One pass: returns how many cases it checked and how many alerts it raised. */
  async tick(): Promise<{ checked: number; raised: number }> {
    const now = this.now();
    const settings = await (this.options.settings?.() ?? currentSlaSettings(this.store));
    const { calendar } = settings;
    let checked = 0;
    let raised = 0;
    // Page through every due case (claimed a page at a time), so cases whose row the
    // projection has not yet moved on cannot starve the others.
    let after: { at: Date; id: string } | null = null;
    for (;;) {
      const page = await this.claimPage(now, after, async (caseId) => {
        checked++;
        if (await this.check(caseId, calendar, settings.policies, now)) raised++;
      });
      const last = page.at(-1);
      if (!last || page.length < this.batchSize) break;
      after = { at: last.next_alert_at, id: last.case_id };
    }
    if (raised) this.options.log?.({ msg: 'sla.alerts_raised', cases: raised });
    return { checked, raised };
  }

  /**
   * One page of due cases, each checked while this worker holds it. A case is claimed with a
   * session advisory lock taken without a transaction: a row lock would give the page a
   * transaction id for as long as its checks run, and the global log shows no event committed
   * after the oldest running transaction began (see the event store's visibility rule), so
   * every projection and every read waiting for its own write would stall behind the page.
   * A case another worker holds is skipped; a lock dies with its connection, so a worker that
   * crashes frees its cases.
   */
  private async claimPage(
    now: Date,
    after: { at: Date; id: string } | null,
    each: (caseId: string) => Promise<void>,
  ): Promise<{ case_id: string; next_alert_at: Date }[]> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const rows = (await runner.query(
        `SELECT case_id, next_alert_at FROM case_sla
         WHERE next_alert_at <= $1 AND ($3::timestamptz IS NULL OR (next_alert_at, case_id) > ($3, $4))
         ORDER BY next_alert_at, case_id LIMIT $2`,
        [now, this.batchSize, after?.at ?? null, after?.id ?? ''],
      )) as { case_id: string; next_alert_at: Date }[];
      if (rows.length === 0) return rows;
      // unnest evaluates the lock once per case (a LIMIT beside it could take locks it drops).
      const claimed = (
        (await runner.query(
          `SELECT c AS case_id FROM unnest($1::text[]) WITH ORDINALITY AS u(c, n)
           WHERE pg_try_advisory_lock($2, hashtext(c)) ORDER BY n`,
          [rows.map((r) => r.case_id), SLA_CLOCK_LOCKS],
        )) as { case_id: string }[]
      ).map((r) => r.case_id);
      try {
        for (const caseId of claimed) await each(caseId);
      } finally {
        // All of this session's: a pooled connection holds no other session lock.
        if (claimed.length > 0) await runner.query(`SELECT pg_advisory_unlock_all()`);
      }
      return rows;
    } finally {
      await runner.release();
    }
  }

  /** Sends one case its CheckDeadlines; true when it raised something. */
  private async check(
    caseId: string,
    calendar: WorkingCalendar,
    policies: readonly SlaPolicyChange[],
    now: Date,
  ): Promise<boolean> {
    try {
      const id = randomUUID();
      const result = await handleCommand(
        this.store,
        deadlineDecider,
        caseStreamId(caseId),
        { type: 'CheckDeadlines', data: { calendar, policies } },
        { commandId: id, actor: SLA_CLOCK_ACTOR, correlationId: id, now },
        // A busy case is looked at again next tick: a short budget, not the users' one.
        { maxRetries: 5, retryBudgetMs: 500 },
      );
      return result.position !== null;
    } catch (error) {
      // A busy case is looked at again next tick; nothing was written.
      if (!(error instanceof WrongExpectedVersionError || error instanceof DomainError))
        throw error;
      this.options.log?.({ msg: 'sla.check_skipped', caseId, error: error.message });
      return false;
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .catch((error: unknown) =>
          this.options.log?.({
            msg: 'sla.tick_failed',
            error: error instanceof Error ? error.message : String(error),
          }),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.intervalMs);
        });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
