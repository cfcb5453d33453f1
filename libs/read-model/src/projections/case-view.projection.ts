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
    const at = new Date(event.data.at);
    if (event.type === 'CaseOpened') {
      const d = event.data;
      return {
        id: d.caseId,
        enterpriseId: d.enterpriseId,
        enterpriseName: d.enterpriseName,
        street: d.street,
        category: d.category,
        channel: d.channel,
        priority: d.priority,
        description: d.description,
        visitId: d.visitId,
        openedBy: recorded.metadata.actor ?? null,
        status: 'new',
        leadDepartment: null,
        coDepartments: [],
        handledBy: [],
        openedAt: at,
        firstResponseAt: null,
        firstResponse: null,
        resolvedAt: null,
        resolution: null,
        outcome: null,
        satisfaction: null,
        dueAt: null,
        extensionPending: false,
        returnedCount: 0,
        transferredCount: 0,
        reworkedCount: 0,
        supervisedCount: 0,
        lastActivityAt: at,
        version: recorded.streamPosition,
      };
    }
    if (!row)
      throw new Error(`${event.type} for case ${event.data.caseId} arrived before CaseOpened`);
    const next = { ...row, lastActivityAt: at, version: recorded.streamPosition };
    switch (event.type) {
      case 'CaseDispatched':
        return {
          ...next,
          status: 'dispatched',
          leadDepartment: event.data.leadDepartment,
          coDepartments: event.data.coDepartments,
          handledBy: [
            ...new Set([...row.handledBy, event.data.leadDepartment, ...event.data.coDepartments]),
          ],
        };
      case 'CaseAccepted':
        return { ...next, status: 'accepted' };
      case 'CaseReturned':
        return {
          ...next,
          status: 'returned',
          leadDepartment: null,
          coDepartments: [],
          extensionPending: false,
          returnedCount: row.returnedCount + 1,
        };
      case 'CaseTransferred':
        return {
          ...next,
          status: 'dispatched',
          leadDepartment: event.data.toDepartment,
          coDepartments: row.coDepartments.filter((d) => d !== event.data.toDepartment),
          handledBy: [...new Set([...row.handledBy, event.data.toDepartment])],
          extensionPending: false,
          transferredCount: row.transferredCount + 1,
        };
      case 'CaseFirstResponseRecorded':
        return { ...next, firstResponseAt: at, firstResponse: event.data.message };
      case 'CaseExtensionRequested':
        return { ...next, extensionPending: true };
      case 'CaseExtensionApproved':
        return { ...next, extensionPending: false, dueAt: new Date(event.data.dueAt) };
      case 'CaseExtensionRefused':
        return { ...next, extensionPending: false };
      case 'CasePaused':
        return { ...next, status: 'paused' };
      case 'CaseResumed':
        return { ...next, status: 'accepted' };
      case 'CaseResolved':
        return {
          ...next,
          status: 'resolved',
          resolvedAt: at,
          resolution: event.data.resolution,
          outcome: event.data.outcome,
          satisfaction: null,
        };
      case 'CaseCallbackRecorded':
        return { ...next, satisfaction: event.data.satisfaction };
      case 'CaseReworkOrdered':
        return { ...next, status: 'accepted', reworkedCount: row.reworkedCount + 1 };
      case 'CaseClosed':
        return { ...next, status: 'closed' };
      case 'CaseWithdrawn':
        return { ...next, status: 'withdrawn', extensionPending: false };
      case 'CaseSupervisionOrdered':
        return { ...next, supervisedCount: row.supervisedCount + 1 };
      case 'CaseProgressNoted':
      case 'CaseCommented':
        return next;
      case 'CaseDeadlineApproaching':
      case 'CaseOverdue':
        // The clock worker's alerts are not activity on the case; the SLA read model has them.
        return { ...row, version: recorded.streamPosition };
      default:
        return assertNever(event);
    }
  },
});
