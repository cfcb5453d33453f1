import { VISIT_EVENT_TYPES, type VisitEvent } from '#domain';
import { recordedAs } from '#event-store';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { VisitView } from '../entities/visit-view.entity.js';
import type { Projection } from '../projection.js';

export const visitViewProjection: Projection = {
  name: 'visit_view',
  handles: new Set(VISIT_EVENT_TYPES),
  tables: ['visit_view'],
  async apply(events, em) {
    await em.getRepository(VisitView).insert(
      events.map((event) => {
        const { visitId, at, ...rest } = recordedAs<VisitEvent>(event, VISIT_EVENT_TYPES).data;
        return {
          id: visitId,
          ...rest,
          loggedAt: new Date(at),
          loggedBy: event.metadata.actor ?? null,
        };
      }) as QueryDeepPartialEntity<VisitView>[],
    );
  },
};
