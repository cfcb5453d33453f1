import { CASE_EVENT_TYPES, type CaseEvent } from '#domain';
import { CaseTimelineEntry } from '../entities/case-timeline-entry.entity.js';
import { writeRows, type Projection } from '../projection.js';

/** Appends one timeline row per case event. */
export const caseTimelineProjection: Projection = {
  name: 'case_timeline',
  handles: new Set(CASE_EVENT_TYPES),
  tables: ['case_timeline'],
  async apply(events, em) {
    await writeRows(
      em,
      CaseTimelineEntry,
      events.map((event) => ({
        eventId: event.eventId,
        caseId: (event.data as CaseEvent['data']).caseId,
        streamPosition: event.streamPosition,
        type: event.type,
        actor: event.metadata.actor ?? 'unknown',
        actorDetails: event.metadata.actorDetails ?? null,
        occurredAt: new Date(event.metadata.occurredAt ?? event.recordedAt),
        data: event.data as Record<string, unknown>,
      })),
      'insert',
    );
  },
};
