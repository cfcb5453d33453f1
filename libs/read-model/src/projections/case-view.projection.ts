import { assertNever, CASE_EVENT_TYPES, type CaseEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import { CaseView } from '../entities/case-view.entity.js';
import { rowProjection } from '../projection.js';

export const caseViewProjection = rowProjection<CaseView>({
  name: 'case_view',
  entity: CaseView,
  table: 'case_view',
  handles: CASE_EVENT_TYPES,
  keyOf: (event) => (event.data as CaseEvent['data']).caseId,
  evolve(row, recorded: RecordedEvent) {
    const event = recorded as unknown as CaseEvent;
    const version = recorded.streamPosition;
    if (event.type === 'CaseOpened') {
      const d = event.data;
      return {
        id: d.caseId,
        enterpriseId: d.enterpriseId,
        enterpriseName: d.enterpriseName,
        street: d.street,
        category: d.category,
        description: d.description,
        status: 'open',
        department: null,
        openedAt: new Date(d.openedAt),
        assignedAt: null,
        firstResponseAt: null,
        firstResponse: null,
        resolvedAt: null,
        resolution: null,
        version,
      };
    }
    if (!row)
      throw new Error(`${event.type} for case ${event.data.caseId} arrived before CaseOpened`);
    switch (event.type) {
      case 'CaseAssigned':
        return {
          ...row,
          status: 'assigned',
          department: event.data.department,
          assignedAt: new Date(event.data.assignedAt),
          version,
        };
      case 'CaseFirstResponseRecorded':
        return {
          ...row,
          status: 'responded',
          firstResponse: event.data.message,
          firstResponseAt: new Date(event.data.respondedAt),
          version,
        };
      case 'CaseResolved':
        return {
          ...row,
          status: 'resolved',
          resolution: event.data.resolution,
          resolvedAt: new Date(event.data.resolvedAt),
          version,
        };
      default:
        return assertNever(event);
    }
  },
});
