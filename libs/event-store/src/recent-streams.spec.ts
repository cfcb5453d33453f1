import { RecentStreams } from './recent-streams.js';
import type { AppendResult, ReadStreamResult, RecordedEvent } from './event-store.js';

const recorded = (streamId: string, n: number): RecordedEvent => ({
  eventId: `${streamId}-${n}`,
  type: 'CaseCommented',
  data: { n },
  metadata: {},
  schemaVersion: 1,
  streamId,
  streamType: 'case',
  streamPosition: n,
  position: { transactionId: 1n, globalPosition: BigInt(n) },
  recordedAt: new Date('2026-12-01T00:00:00Z'),
});
const stream = (streamId: string, length: number): ReadStreamResult => ({
  events: Array.from({ length }, (_, n) => recorded(streamId, n)),
  version: length - 1,
});
const appendResult = (streamId: string, version: number, extra: Partial<AppendResult> = {}) => ({
  streamId,
  nextExpectedVersion: version,
  position: { transactionId: 2n, globalPosition: 100n },
  recordedAt: new Date('2026-12-01T01:00:00Z'),
  replayed: false,
  ...extra,
});

describe('RecentStreams', () => {
  it('holds a stream as read, and after an append of one event holds it with that event, as a read would return it', () => {
    const recent = new RecentStreams(1_000_000);
    const read = stream('case-a', 2);
    recent.remember('case-a', read);
    expect(recent.get('case-a')).toBe(read);
    const at = new Date('2026-12-01T02:00:00Z');
    recent.appended(
      'case-a',
      read,
      [
        {
          eventId: 'e3',
          type: 'CaseCommented',
          data: { at, gone: undefined },
          metadata: { actor: 'u1', client: { ip: undefined } },
        },
      ],
      appendResult('case-a', 2),
    );
    const after = recent.get('case-a')!;
    expect(after.version).toBe(2);
    expect(after.events).toHaveLength(3);
    expect(after.events[2]).toMatchObject({
      eventId: 'e3',
      streamPosition: 2,
      streamType: 'case',
      schemaVersion: 1,
      data: { at: at.toISOString() },
      recordedAt: new Date('2026-12-01T01:00:00Z'),
    });
    expect(after.events[2]!.data).not.toHaveProperty('gone');
    expect(after.events[2]!.metadata).toEqual({ actor: 'u1', client: {} });
    expect(read.events).toHaveLength(2); // the read it decided on is left as it was
    expect(recent.stats()).toMatchObject({ streams: 1, events: 3, hits: 2, misses: 0 });
    expect(recent.stats().bytes).toBeGreaterThan(3 * 400);
  });

  it('forgets a stream when it cannot say exactly what the store holds: several events, a replay, another version', () => {
    const recent = new RecentStreams(1_000_000);
    const cases: [string, Parameters<RecentStreams['appended']>[2], AppendResult][] = [
      [
        'two events',
        [
          { eventId: 'x1', type: 'A', data: {} },
          { eventId: 'x2', type: 'B', data: {} },
        ],
        appendResult('s', 3),
      ],
      [
        'a replay',
        [{ eventId: 'x1', type: 'A', data: {} }],
        appendResult('s', 2, { replayed: true }),
      ],
      [
        'no time',
        [{ eventId: 'x1', type: 'A', data: {} }],
        appendResult('s', 2, { recordedAt: undefined }),
      ],
      ['a gap', [{ eventId: 'x1', type: 'A', data: {} }], appendResult('s', 5)],
    ];
    for (const [name, events, result] of cases) {
      const read = stream('s', 2);
      recent.remember('s', read);
      recent.appended('s', read, events, result);
      expect({ name, held: recent.get('s') }).toEqual({ name, held: undefined });
    }
    expect(recent.stats().events).toBe(0);
  });

  it('keeps within its bound of memory, dropping the least recently used streams first', () => {
    // An event here is ≈ 418 bytes by the estimate (400 + its JSON as UTF-16): 4 events ≈ 1.7 KB.
    const recent = new RecentStreams(3_400);
    recent.remember('a', stream('a', 4));
    recent.remember('b', stream('b', 4));
    recent.get('a'); // a is now the most recently used
    recent.remember('c', stream('c', 4));
    expect(recent.get('b')).toBeUndefined();
    expect(recent.get('a')).toBeDefined();
    expect(recent.get('c')).toBeDefined();
    expect(recent.stats()).toMatchObject({ streams: 2, events: 8 });
    expect(recent.stats().bytes).toBeLessThanOrEqual(3_400);
    recent.remember('huge', stream('huge', 11)); // larger than the bound: not held
    expect(recent.get('huge')).toBeUndefined();
    expect(recent.stats().events).toBe(8);
    // A long text weighs what it is: one event of 2,000 characters is ≈ 4 KB.
    recent.remember('long', {
      events: [{ ...recorded('long', 0), data: { comment: '长'.repeat(2000) } }],
      version: 0,
    });
    expect(recent.get('long')).toBeUndefined();
    // Forgetting gives its memory back.
    recent.forget('a');
    recent.forget('c');
    expect(recent.stats()).toMatchObject({ streams: 0, events: 0, bytes: 0 });
  });

  it('holds nothing with a bound of 0, and never a stream with no events', () => {
    const off = new RecentStreams(0);
    off.remember('a', stream('a', 1));
    expect(off.get('a')).toBeUndefined();
    expect(off.stats()).toMatchObject({ streams: 0, events: 0 });
    const recent = new RecentStreams(1_000_000);
    for (let i = 0; i < 1000; i++) recent.remember(`made-up-${i}`, { events: [], version: -1 });
    expect(recent.stats()).toMatchObject({ streams: 0, events: 0 });
  });
});
