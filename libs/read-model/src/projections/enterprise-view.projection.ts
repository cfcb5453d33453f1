import { assertNever, ENTERPRISE_EVENT_TYPES, type EnterpriseEvent } from '#domain';
import { EnterpriseView } from '../entities/enterprise-view.entity.js';
import { rowProjection } from '../projection.js';

export const enterpriseViewProjection = rowProjection<EnterpriseView, EnterpriseEvent>({
  name: 'enterprise_view',
  entity: EnterpriseView,
  table: 'enterprise_view',
  handles: ENTERPRISE_EVENT_TYPES,
  keyOf: (event) => event.data.enterpriseId,
  evolve(row, event) {
    const version = event.streamPosition;
    switch (event.type) {
      case 'EnterpriseRegistered': {
        const { enterpriseId, registeredAt, ...profile } = event.data;
        return {
          id: enterpriseId,
          ...profile,
          registeredAt: new Date(registeredAt),
          archivedAt: null,
          version,
        };
      }
      case 'EnterpriseProfileUpdated':
        return row && { ...row, ...event.data.changes, version };
      case 'EnterpriseArchived':
        return row && { ...row, archivedAt: new Date(event.data.at), version };
      default:
        return assertNever(event);
    }
  },
});
