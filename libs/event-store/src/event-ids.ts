import { v5 as uuidv5 } from 'uuid';

/** Namespace for Saolou event ids (a fixed, random UUID). */
const EVENT_ID_NAMESPACE = '5c1f2a7e-2f0b-4d6a-9f3e-8a61c7d0b4e2';

/**
 * The id of the index-th event a command writes to a stream: a name-based (v5) UUID of
 * command id, stream and index. The same command retried yields the same ids, and the
 * store's unique event id turns the retry into a read of the first result.
 */
export function eventIdFor(commandId: string, streamId: string, index: number): string {
  return uuidv5(`${commandId}\u0000${streamId}\u0000${index}`, EVENT_ID_NAMESPACE);
}

/** A stable id for an entity created by a command (a case opened by a retried request). */
export function entityIdFor(commandId: string, kind: string): string {
  return uuidv5(`${kind}\u0000${commandId}`, EVENT_ID_NAMESPACE);
}
