import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { inStreamTurn, PostgresEventStore } from '#event-store';

/**
 * Work that must not run twice at once anywhere, such as the steps that could leave no active
 * admin. Within a process the callers of a name take turns in memory; across processes a
 * PostgreSQL advisory lock, held on a connection of its own, makes them take turns. Waiting
 * holds no pooled connection, so the work itself can use the pools freely (a lock held on a
 * pooled connection while the work needs one could drain the pool and stall).
 */
@Injectable()
export class AdvisoryLocks implements OnModuleDestroy {
  private client: Promise<pg.Client> | null = null;

  constructor(private readonly store: PostgresEventStore) {}

  /** In this process, callers of `name` take turns as commands on one stream do (inStreamTurn). */
  withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    return inStreamTurn(`advisory-lock:${name}`, () => this.locked(name, work));
  }

  private async locked<T>(name: string, work: () => Promise<T>): Promise<T> {
    const client = await this.connection();
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => {
        // A connection that failed lost its locks with it: the next caller opens another.
        this.drop();
      });
    }
  }

  private connection(): Promise<pg.Client> {
    this.client ??= (async () => {
      const client = new pg.Client(this.store.pool.options);
      client.on('error', () => this.drop());
      await client.connect();
      return client;
    })().catch((error: unknown) => {
      this.client = null;
      throw error;
    });
    return this.client;
  }

  private drop(): void {
    const client = this.client;
    this.client = null;
    void client?.then((c) => c.end()).catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.then((c) => c.end()).catch(() => undefined);
  }
}
