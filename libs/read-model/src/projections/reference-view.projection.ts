import { assertNever, REFERENCE_EVENT_TYPES, type ReferenceEvent } from '#domain';
import { recordedAs } from '#event-store';
import { ReferenceView } from '../entities/reference-view.entity.js';
import type { Projection } from '../projection.js';

export const referenceViewProjection: Projection = {
  name: 'reference_view',
  handles: new Set(REFERENCE_EVENT_TYPES),
  tables: ['reference_view'],
  async apply(events, em) {
    const repository = em.getRepository(ReferenceView);
    for (const recorded of events) {
      const event = recordedAs<ReferenceEvent>(recorded, REFERENCE_EVENT_TYPES);
      const key = { kind: event.data.kind, code: event.data.code };
      switch (event.type) {
        case 'ReferenceDefined':
          await repository.upsert({ ...key, name: event.data.name, active: true }, [
            'kind',
            'code',
          ]);
          break;
        case 'ReferenceRetired':
          await repository.update(key, { active: false });
          break;
        case 'ReferenceRenamed':
          await repository.update(key, { name: event.data.name });
          break;
        default:
          assertNever(event);
      }
    }
  },
};
