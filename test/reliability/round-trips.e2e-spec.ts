import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { caseDecider, caseStreamId, type CaseCommand } from '#domain';
import { handleCommand, withFacts, type CommandRequest, type EventStore } from '#event-store';
import { EVENT_STORE } from '../../apps/api/src/infrastructure/tokens.js';
import { Catalogues } from '../../apps/api/src/reference/catalogues.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testDistrict } from '../support/http.js';

/**
 * SQL round trips per command in the steady state (issue 14: at most 2). Every statement any
 * pg client of this process sends is recorded while one request is in flight; the projector
 * and the SLA clock are off, so nothing else runs. The session is cached (and the catalogue,
 * for the commands that need it), and so is a case this process stepped last (RecentStreams):
 * a step on it appends once, at the version held — the access guard does not read it; who
 * may is decided on the state the step is appended to. A case that moved on elsewhere is
 * read when the append is refused. The wake-up NOTIFY that tells other processes' readers about the append is
 * not awaited by the command and is shared by every append of the same 5 ms: it is counted
 * apart.
 */
let t: TestApp;
let d: ReturnType<typeof testDistrict>;
const sent: string[] = [];
let recording = false;
const original = pg.Client.prototype.query;

beforeAll(async () => {
  t = await startTestApp({ PROJECTOR: 'off' });
  d = testDistrict(t, 9600);
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (recording) {
      const first = args[0] as string | { text?: string };
      sent.push((typeof first === 'string' ? first : (first?.text ?? '?')).replace(/\s+/g, ' '));
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
});
afterAll(async () => {
  pg.Client.prototype.query = original;
  await t?.close();
});

/** The statements sent while `request` ran, split into the command's and the wake-up's. */
async function statementsOf(request: () => Promise<{ status: number; body?: any }>) {
  sent.length = 0;
  recording = true;
  const res = await request();
  recording = false;
  const wakeups = sent.filter((q) => q.startsWith('SELECT pg_notify'));
  return {
    status: res.status,
    body: res.body,
    command: sent.filter((q) => !wakeups.includes(q)),
    wakeups,
  };
}

/** Another process's step on the case: straight to the store, past this process's handler. */
async function elsewhere(caseId: string, request: CommandRequest<CaseCommand>) {
  const store = t.app.get<EventStore>(EVENT_STORE);
  const command =
    request.type === 'DispatchCase'
      ? withFacts<CaseCommand, 'catalogue'>(request as never, {
          catalogue: await t.app.get(Catalogues).current(),
        })
      : request;
  return handleCommand(store, caseDecider, caseStreamId(caseId), command, {
    commandId: randomUUID(),
    actor: 'system:another-process',
    correlationId: randomUUID(),
    now: new Date(),
  });
}

async function openedCase() {
  const { code } = await d.registerEnterprise();
  const opened = await t.request('POST', '/api/v1/cases', {
    as: 'dispatcher',
    body: { enterpriseId: code, category: 'power_supply', channel: 'hotline', description: '用电' },
  });
  expect(opened.status).toBe(201);
  return opened.body.id as string;
}

const comment = (id: string, n: number) => () =>
  t.request('POST', `/api/v1/cases/${id}/comments`, {
    as: 'dispatcher',
    body: { comment: `第${n}条意见` },
  });

describe('a command in the steady state', () => {
  it('takes one SQL round trip on a case this process stepped last: the append, at the version it holds', async () => {
    const first = await openedCase(); // the session and the catalogue are now cached
    await comment(first, 0)();
    // Opening reads the enterprise's stream (its facts go into the case) and appends; the
    // new case's stream is not read: its id is made from the command's.
    const { code } = await d.registerEnterprise();
    const open = await statementsOf(() =>
      t.request('POST', '/api/v1/cases', {
        as: 'dispatcher',
        body: {
          enterpriseId: code,
          category: 'power_supply',
          channel: 'hotline',
          description: '用电',
        },
      }),
    );
    expect(open.status).toBe(201);
    expect(open.command).toHaveLength(2);
    expect(open.command[0]).toMatch(/FROM events WHERE stream_id = \$1/);
    expect(open.command[1]).toMatch(/INSERT INTO events/i);

    const id = await openedCase();
    const steady = await statementsOf(comment(id, 1));
    expect(steady.status).toBe(200);
    expect(steady.command).toHaveLength(1);
    expect(steady.command[0]).toMatch(/INSERT INTO events/i);
    expect(steady.wakeups.length).toBeLessThanOrEqual(1);

    // A step that needs the reference catalogue (cached too) costs the same.
    const dispatch = await statementsOf(() =>
      t.request('POST', `/api/v1/cases/${id}/dispatch`, {
        as: 'dispatcher',
        body: { leadDepartment: 'power_supply' },
      }),
    );
    expect(dispatch.status).toBe(200);
    expect(dispatch.command).toHaveLength(1);
  });

  it('reads the stream when it moved on elsewhere, and appends at the version it read', async () => {
    const id = await openedCase();
    await comment(id, 0)();
    await elsewhere(id, { type: 'CommentOnCase', data: { comment: '另一进程的意见' } });

    const after = await statementsOf(comment(id, 1));
    expect(after.status).toBe(200);
    // The append at the version held is refused (and checked not to be this command's own
    // earlier append), the stream read, the append made again at the version read.
    expect(after.command).toHaveLength(4);
    expect(after.command[0]).toMatch(/INSERT INTO events/i);
    expect(after.command[1]).toMatch(/FROM events WHERE event_id = \$1/);
    expect(after.command[2]).toMatch(/FROM events WHERE stream_id = \$1/);
    expect(after.command[3]).toMatch(/INSERT INTO events/i);
    expect(after.body.version).toBe(3); // opened, comment 0, the other process's, comment 1
    const { events } = await t.app.get<EventStore>(EVENT_STORE).readStream(caseStreamId(id));
    expect(events.map((e) => (e.data as { comment?: string }).comment)).toEqual([
      undefined,
      '第0条意见',
      '另一进程的意见',
      '第1条意见',
    ]);
  });

  it('decides a refusal again on the stored stream: a step the held state would refuse succeeds when the store allows it', async () => {
    const id = await openedCase();
    await comment(id, 0)(); // held here: a new case, dispatched to no one
    await elsewhere(id, {
      type: 'DispatchCase',
      data: { leadDepartment: 'power_supply' },
    } as never);
    const handler = await t.user('handler:power_supply');
    await t.request('GET', '/api/v1/auth/me', { as: handler }); // its session is cached

    const accept = await statementsOf(() =>
      t.request('POST', `/api/v1/cases/${id}/accept`, { as: handler, body: {} }),
    );
    expect(accept.status).toBe(200);
    // Refused on the held state (the case is no handler's yet): read, decided, appended.
    expect(accept.command).toHaveLength(2);
    expect(accept.command[0]).toMatch(/FROM events WHERE stream_id = \$1/);
    expect(accept.command[1]).toMatch(/INSERT INTO events/i);

    // A refusal the store's stream confirms still stands: the case is accepted already.
    const again = await t.request('POST', `/api/v1/cases/${id}/accept`, { as: handler, body: {} });
    expect(again.status).toBe(409);
  });
  it("answers a step with If-Match as a fresh read would when the case moved on elsewhere: out of the handler's reach is 403, not 412", async () => {
    const id = await openedCase();
    const dispatched = await t.request('POST', `/api/v1/cases/${id}/dispatch`, {
      as: 'dispatcher',
      body: { leadDepartment: 'power_supply' },
    });
    expect(dispatched.status).toBe(200); // held here: dispatched to power_supply
    await elsewhere(id, { type: 'ReturnCase', data: { reason: '不属于本单位职责' } });
    const handler = await t.user('handler:power_supply');
    const accept = await t.request('POST', `/api/v1/cases/${id}/accept`, {
      as: handler,
      body: {},
      headers: { 'if-match': String(dispatched.body.version) },
    });
    // The held state (its version is the If-Match) would allow it; the stored one, returned
    // to the dispatch queue, is no longer the handler's: the answer is the stored state's, the
    // same as the same request's on a fresh read (the stream is not held any more).
    const fresh = await t.request('POST', `/api/v1/cases/${id}/accept`, {
      as: handler,
      body: {},
      headers: { 'if-match': String(dispatched.body.version) },
    });
    expect(accept.status).not.toBe(412);
    expect([accept.status, accept.body.code]).toEqual([fresh.status, fresh.body.code]);
    expect(accept.status).toBe(403);
  });
});
