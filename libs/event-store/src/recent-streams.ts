import {
  streamTypeOf,
  type AppendResult,
  type EventToAppend,
  type ReadStreamResult,
  type RecordedEvent,
} from './event-store.js';

/** What a held event costs in memory, roughly: its JSON text as UTF-16, plus the object. */
const EVENT_OVERHEAD_BYTES = 400;
const bytesOfJson = (json: string) => 2 * json.length;
const sizeOf = (event: RecordedEvent) =>
  EVENT_OVERHEAD_BYTES +
  bytesOfJson(JSON.stringify(event.data) ?? '') +
  bytesOfJson(JSON.stringify(event.metadata) ?? '');

interface Held {
  readonly read: ReadStreamResult;
  readonly bytes: number;
}

/**
 * The streams this process's commands decided on lately, as each stood after its last
 * append here: a command on a stream it holds decides on that and appends at its version
 * without reading the stream first (one round trip to the store instead of two).
 *
 * It is never trusted beyond what the append checks. The append names the version the
 * state was folded from, so a stream that moved on elsewhere (another process, a worker
 * appending through the store directly) fails the append, and the command is decided again
 * on a fresh read. A refusal decided on a held stream (a step the state does not allow, a
 * case out of the caller's reach, an If-Match that names another version) is decided again
 * on a fresh read before it is answered. Bounded by an estimate of the memory its events
 * take; the least recently used streams go first. Holds events as the store returns them
 * without upcasting: for streams whose events need no upcaster (case events have none).
 */
export class RecentStreams {
  private readonly streams = new Map<string, Held>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  /** `maxBytes` 0 holds nothing: every command reads its stream. */
  constructor(readonly maxBytes = 16 * 1024 * 1024) {}

  /** The stream as this process last left it, or undefined. */
  get(streamId: string): ReadStreamResult | undefined {
    const held = this.streams.get(streamId);
    if (!held) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used last: Map keeps insertion order.
    this.streams.delete(streamId);
    this.streams.set(streamId, held);
    return held.read;
  }

  /** Holds a stream as it was just read from the store. */
  remember(streamId: string, read: ReadStreamResult): void {
    // A stream with no events is not held: there is nothing to save, and a request naming
    // made-up ids must not fill memory.
    if (read.events.length === 0 || this.maxBytes === 0) return this.forget(streamId);
    this.hold(
      streamId,
      read,
      read.events.reduce((sum, e) => sum + sizeOf(e), 0),
    );
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
    const before = this.streams.get(streamId);
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
    const data = JSON.stringify(event.data);
    const metadata = JSON.stringify(event.metadata ?? {});
    const recorded: RecordedEvent = {
      eventId: event.eventId,
      type: event.type,
      data: JSON.parse(data) as unknown,
      metadata: JSON.parse(metadata) as RecordedEvent['metadata'],
      schemaVersion: event.schemaVersion ?? 1,
      streamId,
      streamType: streamTypeOf(streamId),
      streamPosition: result.nextExpectedVersion,
      position: result.position,
      recordedAt: result.recordedAt,
    };
    // The read's size is known when it is the one held (it may have been let go meanwhile).
    const readBytes =
      before?.read === read ? before.bytes : read.events.reduce((sum, e) => sum + sizeOf(e), 0);
    this.hold(
      streamId,
      { events: [...read.events, recorded], version: result.nextExpectedVersion },
      readBytes + EVENT_OVERHEAD_BYTES + bytesOfJson(data) + bytesOfJson(metadata),
    );
  }

  forget(streamId: string): void {
    const old = this.streams.get(streamId);
    if (!old) return;
    this.streams.delete(streamId);
    this.bytes -= old.bytes;
  }

  /** How many streams, events and (estimated) bytes it holds, and how often a command found its stream here. */
  stats(): { streams: number; events: number; bytes: number; hits: number; misses: number } {
    let events = 0;
    for (const { read } of this.streams.values()) events += read.events.length;
    return {
      streams: this.streams.size,
      events,
      bytes: this.bytes,
      hits: this.hits,
      misses: this.misses,
    };
  }

  private hold(streamId: string, read: ReadStreamResult, bytes: number): void {
    this.forget(streamId);
    if (bytes > this.maxBytes) return;
    this.streams.set(streamId, { read, bytes });
    this.bytes += bytes;
    for (const [oldest, old] of this.streams) {
      if (this.bytes <= this.maxBytes) break;
      this.streams.delete(oldest);
      this.bytes -= old.bytes;
    }
  }
}
