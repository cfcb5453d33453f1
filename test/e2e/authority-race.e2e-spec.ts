import { caseDecider, caseStreamId, type CaseEvent, type CaseState } from '#domain';
import type { EventStore, RecordedEvent } from '#event-store';
import { EVENT_STORE } from '../../apps/api/src/infrastructure/tokens.js';
import { startTestApp, type Response, type TestApp, type TestUser } from '../support/app.js';
import { testDistrict } from '../support/http.js';

/**
 * Authority is decided on the state that is appended to: a transfer (转办) sent together
 * with many commands from the old lead department's handlers. Whatever order they land in,
 * no event of the old department follows the transfer in the stream, and every return or
 * transfer names the department that led the case at that version.
 */
let t: TestApp;
let d: ReturnType<typeof testDistrict>;
let store: EventStore;
let handlers: TestUser[];

beforeAll(async () => {
  t = await startTestApp();
  d = testDistrict(t, 7800);
  store = t.app.get(EVENT_STORE);
  handlers = await Promise.all(
    [1, 2, 3].map((n) =>
      t.newUser('handler', { department: 'power_supply' }, `power-handler-${n}`),
    ),
  );
});
afterAll(() => t.close());

const LEAD_ONLY = new Set<CaseEvent['type']>([
  'CaseAccepted',
  'CaseReturned',
  'CaseTransferred',
  'CaseFirstResponseRecorded',
  'CaseExtensionRequested',
  'CasePaused',
  'CaseResumed',
  'CaseResolved',
]);

/** Replays the stream, checking each event against the state it was appended on. */
function checkStream(events: readonly RecordedEvent[]) {
  let state: CaseState = caseDecider.initialState();
  let transferredAt = -1;
  for (const recorded of events) {
    const event = recorded as unknown as CaseEvent;
    const by = recorded.metadata.actorDetails as
      { role: string; department: string | null } | undefined;
    if (state.status !== 'none') {
      if (event.type === 'CaseReturned') expect(event.data.department).toBe(state.leadDepartment);
      if (event.type === 'CaseTransferred')
        expect(event.data.fromDepartment).toBe(state.leadDepartment);
      if (by?.role === 'handler') {
        // A handler writes only within reach at that version; a lead-only step only as lead.
        const reach =
          by.department === state.leadDepartment
            ? 'lead'
            : state.coDepartments.includes(by.department!)
              ? 'see'
              : 'none';
        expect({ type: event.type, reach }).not.toEqual({ type: event.type, reach: 'none' });
        if (LEAD_ONLY.has(event.type))
          expect({ type: event.type, reach }).toEqual({ type: event.type, reach: 'lead' });
      }
    }
    if (event.type === 'CaseTransferred') transferredAt = recorded.streamPosition;
    if (transferredAt >= 0 && recorded.streamPosition > transferredAt && by?.role === 'handler')
      expect(by.department).not.toBe('power_supply');
    state = caseDecider.evolve(state, event);
  }
  return transferredAt;
}

describe('a transfer racing the old lead department', () => {
  it('lets no command of the old department in after the transfer, in any of several trials', async () => {
    let transfers = 0;
    let refusedAfterTransfer = 0;
    for (let trial = 0; trial < 6; trial++) {
      const { code } = await d.registerEnterprise();
      const id = (await d.openCase(code)).body.id as string;
      await d.steps(id, [['dispatch', { leadDepartment: 'power_supply' }]]);
      await t.request('POST', `/api/v1/cases/${id}/accept`, { as: handlers[0] });
      const url = (step: string) => `/api/v1/cases/${id}/${step}`;
      const old = (n: number) => handlers[n % handlers.length]!;
      const sends: (() => Promise<Response>)[] = [];
      for (let n = 0; n < 14; n++)
        sends.push(() =>
          t.request('POST', url('comments'), { body: { comment: `意见${n}` }, as: old(n) }),
        );
      for (let n = 0; n < 6; n++)
        sends.push(() =>
          t.request('POST', url('first-response'), { body: { message: `已联系${n}` }, as: old(n) }),
        );
      sends.push(() =>
        t.request('POST', url('return'), { body: { reason: '非本单位职责' }, as: old(2) }),
      );
      // The transfer goes out in the middle of the others.
      sends.splice(trial % 2 === 0 ? 3 : 10, 0, () =>
        t.request('POST', url('transfer'), {
          body: { toDepartment: 'development_reform', reason: '涉及项目审批' },
          as: old(1),
        }),
      );
      const replies = await Promise.all(sends.map((send) => send()));
      for (const reply of replies) expect([200, 403, 404, 409]).toContain(reply.status);

      const { events } = await store.readStream(caseStreamId(id));
      const at = checkStream(events);
      if (at >= 0) {
        transfers++;
        refusedAfterTransfer += replies.filter((r) => r.status === 403 || r.status === 404).length;
      }
    }
    // The race was real: transfers won, and commands sent with them were refused after it.
    expect(transfers).toBeGreaterThan(0);
    expect(refusedAfterTransfer).toBeGreaterThan(0);
  });
});
