import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { PostgresEventStore } from '#event-store';
import { READ_MODEL_CHANGES } from '#read-model';

const CHANNEL = 'saolou_invalidate';
/** The topic a projector's committed batch arrives under (key: the projection's name). */
export const READ_MODEL_TOPIC = 'read-model';

/** The PostgreSQL backend serving a client (pg sets it at connect; its types leave it out). */
const backendPid = (client: pg.Client) => (client as unknown as { processID: number }).processID;

/**
 * Cache invalidation across processes, over PostgreSQL LISTEN/NOTIFY: a process that
 * changes what others cache (ends a session, changes reference data) publishes a topic and
 * key; every process — itself included — drops its copy. `publish` resolves once its own
 * notification came back through PostgreSQL, which delivers it to every listener at the
 * same moment, so by the time the change is answered the other processes have it too.
 *
 * A cache may only trust itself while `live`: when the LISTEN connection drops (and
 * notifications may have been missed) every handler is told to forget everything (`*`),
 * and until it is back caches must read through.
 *
 * The same connection hears the projectors' READ_MODEL_CHANGES (any process's committed
 * batch), dispatched as the topic `read-model`.
 */
@Injectable()
export class Invalidations implements OnModuleDestroy {
  private readonly logger = new Logger('Invalidations');
  private readonly handlers = new Map<string, Set<(key: string) => void>>();
  private readonly everyTopic = new Set<(topic: string, key: string) => void>();
  /** Publications waiting for the other processes' acknowledgements: id → ack received. */
  private readonly echoes = new Map<string, (from: string) => void>();
  private listener: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  live = false;

  constructor(private readonly store: PostgresEventStore) {
    this.ensureListening();
  }

  on(topic: string, handler: (key: string) => void): void {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
  }

  /** Every topic's changes (a cache whose entries depend on all of them). */
  onEvery(handler: (topic: string, key: string) => void): void {
    this.everyTopic.add(handler);
  }

  /**
   * Tells every process (this one too) that `topic`/`key` changed, and waits (at most 1 s)
   * until every other listening process has acknowledged it — so a logout answered by one
   * process holds at the next request to any other.
   */
  async publish(topic: string, key: string): Promise<void> {
    this.dispatch(topic, key);
    const id = randomUUID();
    const acked = new Set<string>();
    let expected = Number.POSITIVE_INFINITY;
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const timer = setTimeout(done, 1000);
    this.echoes.set(id, (from) => {
      acked.add(from);
      if (acked.size >= expected) done();
    });
    try {
      const mine = this.listener ? backendPid(this.listener) : 0;
      const [{ others }] = (
        await this.store.pool.query<{ others: string }>(
          `SELECT count(*)::text AS others FROM pg_stat_activity
           WHERE datname = current_database() AND query = $1 AND pid <> $2`,
          [`LISTEN ${CHANNEL}`, mine],
        )
      ).rows as [{ others: string }];
      expected = Number(others);
      await this.store.pool.query('SELECT pg_notify($1, $2)', [
        CHANNEL,
        JSON.stringify({ id, topic, key, from: mine }),
      ]);
      if (acked.size >= expected) done();
      await all;
    } finally {
      clearTimeout(timer);
      this.echoes.delete(id);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.live = false;
    await this.connecting?.catch(() => {});
    await this.listener?.end().catch(() => {});
  }

  private dispatch(topic: string, key: string): void {
    for (const handler of this.handlers.get(topic) ?? []) handler(key);
    for (const handler of this.everyTopic) handler(topic, key);
  }

  private forgetAll(): void {
    for (const [topic] of this.handlers) this.dispatch(topic, '*');
    if (!this.handlers.has(READ_MODEL_TOPIC)) this.dispatch(READ_MODEL_TOPIC, '*');
  }

  private ensureListening(): void {
    if (this.connecting || this.closed) return;
    this.connecting = this.listen()
      .catch((error: unknown) => {
        this.logger.warn(
          `LISTEN ${CHANNEL} failed (${error instanceof Error ? error.message : String(error)}): caches read through; retrying`,
        );
        setTimeout(() => this.ensureListening(), 1000).unref();
      })
      .finally(() => (this.connecting = null));
  }

  private async listen(): Promise<void> {
    const client = new pg.Client(this.store.pool.options);
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = null;
      this.live = false;
      this.forgetAll();
      client.end().catch(() => {});
      if (!this.closed) setTimeout(() => this.ensureListening(), 1000).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel === READ_MODEL_CHANGES) {
        this.dispatch(READ_MODEL_TOPIC, message.payload || '*');
        return;
      }
      try {
        const { id, topic, key, from, ack } = JSON.parse(message.payload ?? '{}') as {
          id?: string;
          topic?: string;
          key?: string;
          from?: number;
          ack?: string;
        };
        if (ack && id) {
          this.echoes.get(id)?.(ack);
          return;
        }
        if (topic && key) this.dispatch(topic, key);
        // Another process's change, applied here: say so.
        if (id && from !== backendPid(client))
          void this.store.pool
            .query('SELECT pg_notify($1, $2)', [
              CHANNEL,
              JSON.stringify({ id, ack: String(backendPid(client)) }),
            ])
            .catch(() => {});
      } catch {
        this.forgetAll();
      }
    });
    await client.connect();
    // CHANNEL last: publish() counts the listening processes by their last query.
    await client.query(`LISTEN ${READ_MODEL_CHANGES}`);
    await client.query(`LISTEN ${CHANNEL}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.listener = client;
    // Anything cached before now may have missed a notification.
    this.forgetAll();
    this.live = true;
  }
}
