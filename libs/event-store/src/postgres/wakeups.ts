import { EventEmitter } from 'node:events';
import pg from 'pg';

/**
 * Wakes readers of the global log when something was appended: at once within this
 * process, and through LISTEN/NOTIFY across processes. Readers also poll, so a lost
 * notification (or a dropped LISTEN connection) only costs latency, never an event.
 *
 * Writers do not NOTIFY inside their append transaction: PostgreSQL serialises the commits
 * of notifying transactions on one global lock, which would cap concurrent appends. Instead
 * a process sends one NOTIFY for all the appends that committed since its last one, with at
 * most one in flight and at most one every `notifyIntervalMs`.
 */
export class Wakeups {
  private readonly local = new EventEmitter();
  private listener: pg.Client | null = null;
  private listening: Promise<void> | null = null;
  private dirty = false;
  private notifying = false;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly notifyIntervalMs = 5,
  ) {
    this.local.setMaxListeners(0);
  }

  /** Call after an append committed. */
  appended(): void {
    this.local.emit('wake');
    this.dirty = true;
    if (!this.notifying && !this.closed) void this.notifyLoop();
  }

  private async notifyLoop(): Promise<void> {
    this.notifying = true;
    try {
      while (this.dirty && !this.closed) {
        this.dirty = false;
        await this.pool
          .query('SELECT pg_notify($1, $2)', [this.channel, String(process.pid)])
          .catch(() => {
            // Readers poll; a failed NOTIFY only delays them.
          });
        await new Promise((resolve) => setTimeout(resolve, this.notifyIntervalMs));
      }
    } finally {
      this.notifying = false;
    }
  }

  /** Resolves on the next wake-up or after `timeoutMs`, whichever is first. */
  async wait(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    this.ensureListening();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.local.off('wake', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.local.on('wake', done);
    });
  }

  /** Wakes every waiter in this process (used on shutdown). */
  wakeAll(): void {
    this.local.emit('wake');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    await this.listening?.catch(() => {});
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => {});
  }

  private ensureListening(): void {
    if (this.listening || this.closed) return;
    this.listening = this.listen().catch(() => {
      // LISTEN failed: polling carries on; try again on a later wait.
      this.listening = null;
    });
  }

  private async listen(): Promise<void> {
    const client = new pg.Client(this.pool.options);
    client.on('notification', () => this.local.emit('wake'));
    client.on('error', () => {
      if (this.listener === client) {
        this.listener = null;
        this.listening = null;
      }
      client.end().catch(() => {});
    });
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.listener = client;
  }
}
