import { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import {
  comparePositions,
  formatPosition,
  type PostgresEventStore,
  type Position,
} from '#event-store';
import type { Projection } from './projection.js';

export interface ProjectorOptions {
  batchSize?: number;
  /** How long to wait for a wake-up before polling the log again. */
  pollIntervalMs?: number;
  /** Structured progress log: `batch.applying` before a batch, `batch.committed` after. */
  log?: (entry: Record<string, unknown>) => void;
}

interface CheckpointRow {
  name: string;
  transaction_id: string;
  global_position: string;
}

const toPosition = (row: CheckpointRow): Position => ({
  transactionId: BigInt(row.transaction_id),
  globalPosition: BigInt(row.global_position),
});

interface Waiter {
  readonly names: readonly string[];
  readonly position: Position;
  settle(ok: boolean): void;
}

/**
 * The channel a batch that changed a read model notifies on (at commit, with the
 * projection's name), so that processes caching replies computed from the read models —
 * wherever the projector runs — know to drop them.
 */
export const READ_MODEL_CHANGES = 'saolou_read_models';

/** How often waiting readers re-read the checkpoints (for a projector in another process). */
const WAIT_POLL_MS = 50;

/**
 * How a batch takes its checkpoints: `skip` leaves out those another transaction holds (the
 * running loop: several projectors share the work); `wait` waits for them, in name order
 * (so two waiting rounds cannot deadlock, and a skipping one never waits).
 */
type Lock = 'skip' | 'wait';
const LOCKS: Record<Lock, string> = { skip: 'FOR UPDATE SKIP LOCKED', wait: 'FOR UPDATE' };

/** How long a round waits for a row lock before it gives way to each projection alone. */
export const ROUND_LOCK_TIMEOUT_MS = 250;

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? (result as T[]) : []);

/**
 * Runs projections from the global log. Each batch reads the events after the
 * projection's checkpoint, applies them and moves the checkpoint in one transaction:
 * a crash at any point neither loses nor double-applies an event.
 *
 * The checkpoint row is locked with FOR UPDATE SKIP LOCKED for the batch, so several
 * projector processes can run side by side; each projection advances in one of them at
 * a time.
 */
export class Projector {
  private readonly committed = new EventEmitter();
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private running: Promise<void> | null = null;
  private stopping = false;
  private readonly waiters = new Set<Waiter>();
  /** The furthest checkpoint seen per projection (committed here, or read from the table). */
  private readonly latest = new Map<string, Position>();
  private polling = false;
  private readonly changeListeners = new Set<(projection: string) => void>();
  /** Committed batches and rounds of this process, and the events they read. */
  readonly stats = { batches: 0, events: 0 };

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PostgresEventStore,
    readonly projections: readonly Projection[],
    private readonly options: ProjectorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.committed.setMaxListeners(0);
  }

  /** Creates missing checkpoint rows (at the start of the log). */
  async init(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO projection_checkpoints (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`,
      [this.projections.map((p) => p.name)],
    );
  }

  /**
   * Applies one batch of one projection; returns how many events it read (0: caught up, or
   * busy in another transaction). `lock` `wait`: wait for a batch another transaction holds instead
   * of skipping it (catchUp's way to tell caught up from busy).
   */
  async runBatch(projection: Projection, lock: Lock = 'skip'): Promise<number> {
    let read = 0;
    let moved: Position | null = null;
    let changed = false;
    await this.dataSource.transaction(async (em) => {
      const [row] = rowsOf<CheckpointRow>(
        await em.query(
          `SELECT name, transaction_id::text, global_position::text FROM projection_checkpoints
           WHERE name = $1 ${LOCKS[lock]}`,
          [projection.name],
        ),
      );
      if (!row) return; // another projector holds this projection's batch
      const events = await this.store.readAll(
        { after: toPosition(row), limit: this.batchSize },
        em,
      );
      if (events.length === 0) return;
      read = events.length;
      const last = events[events.length - 1]!.position;
      this.options.log?.({
        msg: 'batch.applying',
        projection: projection.name,
        events: read,
        to: formatPosition(last),
      });
      const handled = events.filter((e) => projection.handles.has(e.type));
      if (handled.length) {
        await projection.apply(handled, em, { after: toPosition(row), to: last });
        // Delivered by PostgreSQL when (and only if) the batch commits.
        await em.query('SELECT pg_notify($1, $2)', [READ_MODEL_CHANGES, projection.name]);
        changed = true;
      }
      await em.query(
        `UPDATE projection_checkpoints SET transaction_id = $2::xid8, global_position = $3, updated_at = now()
         WHERE name = $1`,
        [projection.name, last.transactionId.toString(), last.globalPosition.toString()],
      );
      moved = last;
    });
    if (moved) {
      this.stats.batches++;
      this.stats.events += read;
      this.options.log?.({ msg: 'batch.committed', projection: projection.name, events: read });
      // Waiting readers of this process are settled from here, without a query.
      this.noteCheckpoint(projection.name, moved);
      this.settleWaiters();
      this.committed.emit('committed');
      if (changed) this.changed(projection.name);
    }
    return read;
  }

  /**
   * Calls `listener` after every committed batch of this process that changed a read model
   * (other processes' batches arrive as notifications on READ_MODEL_CHANGES).
   */
  onChange(listener: (projection: string) => void): void {
    this.changeListeners.add(listener);
  }

  private changed(projection: string): void {
    for (const listener of this.changeListeners) listener(projection);
  }

  /**
   * One round of several projections in one transaction: their checkpoints locked together
   * (SKIP LOCKED: a projection another process holds sits the round out), the log read once
   * from the furthest behind of them, each projection applied — in the given order — to the
   * events after its own checkpoint, and the checkpoints moved in one statement. Under load a
   * round costs one transaction and one read of the log instead of one of each per
   * projection, and the events are parsed once. Projections that are ahead of that read (a
   * rebuilt or new projection is far behind the others) get a read of their own from the
   * furthest behind of them, in the same round, so one lagging projection never holds the
   * others back. All or nothing: a round that fails is rolled back whole, and the caller runs
   * each projection alone (runBatch), so that a failing projection holds up only itself; a
   * round that waits more than ROUND_LOCK_TIMEOUT for a row lock (the SLA clock holds its
   * page of case_sla rows) gives way the same way, instead of holding every projection.
   * While one process's round holds the checkpoints, another process's rounds find none:
   * several projector processes take turns rather than share a round. Returns how many
   * events it read.
   */
  async runRound(
    projections: readonly Projection[] = this.projections,
    lock: Lock = 'skip',
  ): Promise<number> {
    if (projections.length === 1) return this.runBatch(projections[0]!, lock);
    let read = 0;
    const moves: { names: string[]; to: Position }[] = [];
    const changed: string[] = [];
    await this.dataSource.transaction(async (em) => {
      const rows = rowsOf<CheckpointRow>(
        await em.query(
          `SELECT name, transaction_id::text, global_position::text FROM projection_checkpoints
           WHERE name = ANY($1) ORDER BY name ${LOCKS[lock]}`,
          [projections.map((p) => p.name)],
        ),
      );
      if (rows.length === 0) return;
      // The checkpoints are held; what the projections write must not wait long.
      await em.query(`SET LOCAL lock_timeout = '${ROUND_LOCK_TIMEOUT_MS}ms'`);
      const after = new Map(rows.map((row) => [row.name, toPosition(row)]));
      let waiting = projections.filter((p) => after.has(p.name));
      while (waiting.length) {
        const from = waiting
          .map((p) => after.get(p.name)!)
          .reduce((a, b) => (comparePositions(a, b) <= 0 ? a : b));
        const events = await this.store.readAll({ after: from, limit: this.batchSize }, em);
        // Nothing after the furthest behind: nothing after any of them.
        if (events.length === 0) break;
        read += events.length;
        const last = events[events.length - 1]!.position;
        const within = waiting.filter((p) => comparePositions(after.get(p.name)!, last) < 0);
        waiting = waiting.filter((p) => !within.includes(p));
        this.options.log?.({
          msg: 'batch.applying',
          projection: within[0]!.name,
          projections: within.map((p) => p.name),
          events: events.length,
          to: formatPosition(last),
        });
        for (const projection of within) {
          const checkpoint = after.get(projection.name)!;
          const handled = events.filter(
            (e) => projection.handles.has(e.type) && comparePositions(e.position, checkpoint) > 0,
          );
          if (handled.length) {
            await projection.apply(handled, em, { after: checkpoint, to: last });
            changed.push(projection.name);
          }
        }
        moves.push({ names: within.map((p) => p.name), to: last });
      }
      if (moves.length === 0) return;
      // Delivered by PostgreSQL when (and only if) the round commits.
      if (changed.length)
        await em.query(`SELECT pg_notify($1, name) FROM unnest($2::text[]) AS name`, [
          READ_MODEL_CHANGES,
          changed,
        ]);
      for (const { names, to } of moves)
        await em.query(
          `UPDATE projection_checkpoints SET transaction_id = $2::xid8, global_position = $3, updated_at = now()
           WHERE name = ANY($1)`,
          [names, to.transactionId.toString(), to.globalPosition.toString()],
        );
    });
    if (moves.length) {
      this.stats.batches++;
      this.stats.events += read;
      this.options.log?.({
        msg: 'batch.committed',
        projections: moves.flatMap((m) => m.names),
        events: read,
      });
      for (const { names, to } of moves) for (const name of names) this.noteCheckpoint(name, to);
      this.settleWaiters();
      this.committed.emit('committed');
      for (const name of changed) this.changed(name);
    }
    return read;
  }

  /**
   * Runs rounds until every projection has read everything visible. A projection whose batch
   * another transaction holds (the running loop, another process) is waited for, not taken
   * as caught up.
   */
  async catchUp(): Promise<void> {
    for (;;) {
      let read = 0;
      try {
        read = await this.runRound(this.projections, 'wait');
      } catch (error) {
        this.roundFailed(error);
        // Each alone: the others move on, then the first failure is thrown.
        let failure: unknown = null;
        for (const projection of this.projections) {
          try {
            read += await this.runBatch(projection, 'wait');
          } catch (error) {
            failure ??= error;
          }
        }
        if (failure) throw failure;
      }
      if (read === 0) return;
    }
  }

  private roundFailed(error: unknown): void {
    this.options.log?.({
      msg: 'round.failed',
      error: error instanceof Error ? error.message : String(error),
    });
  }

  /** Runs until stop(): rounds while there is work, then waits for a wake-up or the poll interval. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = (async () => {
      // A failing projection runs alone, backing off on its own (doubling up to 30 s) until it
      // succeeds again; the others go on together.
      const failures = new Map<string, { count: number; retryAt: number }>();
      const alone = async (projection: Projection): Promise<number> => {
        const failed = failures.get(projection.name);
        if (failed && Date.now() < failed.retryAt) return 0;
        try {
          const read = await this.runBatch(projection);
          failures.delete(projection.name);
          return read;
        } catch (error) {
          // The batch rolled back: nothing of it was applied.
          const count = (failed?.count ?? 0) + 1;
          failures.set(projection.name, {
            count,
            retryAt: Date.now() + Math.min(30_000, this.pollIntervalMs * 2 ** (count - 1)),
          });
          this.options.log?.({
            msg: 'batch.failed',
            projection: projection.name,
            attempt: count,
            error: error instanceof Error ? error.message : String(error),
          });
          return 0;
        }
      };
      while (!this.stopping) {
        let read = 0;
        const together = this.projections.filter((p) => !failures.has(p.name));
        if (together.length) {
          try {
            read += await this.runRound(together);
          } catch (error) {
            this.roundFailed(error);
            for (const projection of together) {
              if (this.stopping) break;
              read += await alone(projection);
            }
          }
        }
        for (const projection of this.projections) {
          if (this.stopping) break;
          if (failures.has(projection.name)) read += await alone(projection);
        }
        if (read === 0 && !this.stopping) await this.store.wakeups.wait(this.pollIntervalMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.store.wakeups.wakeAll();
    await this.running;
    this.running = null;
  }

  async checkpoints(): Promise<Map<string, Position>> {
    const rows = rowsOf<CheckpointRow>(
      await this.dataSource.query(
        `SELECT name, transaction_id::text, global_position::text FROM projection_checkpoints`,
      ),
    );
    return new Map(rows.map((row) => [row.name, toPosition(row)]));
  }

  /**
   * Waits until the named projections have applied everything up to `position` (a
   * command's reply), for at most `timeoutMs`. True when they have.
   *
   * Every waiter of this process shares one wake-up: a batch committed here settles them
   * at once, without a query; for a projector in another process, one poll of the
   * checkpoints every `WAIT_POLL_MS` serves them all (150 waiting readers cost one query
   * per poll, not 150).
   */
  waitFor(names: readonly string[], position: Position, timeoutMs: number): Promise<boolean> {
    if (this.reached(names, position)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        names,
        position,
        settle: (ok) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), Math.max(0, timeoutMs));
      this.waiters.add(waiter);
      this.pollForWaiters();
    });
  }

  /** How many reads are waiting for a position (for /health). */
  get waiting(): number {
    return this.waiters.size;
  }

  private reached(names: readonly string[], position: Position): boolean {
    return names.every((name) => {
      const checkpoint = this.latest.get(name);
      return checkpoint !== undefined && comparePositions(checkpoint, position) >= 0;
    });
  }

  private settleWaiters(): void {
    for (const waiter of this.waiters)
      if (this.reached(waiter.names, waiter.position)) waiter.settle(true);
  }

  private noteCheckpoint(name: string, position: Position): void {
    const known = this.latest.get(name);
    if (!known || comparePositions(position, known) > 0) this.latest.set(name, position);
  }

  /** One loop for all waiters: re-read the checkpoints, settle who can go, sleep, repeat. */
  private pollForWaiters(): void {
    if (this.polling) return;
    this.polling = true;
    void (async () => {
      try {
        while (this.waiters.size > 0) {
          try {
            for (const [name, position] of await this.checkpoints())
              this.noteCheckpoint(name, position);
          } catch {
            // The database is away for a moment: the waiters time out if it stays away.
          }
          this.settleWaiters();
          if (this.waiters.size === 0) break;
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              this.committed.off('committed', done);
              resolve();
            };
            const timer = setTimeout(done, WAIT_POLL_MS);
            this.committed.on('committed', done);
          });
        }
      } finally {
        this.polling = false;
      }
    })();
  }

  /**
   * Rebuilds a projection from the start of the log: empties its tables and resets its
   * checkpoint in one transaction, then catches up. Readers see the tables refill.
   */
  async rebuild(name: string): Promise<void> {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new Error(`no projection named ${name}`);
    this.latest.delete(name);
    await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT 1 FROM projection_checkpoints WHERE name = $1 FOR UPDATE`, [name]);
      await em.query(`TRUNCATE ${projection.tables.map((t) => `"${t}"`).join(', ')}`);
      await em.query(
        `UPDATE projection_checkpoints SET transaction_id = '0', global_position = 0, updated_at = now() WHERE name = $1`,
        [name],
      );
      await em.query('SELECT pg_notify($1, $2)', [READ_MODEL_CHANGES, name]);
    });
    // A round that committed while the reset waited for its lock noted the old position.
    this.latest.delete(name);
    this.changed(name);
    // Waits for the running loop's rounds, which hold the checkpoint too.
    while ((await this.runBatch(projection, 'wait')) > 0);
  }
}
