import { caseDecider, CaseErrors, type CaseCommand } from './case.js';
import { CASE_STATUSES, type CaseEvent, type CaseStatus } from './case-events.js';
import { EnterpriseErrors } from '../enterprise/enterprise.js';
import { specificationFor } from '../testing/specification.js';
import { aCatalogue, aCreditCode, at } from '../testing/builders.js';

const spec = specificationFor(caseDecider);
const catalogue = aCatalogue();
const caseId = '2b0b7d4e-8c47-4f0e-9d53-1c3c1f6b8a01';
const enterprise = {
  enterpriseId: aCreditCode(1),
  name: '平湖物流有限公司',
  street: 'pinghu',
  archived: false,
};
const t = (m: number) => at(m).toISOString();

// Commands, each at its own minute so events are easy to tell apart.
const cmd = {
  open: {
    type: 'OpenCase',
    data: {
      caseId,
      enterprise,
      category: 'power_supply',
      channel: 'hotline',
      priority: 'high',
      description: '有序用电影响夜班',
      catalogue,
    },
    now: at(0),
  },
  dispatch: {
    type: 'DispatchCase',
    data: { leadDepartment: 'power_supply', coDepartments: ['industry_it'], catalogue },
    now: at(5),
  },
  accept: { type: 'AcceptCase', data: {}, now: at(10) },
  return: { type: 'ReturnCase', data: { reason: '不属于本单位职责' }, now: at(11) },
  transfer: {
    type: 'TransferCase',
    data: { toDepartment: 'development_reform', reason: '涉及项目审批', catalogue },
    now: at(12),
  },
  respond: { type: 'RecordFirstResponse', data: { message: '已联系企业' }, now: at(20) },
  progress: { type: 'NoteProgress', data: { note: '已现场勘查' }, now: at(30) },
  extend: {
    type: 'RequestExtension',
    data: { reason: '需协调电网改造', requestedDueAt: '2026-12-31T10:00:00.000Z' },
    now: at(40),
  },
  approve: { type: 'ApproveExtension', data: { comment: '同意' }, now: at(41) },
  refuse: { type: 'RefuseExtension', data: { reason: '请按期办结' }, now: at(41) },
  pause: { type: 'PauseCase', data: { reason: '等待企业提供材料' }, now: at(50) },
  resume: { type: 'ResumeCase', data: {}, now: at(60) },
  resolve: {
    type: 'ResolveCase',
    data: { resolution: '调整有序用电时段', outcome: 'solved' },
    now: at(70),
  },
  callbackOk: {
    type: 'RecordCallback',
    data: { satisfaction: 'satisfied', comment: '满意' },
    now: at(80),
  },
  callbackBad: {
    type: 'RecordCallback',
    data: { satisfaction: 'unsatisfied', comment: '夜班仍受影响' },
    now: at(80),
  },
  close: { type: 'CloseCase', data: {}, now: at(90) },
  withdraw: { type: 'WithdrawCase', data: { reason: '企业已自行解决' }, now: at(95) },
  supervise: { type: 'OrderSupervision', data: { instructions: '请三日内办结' }, now: at(96) },
  comment: { type: 'CommentOnCase', data: { comment: '企业来电询问进度' }, now: at(97) },
} satisfies Record<string, CaseCommand>;

// Events.
const ev = {
  opened: {
    type: 'CaseOpened',
    data: {
      caseId,
      enterpriseId: enterprise.enterpriseId,
      enterpriseName: enterprise.name,
      street: 'pinghu',
      category: 'power_supply',
      channel: 'hotline',
      priority: 'high',
      description: '有序用电影响夜班',
      visitId: null,
      at: t(0),
    },
  },
  dispatched: {
    type: 'CaseDispatched',
    data: { caseId, leadDepartment: 'power_supply', coDepartments: ['industry_it'], at: t(5) },
  },
  accepted: { type: 'CaseAccepted', data: { caseId, department: 'power_supply', at: t(10) } },
  returned: {
    type: 'CaseReturned',
    data: { caseId, department: 'power_supply', reason: '不属于本单位职责', at: t(11) },
  },
  transferred: {
    type: 'CaseTransferred',
    data: {
      caseId,
      fromDepartment: 'power_supply',
      toDepartment: 'development_reform',
      reason: '涉及项目审批',
      at: t(12),
    },
  },
  responded: {
    type: 'CaseFirstResponseRecorded',
    data: { caseId, message: '已联系企业', at: t(20) },
  },
  progressed: { type: 'CaseProgressNoted', data: { caseId, note: '已现场勘查', at: t(30) } },
  extensionRequested: {
    type: 'CaseExtensionRequested',
    data: {
      caseId,
      reason: '需协调电网改造',
      requestedDueAt: '2026-12-31T10:00:00.000Z',
      at: t(40),
    },
  },
  extensionApproved: {
    type: 'CaseExtensionApproved',
    data: { caseId, dueAt: '2026-12-31T10:00:00.000Z', comment: '同意', at: t(41) },
  },
  extensionRefused: {
    type: 'CaseExtensionRefused',
    data: { caseId, reason: '请按期办结', at: t(41) },
  },
  paused: { type: 'CasePaused', data: { caseId, reason: '等待企业提供材料', at: t(50) } },
  resumed: { type: 'CaseResumed', data: { caseId, at: t(60) } },
  resolved: {
    type: 'CaseResolved',
    data: { caseId, resolution: '调整有序用电时段', outcome: 'solved', at: t(70) },
  },
  calledBackOk: {
    type: 'CaseCallbackRecorded',
    data: { caseId, satisfaction: 'satisfied', comment: '满意', at: t(80) },
  },
  calledBackBad: {
    type: 'CaseCallbackRecorded',
    data: { caseId, satisfaction: 'unsatisfied', comment: '夜班仍受影响', at: t(80) },
  },
  rework: { type: 'CaseReworkOrdered', data: { caseId, reason: '夜班仍受影响', at: t(80) } },
  closed: { type: 'CaseClosed', data: { caseId, at: t(90) } },
  withdrawn: { type: 'CaseWithdrawn', data: { caseId, reason: '企业已自行解决', at: t(95) } },
  supervised: {
    type: 'CaseSupervisionOrdered',
    data: { caseId, instructions: '请三日内办结', at: t(96) },
  },
  commented: { type: 'CaseCommented', data: { caseId, comment: '企业来电询问进度', at: t(97) } },
} satisfies Record<string, CaseEvent>;

/** A history that leaves the case in each status. */
const histories: Record<CaseStatus, CaseEvent[]> = {
  new: [ev.opened],
  dispatched: [ev.opened, ev.dispatched],
  accepted: [ev.opened, ev.dispatched, ev.accepted],
  returned: [ev.opened, ev.dispatched, ev.returned],
  paused: [ev.opened, ev.dispatched, ev.accepted, ev.paused],
  resolved: [ev.opened, ev.dispatched, ev.accepted, ev.resolved],
  closed: [ev.opened, ev.dispatched, ev.accepted, ev.resolved, ev.calledBackOk, ev.closed],
  withdrawn: [ev.opened, ev.withdrawn],
};
const accepted = histories.accepted;

describe('case', () => {
  describe('OpenCase', () => {
    it('opens a case for a registered enterprise', () =>
      spec.given([]).when(cmd.open).then([ev.opened]));
    it('refuses an unregistered enterprise', () =>
      spec
        .given([])
        .when({ ...cmd.open, data: { ...cmd.open.data, enterprise: null } })
        .thenThrows(EnterpriseErrors.notFound));
    it('refuses an archived enterprise', () =>
      spec
        .given([])
        .when({
          ...cmd.open,
          data: { ...cmd.open.data, enterprise: { ...enterprise, archived: true } },
        })
        .thenThrows(EnterpriseErrors.archived));
    it('refuses a category outside the catalogue, listing the catalogue', () =>
      spec
        .given([])
        .when({ ...cmd.open, data: { ...cmd.open.data, category: 'weather' } })
        .thenThrows(CaseErrors.unknownCategory, 'power_supply'));
    it('refuses an empty description and control characters', () => {
      spec
        .given([])
        .when({ ...cmd.open, data: { ...cmd.open.data, description: ' ' } })
        .thenThrows(CaseErrors.invalidText);
      spec
        .given([])
        .when({ ...cmd.open, data: { ...cmd.open.data, description: 'a\u0000b' } })
        .thenThrows(CaseErrors.invalidText, 'control');
    });
    it('refuses to open the same case twice', () =>
      spec.given([ev.opened]).when(cmd.open).thenThrows(CaseErrors.alreadyExists));
  });

  describe('DispatchCase', () => {
    it('dispatches a new case to a lead and co-handling departments', () =>
      spec.given(histories.new).when(cmd.dispatch).then([ev.dispatched]));
    it('dispatches a returned case again', () =>
      spec
        .given(histories.returned)
        .when(cmd.dispatch)
        .then([{ ...ev.dispatched, data: { ...ev.dispatched.data, at: t(5) } }]));
    it('refuses an unknown or retired department', () => {
      spec
        .given(histories.new)
        .when({ ...cmd.dispatch, data: { ...cmd.dispatch.data, leadDepartment: 'weather_bureau' } })
        .thenThrows(CaseErrors.unknownDepartment);
      spec
        .given(histories.new)
        .when({ ...cmd.dispatch, data: { ...cmd.dispatch.data, coDepartments: ['nope'] } })
        .thenThrows(CaseErrors.unknownDepartment);
    });
    it('refuses the lead department as a co-handler too', () =>
      spec
        .given(histories.new)
        .when({ ...cmd.dispatch, data: { ...cmd.dispatch.data, coDepartments: ['power_supply'] } })
        .thenThrows(CaseErrors.leadAlsoCoHandler));
  });

  describe('AcceptCase, ReturnCase, TransferCase', () => {
    it('accepts a dispatched case for its lead department', () =>
      spec.given(histories.dispatched).when(cmd.accept).then([ev.accepted]));
    it('returns a dispatched or accepted case with a reason', () => {
      spec.given(histories.dispatched).when(cmd.return).then([ev.returned]);
      spec.given(accepted).when(cmd.return).then([ev.returned]);
    });
    it('refuses a return without a reason', () =>
      spec
        .given(histories.dispatched)
        .when({ ...cmd.return, data: { reason: '' } })
        .thenThrows(CaseErrors.invalidText));
    it('transfers to another department, which must accept it', () => {
      spec.given(accepted).when(cmd.transfer).then([ev.transferred]);
      spec
        .given([...accepted, ev.transferred])
        .when(cmd.accept)
        .then([
          { ...ev.accepted, data: { ...ev.accepted.data, department: 'development_reform' } },
        ]);
    });
    it('refuses a transfer to the same or an unknown department', () => {
      spec
        .given(accepted)
        .when({ ...cmd.transfer, data: { ...cmd.transfer.data, toDepartment: 'power_supply' } })
        .thenThrows(CaseErrors.sameDepartment);
      spec
        .given(accepted)
        .when({ ...cmd.transfer, data: { ...cmd.transfer.data, toDepartment: 'x_y' } })
        .thenThrows(CaseErrors.unknownDepartment);
    });
  });

  describe('RecordFirstResponse and NoteProgress', () => {
    it('records the first response once', () => {
      spec.given(accepted).when(cmd.respond).then([ev.responded]);
      spec.given(histories.dispatched).when(cmd.respond).then([ev.responded]);
      spec
        .given([...accepted, ev.responded])
        .when(cmd.respond)
        .thenThrows(CaseErrors.alreadyResponded);
    });
    it('notes progress on a case being handled', () => {
      spec.given(accepted).when(cmd.progress).then([ev.progressed]);
      spec.given(histories.paused).when(cmd.progress).then([ev.progressed]);
    });
  });

  describe('extensions', () => {
    it('requests an extension and approves it, moving the due date', () => {
      spec.given(accepted).when(cmd.extend).then([ev.extensionRequested]);
      spec
        .given([...accepted, ev.extensionRequested])
        .when(cmd.approve)
        .then([ev.extensionApproved]);
    });
    it('refuses an extension request', () =>
      spec
        .given([...accepted, ev.extensionRequested])
        .when(cmd.refuse)
        .then([ev.extensionRefused]));
    it('refuses a second request while one waits, and a decision with none waiting', () => {
      spec
        .given([...accepted, ev.extensionRequested])
        .when(cmd.extend)
        .thenThrows(CaseErrors.extensionPending);
      spec.given(accepted).when(cmd.approve).thenThrows(CaseErrors.noExtensionPending);
      spec
        .given([...accepted, ev.extensionRequested, ev.extensionRefused])
        .when(cmd.refuse)
        .thenThrows(CaseErrors.noExtensionPending);
    });
    it('refuses a new due date in the past or not a date', () => {
      spec
        .given(accepted)
        .when({
          ...cmd.extend,
          data: { ...cmd.extend.data, requestedDueAt: '2020-01-01T00:00:00Z' },
        })
        .thenThrows(CaseErrors.invalidDueDate);
      spec
        .given(accepted)
        .when({ ...cmd.extend, data: { ...cmd.extend.data, requestedDueAt: 'next week' } })
        .thenThrows(CaseErrors.invalidDueDate);
      spec
        .given(accepted)
        .when({ ...cmd.extend, data: { ...cmd.extend.data, requestedDueAt: '2026-12-31T10:00' } })
        .thenThrows(CaseErrors.invalidDueDate, 'offset');
    });
  });

  describe('pause and resume', () => {
    it('pauses while waiting for the enterprise and resumes', () => {
      spec.given(accepted).when(cmd.pause).then([ev.paused]);
      spec.given(histories.paused).when(cmd.resume).then([ev.resumed]);
    });
  });

  describe('resolve, callback, rework and close', () => {
    it('resolves an accepted case with an outcome', () =>
      spec.given(accepted).when(cmd.resolve).then([ev.resolved]));
    it('records a satisfied callback, then closes', () => {
      spec.given(histories.resolved).when(cmd.callbackOk).then([ev.calledBackOk]);
      spec
        .given([...histories.resolved, ev.calledBackOk])
        .when(cmd.close)
        .then([ev.closed]);
    });
    it('sends an unsatisfied callback back for rework, and the department resolves again', () => {
      spec.given(histories.resolved).when(cmd.callbackBad).then([ev.calledBackBad, ev.rework]);
      spec
        .given([...histories.resolved, ev.calledBackBad, ev.rework])
        .when(cmd.resolve)
        .then([ev.resolved]);
    });
    it('refuses to close before the callback, and a second callback', () => {
      spec.given(histories.resolved).when(cmd.close).thenThrows(CaseErrors.callbackRequired);
      spec
        .given([...histories.resolved, ev.calledBackOk])
        .when(cmd.callbackOk)
        .thenThrows(CaseErrors.alreadyCalledBack);
    });
  });

  describe('withdraw, supervision, comments', () => {
    it('withdraws an open case', () =>
      spec.given(histories.new).when(cmd.withdraw).then([ev.withdrawn]));
    it('orders supervision with instructions', () =>
      spec.given(accepted).when(cmd.supervise).then([ev.supervised]));
    it('takes comments in every status, even closed', () => {
      for (const status of CASE_STATUSES)
        spec.given(histories[status]).when(cmd.comment).then([ev.commented]);
    });
  });

  // Every command in every status it does not allow: CASE.ILLEGAL_TRANSITION, naming the status.
  const allowed: [keyof typeof cmd, CaseStatus[], CaseEvent[]?][] = [
    ['dispatch', ['new', 'returned']],
    ['accept', ['dispatched']],
    ['return', ['dispatched', 'accepted']],
    ['transfer', ['dispatched', 'accepted']],
    ['respond', ['dispatched', 'accepted', 'paused']],
    ['progress', ['accepted', 'paused']],
    ['extend', ['accepted', 'paused']],
    ['approve', ['accepted', 'paused'], [ev.extensionRequested]],
    ['refuse', ['accepted', 'paused'], [ev.extensionRequested]],
    ['pause', ['accepted']],
    ['resume', ['paused']],
    ['resolve', ['accepted']],
    ['callbackOk', ['resolved']],
    ['close', ['resolved'], [ev.calledBackOk]],
    ['withdraw', ['new', 'dispatched', 'accepted', 'returned', 'paused']],
    ['supervise', ['new', 'dispatched', 'accepted', 'returned', 'paused', 'resolved']],
  ];
  describe.each(allowed)('%s', (name, statuses, extra = []) => {
    const refused = CASE_STATUSES.filter((s) => !statuses.includes(s));
    it.each(refused)(`is refused when the case is %s`, (status) => {
      spec
        .given([
          ...histories[status],
          ...(status === 'paused' || status === 'resolved' ? [] : extra),
        ])
        .when(cmd[name])
        .thenThrows(CaseErrors.illegalTransition, `status: ${status}`);
    });
    it.each(statuses)('is allowed when the case is %s', (status) => {
      expect(() =>
        caseDecider.decide(
          cmd[name],
          [...histories[status], ...extra].reduce(caseDecider.evolve, caseDecider.initialState()),
        ),
      ).not.toThrow();
    });
    it('is refused for a case that does not exist', () =>
      spec.given([]).when(cmd[name]).thenThrows(CaseErrors.notFound));
  });
});
