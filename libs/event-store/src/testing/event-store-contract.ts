import { randomUUID } from 'node:crypto';
import {
  comparePositions,
  START,
  WrongExpectedVersionError,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
} from '../event-store.js';

export interface ContractSubject {
  store: EventStore;
  /**
   * Starts an append whose transaction stays open until `commit` is called, for the
   * late-commit test. Implementations without such transactions leave it out.
   */
  holdOpenAppend?(streamId: string, event: EventToAppend): Promise<{ commit(): Promise<void> }>;
  dispose(): Promise<void>;
}

const anEvent = (data: Record<string, unknown> = {}, type = 'Tested'): EventToAppend => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: { actor: 'contract' },
});

const stream = () => `contract-${randomUUID()}`;

async function collectUntil(
  store: EventStore,
  done: (seen: RecordedEvent[]) => boolean,
  timeoutMs: number,
  onBatch?: (batch: RecordedEvent[]) => void,
): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const subscription = store.subscribe({ after: START, batchSize: 250 }, async (batch) => {
    seen.push(...batch);
    onBatch?.(batch);
    if (done(seen)) finish();
  });
  const timer = setTimeout(finish, timeoutMs);
  await Promise.race([finished, subscription.done]);
  clearTimeout(timer);
  await subscription.stop();
  await subscription.done;
  return seen;
}

/**
 * The behaviour every EventStore implementation must have. Call inside a test file with a
 * factory that gives a store over an empty log.
 */
export function eventStoreContract(
  name: string,
  subject: () => Promise<ContractSubject>,
  capabilities: { holdOpenAppend: boolean },
): void {
  describe(`${name}: EventStore contract`, () => {
    let s: ContractSubject;
    beforeAll(async () => {
      s = await subject();
    });
    afterAll(async () => {
      await s.dispose();
    });

    describe('appending and reading a stream', () => {
      it('appends to a new stream and reads it back in order', async () => {
        const id = stream();
        const result = await s.store.appendToStream(id, [anEvent({ n: 0 }), anEvent({ n: 1 })], {
          expectedVersion: 'no_stream',
        });
        expect(result.nextExpectedVersion).toBe(1);
        expect(result.replayed).toBe(false);
        const read = await s.store.readStream(id);
        expect(read.version).toBe(1);
        expect(read.events.map((e) => [e.streamPosition, e.data])).toEqual([
          [0, { n: 0 }],
          [1, { n: 1 }],
        ]);
        expect(read.events[0]!.metadata).toEqual({ actor: 'contract' });
        expect(comparePositions(read.events[1]!.position, result.position)).toBe(0);
      });

      it('reads a stream that does not exist as empty, version -1', async () => {
        expect(await s.store.readStream(stream())).toEqual({ events: [], version: -1 });
      });

      it('appends at an exact expected version', async () => {
        const id = stream();
        await s.store.appendToStream(id, [anEvent()], { expectedVersion: 'no_stream' });
        const result = await s.store.appendToStream(id, [anEvent()], { expectedVersion: 0 });
        expect(result.nextExpectedVersion).toBe(1);
      });

      it('appends at the end with expected version any', async () => {
        const id = stream();
        await s.store.appendToStream(id, [anEvent(), anEvent()], { expectedVersion: 'any' });
        const result = await s.store.appendToStream(id, [anEvent()], { expectedVersion: 'any' });
        expect(result.nextExpectedVersion).toBe(2);
      });
    });

    describe('optimistic concurrency', () => {
      it('refuses no_stream when the stream exists', async () => {
        const id = stream();
        await s.store.appendToStream(id, [anEvent()], { expectedVersion: 'no_stream' });
        await expect(
          s.store.appendToStream(id, [anEvent()], { expectedVersion: 'no_stream' }),
        ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      });

      it('refuses an expected version behind or ahead of the stream, writing nothing', async () => {
        const id = stream();
        await s.store.appendToStream(id, [anEvent(), anEvent()], { expectedVersion: 'no_stream' });
        for (const expectedVersion of [0, 2, 7]) {
          await expect(
            s.store.appendToStream(id, [anEvent()], { expectedVersion }),
          ).rejects.toBeInstanceOf(WrongExpectedVersionError);
        }
        await expect(
          s.store.appendToStream(stream(), [anEvent()], { expectedVersion: 0 }),
        ).rejects.toBeInstanceOf(WrongExpectedVersionError);
        expect((await s.store.readStream(id)).version).toBe(1);
      });

      it('lets exactly one of many concurrent writers at the same version win', async () => {
        const id = stream();
        await s.store.appendToStream(id, [anEvent()], { expectedVersion: 'no_stream' });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, () =>
            s.store.appendToStream(id, [anEvent()], { expectedVersion: 0 }),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes.filter((o) => o.status === 'rejected')) {
          expect((o as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
        }
        expect((await s.store.readStream(id)).events).toHaveLength(2);
      });

      it('serialises concurrent appends with expected version any without losing one', async () => {
        const id = stream();
        await Promise.all(
          Array.from({ length: 20 }, (_, n) => s.store.appendToStream(id, [anEvent({ n })])),
        );
        const read = await s.store.readStream(id);
        expect(read.events.map((e) => e.streamPosition)).toEqual(
          Array.from({ length: 20 }, (_, i) => i),
        );
      });
    });

    describe('idempotency', () => {
      it('stores a repeated append with the same event ids once and answers with the first result', async () => {
        const id = stream();
        const events = [anEvent({ n: 1 }), anEvent({ n: 2 })];
        const first = await s.store.appendToStream(id, events, { expectedVersion: 'no_stream' });
        await s.store.appendToStream(id, [anEvent({ n: 3 })], { expectedVersion: 1 });
        for (const expectedVersion of ['no_stream', 'any', 2] as const) {
          const again = await s.store.appendToStream(id, events, { expectedVersion });
          expect(again).toEqual({ ...first, replayed: true });
        }
        expect((await s.store.readStream(id)).events.map((e) => e.data)).toEqual([
          { n: 1 },
          { n: 2 },
          { n: 3 },
        ]);
      });

      it('stores concurrent retries of one append once', async () => {
        const id = stream();
        const events = [anEvent({ once: true })];
        const results = await Promise.all(
          Array.from({ length: 8 }, () =>
            s.store.appendToStream(id, events, { expectedVersion: 'any' }),
          ),
        );
        expect(new Set(results.map((r) => r.position.globalPosition)).size).toBe(1);
        expect(results.filter((r) => !r.replayed)).toHaveLength(1);
        expect((await s.store.readStream(id)).events).toHaveLength(1);
      });

      it('finds the append that stored an event id', async () => {
        const id = stream();
        const events = [anEvent(), anEvent()];
        const first = await s.store.appendToStream(id, events, { expectedVersion: 'no_stream' });
        expect(await s.store.findAppend(events[0]!.eventId)).toEqual({ ...first, replayed: true });
        expect(await s.store.findAppend(randomUUID())).toBeNull();
      });
    });

    describe('the global log', () => {
      it('reads after a position in batches, each event once, in order', async () => {
        const ids = [stream(), stream()];
        for (let i = 0; i < 10; i++) await s.store.appendToStream(ids[i % 2]!, [anEvent({ i })]);
        const all: RecordedEvent[] = [];
        let after = START;
        for (;;) {
          const batch = await s.store.readAll({ after, limit: 3 });
          if (batch.length === 0) break;
          expect(batch.length).toBeLessThanOrEqual(3);
          all.push(...batch);
          after = batch[batch.length - 1]!.position;
        }
        for (let i = 1; i < all.length; i++)
          expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1);
        const mine = all
          .filter((e) => ids.includes(e.streamId))
          .map((e) => (e.data as { i: number }).i);
        expect(mine).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      });

      it('delivers every event exactly once and in order to a subscriber while 16 writers × 1,000 appends run', async () => {
        const writers = 16;
        const perWriter = 1000;
        const run = randomUUID();
        const expected = writers * perWriter;
        const mine = (e: RecordedEvent) => (e.data as { run?: string }).run === run;
        let count = 0;
        const collecting = collectUntil(
          s.store,
          () => count >= expected,
          110_000,
          (batch) => (count += batch.filter(mine).length),
        );
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let n = 0; n < perWriter; n++) {
              // Half the writers share streams (contention), half write their own.
              const id =
                w % 2 === 0 ? `contract-${run}-own-${w}` : `contract-${run}-shared-${n % 4}`;
              await s.store.appendToStream(id, [anEvent({ run, w, n })]);
            }
          }),
        );
        const seen = await collecting;
        const delivered = seen.filter(mine);
        expect(delivered).toHaveLength(expected);
        expect(new Set(delivered.map((e) => e.eventId)).size).toBe(expected);
        for (let i = 1; i < seen.length; i++) {
          expect(comparePositions(seen[i - 1]!.position, seen[i]!.position)).toBe(-1);
        }
        const lastByWriter = new Array<number>(writers).fill(-1);
        for (const e of delivered) {
          const { w, n } = e.data as { w: number; n: number };
          expect(n).toBe(lastByWriter[w]! + 1);
          lastByWriter[w] = n;
        }
      }, 180_000);

      // Only for stores with client-side transactions that can be held open (PostgreSQL).
      if (capabilities.holdOpenAppend) {
        it('delivers an event whose transaction took its position first and committed seconds later', async () => {
          const id = stream();
          const run = randomUUID();
          const slow = await s.holdOpenAppend!(id, anEvent({ run, which: 'slow' }));
          const fast1 = await s.store.appendToStream(stream(), [anEvent({ run, which: 'fast-1' })]);
          const fast2 = await s.store.appendToStream(stream(), [anEvent({ run, which: 'fast-2' })]);
          const ours = (e: RecordedEvent) => (e.data as { run?: string }).run === run;
          const collecting = collectUntil(s.store, (seen) => seen.filter(ours).length >= 3, 30_000);
          await new Promise((r) => setTimeout(r, 2000));
          const seenBeforeCommit = (await s.store.readAll({ after: START, limit: 100_000 })).filter(
            ours,
          );
          await slow.commit();
          const delivered = (await collecting).filter(ours);
          expect(delivered.map((e) => (e.data as { which: string }).which)).toEqual([
            'slow',
            'fast-1',
            'fast-2',
          ]);
          // It took its global position before the fast ones, and readers waited for it.
          expect(delivered[0]!.position.globalPosition < fast1.position.globalPosition).toBe(true);
          expect(fast1.position.globalPosition < fast2.position.globalPosition).toBe(true);
          expect(seenBeforeCommit).toEqual([]);
        });
      }
    });
  });
}
