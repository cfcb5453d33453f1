import {
  streamTypeOf,
  type AppendResult,
  type EventToAppend,
  type ReadStreamResult,
  type RecordedEvent,
} from './event-store.js';

const asStored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The streams this process's commands decided on lately, as each stood after its last
 * append here: a command on a stream it holds decides on that and appends at its version
 * without reading the stream first (one round trip to the store instead of two).
 *
 * It is never trusted beyond what the append checks. The append names the version the
 * state was folded from, so a stream that moved on elsewhere (another process, a worker
 * appending through the store directly) fails the append; the command handler forgets the
 * stream and tries again on a fresh read, as on any version conflict. A refusal decided on
 * a held stream (a step the state does not allow, a case out of the caller's reach, an
 * If-Match that names another version) is decided again on a fresh read before it is
 * answered. Bounded by the number of events held; the least recently used streams go first.
 */
export class RecentStreams {
  private readonly streams = new Map<string, ReadStreamResult>();
  private held = 0;
  private hits = 0;
  private misses = 0;

  /** `maxEvents` 0 holds nothing: every command reads its stream. */
  constructor(readonly maxEvents = 20_000) {}

  /** The stream as this process last left it, or undefined. */
  get(streamId: string): ReadStreamResult | undefined {
    const read = this.streams.get(streamId);
    if (!read) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used last: Map keeps insertion order.
    this.streams.delete(streamId);
    this.streams.set(streamId, read);
    return read;
  }

  /** Holds a stream as it was just read from the store. */
  remember(streamId: string, read: ReadStreamResult): void {
    this.forget(streamId);
    // A stream with no events is not held: there is nothing to save, and a request naming
    // made-up ids must not fill memory.
    if (read.events.length === 0 || read.events.length > this.maxEvents) return;
    this.streams.set(streamId, read);
    this.held += read.events.length;
    for (const [oldest, old] of this.streams) {
      if (this.held <= this.maxEvents) break;
      this.streams.delete(oldest);
      this.held -= old.events.length;
    }
  }

  /**
   * After an append decided on `read`: the stream with the appended event, when the store
   * said where and when it was recorded; otherwise the stream is forgotten (the next command
   * reads it).
   */
  appended(
    streamId: string,
    read: ReadStreamResult,
    events: readonly EventToAppend[],
    result: AppendResult,
  ): void {
    const [event] = events;
    if (
      events.length !== 1 ||
      !event ||
      result.replayed ||
      !result.recordedAt ||
      result.nextExpectedVersion !== read.version + 1
    ) {
      this.forget(streamId);
      return;
    }
    // As a read would return it: through JSON, as the store keeps it (a Date becomes its
    // ISO text, an undefined field goes).
    const recorded: RecordedEvent = {
      eventId: event.eventId,
      type: event.type,
      data: asStored(event.data),
      metadata: asStored(event.metadata ?? {}),
      schemaVersion: event.schemaVersion ?? 1,
      streamId,
      streamType: streamTypeOf(streamId),
      streamPosition: result.nextExpectedVersion,
      position: result.position,
      recordedAt: result.recordedAt,
    };
    this.remember(streamId, {
      events: [...read.events, recorded],
      version: result.nextExpectedVersion,
    });
  }

  forget(streamId: string): void {
    const old = this.streams.get(streamId);
    if (!old) return;
    this.streams.delete(streamId);
    this.held -= old.events.length;
  }

  /** How many streams and events it holds, and how often a command found its stream here. */
  stats(): { streams: number; events: number; hits: number; misses: number } {
    return { streams: this.streams.size, events: this.held, hits: this.hits, misses: this.misses };
  }
}
