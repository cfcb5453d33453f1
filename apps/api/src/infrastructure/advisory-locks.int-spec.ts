import { PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres.js';
import { AdvisoryLocks } from './advisory-locks.js';

let db: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase();
  store = PostgresEventStore.connect(db.url);
});
afterAll(async () => {
  await store?.close();
  await db?.drop();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('AdvisoryLocks', () => {
  it('lets the holders of one name take turns, in one process and across two', async () => {
    // Two instances stand for two processes: each has its own PostgreSQL connection.
    const here = new AdvisoryLocks(store);
    const there = new AdvisoryLocks(store);
    const log: string[] = [];
    const work = (who: string) => async () => {
      log.push(`${who} in`);
      await pause(40);
      log.push(`${who} out`);
      return who;
    };
    const results = await Promise.all([
      here.withLock('admins', work('a')),
      here.withLock('admins', work('b')),
      there.withLock('admins', work('c')),
      there.withLock('other', async () => 'unrelated'),
    ]);
    expect(results).toEqual(['a', 'b', 'c', 'unrelated']);
    // Never two inside at once: every "in" is followed by its own "out".
    const turns = log.filter((_, i) => i % 2 === 0).map((entry) => entry.split(' ')[0]);
    expect(log).toEqual(turns.flatMap((who) => [`${who} in`, `${who} out`]));
    expect(turns.sort()).toEqual(['a', 'b', 'c']);
    await here.onModuleDestroy();
    await there.onModuleDestroy();
  });

  it('releases the lock when the work fails, and passes the failure on', async () => {
    const locks = new AdvisoryLocks(store);
    await expect(
      locks.withLock('admins', async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await expect(locks.withLock('admins', async () => 'next')).resolves.toBe('next');
    await locks.onModuleDestroy();
  });
});
