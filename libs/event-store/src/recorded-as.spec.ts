import type { Event } from '#domain';
import { recordedAs } from './command-handling.js';
import type { RecordedEvent } from './event-store.js';

type Rung = Event<'Rung', { bell: string }> | Event<'Silenced', { until: string }>;
const RUNG_TYPES: readonly Rung['type'][] = ['Rung', 'Silenced'];

const recorded = (type: string, data: unknown): RecordedEvent => ({
  eventId: '00000000-0000-4000-8000-000000000001',
  type,
  data,
  metadata: { actor: 'test' },
  schemaVersion: 1,
  streamId: 'bell-1',
  streamType: 'bell',
  streamPosition: 0,
  position: { transactionId: 1n, globalPosition: 1n },
  recordedAt: new Date(0),
});

describe('recordedAs', () => {
  it('gives a recorded event of a listed type as that member of the union', () => {
    const event = recordedAs<Rung>(recorded('Rung', { bell: '钟' }), RUNG_TYPES);
    // Narrowed by its type: the compiler knows `bell`.
    expect(event.type === 'Rung' ? event.data.bell : null).toBe('钟');
    expect(event.streamPosition).toBe(0);
  });

  it('refuses an event of a type the union does not have', () => {
    expect(() => recordedAs<Rung>(recorded('CaseOpened', {}), RUNG_TYPES)).toThrow(
      /CaseOpened .* is none of Rung, Silenced/,
    );
  });
});
