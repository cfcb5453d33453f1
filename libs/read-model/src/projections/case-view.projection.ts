import {
  evolveLifecycle,
  handleCaseEvent,
  openedLifecycle,
  CASE_EVENT_TYPES,
  type CaseEvent,
  type CaseEventHandlers,
  type CaseLifecycle,
  type CaseStatus,
  type CaseOutcome,
  type Satisfaction,
} from '#domain';
import { CaseView } from '../entities/case-view.entity.js';
import { rowProjection } from '../projection.js';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

/** The lifecycle as the row holds it (its columns are the lifecycle's, flattened). */
function lifecycleOf(row: CaseView): CaseLifecycle {
  const resolvedAt = iso(row.resolvedAt);
  return {
    caseId: row.id,
    status: row.status as CaseStatus,
    openedAt: iso(row.openedAt)!,
    leadDepartment: row.leadDepartment,
    coDepartments: row.coDepartments,
    firstResponseAt: iso(row.firstResponseAt),
    pendingExtension: row.extensionPending
      ? {
          reason: row.extensionReason ?? '',
          requestedDueAt: iso(row.extensionRequestedDueAt) ?? '',
        }
      : null,
    dueAt: iso(row.dueAt),
    resolution: resolvedAt ? { at: resolvedAt, outcome: row.outcome as CaseOutcome } : null,
    satisfaction: row.satisfaction as Satisfaction | null,
  };
}

/** The row with the lifecycle's columns set from it. */
function withLifecycle(row: CaseView, c: CaseLifecycle): CaseView {
  return {
    ...row,
    status: c.status,
    leadDepartment: c.leadDepartment,
    coDepartments: c.coDepartments,
    firstResponseAt: date(c.firstResponseAt),
    extensionPending: c.pendingExtension !== null,
    extensionRequestedDueAt: date(c.pendingExtension?.requestedDueAt ?? null),
    extensionReason: c.pendingExtension?.reason ?? null,
    dueAt: date(c.dueAt),
    resolvedAt: date(c.resolution?.at ?? null),
    outcome: c.resolution?.outcome ?? null,
    // The text of the resolution in force: rework takes it back with the resolution.
    resolution: c.resolution ? row.resolution : null,
    satisfaction: c.satisfaction,
  };
}

const active = (row: CaseView, event: CaseEvent): CaseView => ({
  ...row,
  lastActivityAt: new Date(event.data.at),
});

/** `case_view`'s own columns: counts, texts and the last activity, per event type. */
const OWN: CaseEventHandlers<CaseView> = {
  CaseDispatched: (row, e) => ({
    ...active(row, e),
    handledBy: [...new Set([...row.handledBy, e.data.leadDepartment, ...e.data.coDepartments])],
  }),
  CaseAccepted: active,
  CaseReturned: (row, e) => ({ ...active(row, e), returnedCount: row.returnedCount + 1 }),
  CaseTransferred: (row, e) => ({
    ...active(row, e),
    transferredCount: row.transferredCount + 1,
    handledBy: [...new Set([...row.handledBy, e.data.toDepartment])],
  }),
  CaseFirstResponseRecorded: (row, e, before) => ({
    ...active(row, e),
    firstResponse: before.firstResponseAt ? before.firstResponse : e.data.message,
  }),
  CaseProgressNoted: active,
  CaseExtensionRequested: active,
  CaseExtensionApproved: active,
  CaseExtensionRefused: active,
  CasePaused: active,
  CaseResumed: active,
  CaseResolved: (row, e) => ({ ...active(row, e), resolution: e.data.resolution }),
  CaseCallbackRecorded: active,
  CaseReworkOrdered: (row, e) => ({ ...active(row, e), reworkedCount: row.reworkedCount + 1 }),
  CaseClosed: active,
  CaseWithdrawn: active,
  CaseSupervisionOrdered: (row, e) => ({
    ...active(row, e),
    supervisedCount: row.supervisedCount + 1,
  }),
  CaseCommented: active,
  // The clock worker's alerts are not activity on the case; the SLA read model has them.
  CaseDeadlineApproaching: (row) => row,
  CaseOverdue: (row) => row,
};

export const caseViewProjection = rowProjection<CaseView, CaseEvent>({
  name: 'case_view',
  entity: CaseView,
  table: 'case_view',
  handles: CASE_EVENT_TYPES,
  keyOf: (event) => event.data.caseId,
  evolve(row, event) {
    if (event.type === 'CaseOpened') {
      const d = event.data;
      const at = new Date(d.at);
      const opened: CaseView = {
        id: d.caseId,
        enterpriseId: d.enterpriseId,
        enterpriseName: d.enterpriseName,
        street: d.street,
        category: d.category,
        channel: d.channel,
        priority: d.priority,
        description: d.description,
        visitId: d.visitId,
        openedBy: event.metadata.actor ?? null,
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
        extensionRequestedDueAt: null,
        extensionReason: null,
        returnedCount: 0,
        transferredCount: 0,
        reworkedCount: 0,
        supervisedCount: 0,
        lastActivityAt: at,
        version: event.streamPosition,
      };
      return withLifecycle(opened, openedLifecycle(event));
    }
    if (!row)
      throw new Error(`${event.type} for case ${event.data.caseId} arrived before CaseOpened`);
    const lifecycle = evolveLifecycle(lifecycleOf(row), event);
    const own = handleCaseEvent(OWN, { ...row, version: event.streamPosition }, event, row);
    return withLifecycle(own, lifecycle);
  },
});
