import type { EnterpriseRegistered } from '#domain';
import { EnterpriseView } from '../entities/enterprise-view.entity.js';
import { rowProjection } from '../projection.js';

export const enterpriseViewProjection = rowProjection<EnterpriseView>({
  name: 'enterprise_view',
  entity: EnterpriseView,
  table: 'enterprise_view',
  handles: ['EnterpriseRegistered'],
  keyOf: (event) => (event.data as EnterpriseRegistered['data']).enterpriseId,
  evolve(_row, event) {
    const data = event.data as EnterpriseRegistered['data'];
    return {
      id: data.enterpriseId,
      name: data.name,
      creditCode: data.creditCode,
      street: data.street,
      registeredAt: new Date(data.registeredAt),
      version: event.streamPosition,
    };
  },
});
