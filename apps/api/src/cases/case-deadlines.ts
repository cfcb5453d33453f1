import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CASE_EVENT_TYPES,
  caseClock,
  caseDeadlines,
  caseStreamId,
  slaTableAt,
  type CaseDeadlines,
  type CaseEvent,
  type SlaPolicyChange,
  type WorkingCalendar,
} from '#domain';
import { recordedAs, type EventStore } from '#event-store';
import { SlaSettingsCache } from '../infrastructure/sla-settings.js';
import { CLOCK, EVENT_STORE, type Clock } from '../infrastructure/tokens.js';

/** The working calendar and the policies a reply's deadlines are computed under. */
export interface DeadlineSettings {
  calendar: WorkingCalendar;
  policies: readonly SlaPolicyChange[];
}

/**
 * The deadlines of cases at the reply's instant: each case's clock from its history (as the
 * case_sla read model keeps it, or its own stream when the read model has not seen it yet),
 * under the calendar and policies in force, through the domain's `caseDeadlines` — the same
 * clock the SLA worker raises alerts from and the metrics judge by.
 */
@Injectable()
export class CaseDeadlineReader {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly slaSettings: SlaSettingsCache,
  ) {}

  /** The reply's instant. */
  now(): Date {
    return this.clock.now();
  }

  settings(): Promise<DeadlineSettings> {
    return this.slaSettings.current();
  }

  /**
   * The deadlines of `cases`. A case given with the `version` its reply shows gets its clock
   * from at least that much of its stream: case_sla is a projection of its own and can lag
   * the row beside it, and a reply whose first response is recorded while its deadline still
   * runs contradicts itself — a case whose case_sla row has folded less than that is folded
   * from its own stream instead.
   */
  async forCases(
    cases: readonly { id: string; version?: number }[],
    now: Date,
    settings?: DeadlineSettings,
  ): Promise<Map<string, CaseDeadlines>> {
    const out = new Map<string, CaseDeadlines>();
    if (cases.length === 0) return out;
    const ids = cases.map((c) => c.id);
    const { calendar, policies } = settings ?? (await this.settings());
    const rows = (await this.dataSource.query(
      `SELECT case_id, version, facts->'history' AS history FROM case_sla WHERE case_id = ANY($1)`,
      [ids],
    )) as { case_id: string; version: number | null; history: CaseEvent[] }[];
    const found = new Map(rows.map((r) => [r.case_id, r]));
    for (const { id, version } of cases) {
      const row = found.get(id);
      let history = row?.history;
      const behind = version !== undefined && row?.version != null && row.version < version;
      if (!history || behind) {
        const { events } = await this.store.readStream(caseStreamId(id));
        history = events.map((e) => recordedAs<CaseEvent>(e, CASE_EVENT_TYPES));
      }
      const opened = history[0];
      if (!opened) continue;
      const clock = caseClock(
        history,
        slaTableAt(policies, new Date(opened.data.at)),
        calendar,
        now,
      );
      out.set(id, caseDeadlines(clock, calendar, now));
    }
    return out;
  }
}

/**
 * Each clock's deadline while it runs (not met, not stopped; the resolution and interim
 * clocks not while paused), as SQL over case_sla (alias `s`); NULL otherwise. The stored
 * instants are the clock's as of the case's last event, which is exact for a clock that is
 * not paused (only a running pause moves a deadline with time).
 */
export const RUNNING_DUE = {
  firstResponse: `CASE WHEN s.first_responded_at IS NULL AND NOT s.stopped THEN s.first_response_due_at END`,
  interimUpdate: `CASE WHEN s.resolved_at IS NULL AND NOT s.paused AND NOT s.stopped THEN s.interim_update_due_at END`,
  resolution: `CASE WHEN s.resolved_at IS NULL AND NOT s.paused AND NOT s.stopped THEN s.resolution_due_at END`,
} as const;
export type DeadlineClock = keyof typeof RUNNING_DUE;
export const DEADLINE_CLOCK_NAMES = Object.keys(RUNNING_DUE) as DeadlineClock[];

/** Overdue now: the clock runs and its deadline has passed (`:now`). */
export const overdueSql = (clock: DeadlineClock | 'any') =>
  clock === 'any'
    ? `(${DEADLINE_CLOCK_NAMES.map((c) => `${RUNNING_DUE[c]} < :now`).join(' OR ')})`
    : `${RUNNING_DUE[clock]} < :now`;

/** Some running clock falls due in [now, soon]: not yet overdue, due within the window. */
export const dueSoonSql = () =>
  `(${DEADLINE_CLOCK_NAMES.map((c) => `${RUNNING_DUE[c]} BETWEEN :now AND :soon`).join(' OR ')})`;
