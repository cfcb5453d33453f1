import pg from 'pg';
import { startTestApp, type TestApp } from '../support/app.js';
import { testDistrict } from '../support/http.js';

/**
 * SQL round trips per command in the steady state (issue 14: at most 2). Every statement any
 * pg client of this process sends is recorded while one request is in flight; the projector
 * and the SLA clock are off, so nothing else runs. The session is cached (and the catalogue,
 * for the commands that need it), so a step on a case reads its stream once — the access
 * guard does not read it; who may is decided on the state the step is appended to — and
 * appends once. The wake-up NOTIFY that tells other processes' readers about the append is
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
async function statementsOf(request: () => Promise<{ status: number }>) {
  sent.length = 0;
  recording = true;
  const res = await request();
  recording = false;
  const wakeups = sent.filter((q) => q.startsWith('SELECT pg_notify'));
  return { status: res.status, command: sent.filter((q) => !wakeups.includes(q)), wakeups };
}

describe('a command in the steady state', () => {
  it('takes at most 2 SQL round trips: one read of the case stream and one append', async () => {
    const { code } = await d.registerEnterprise();
    const opened = await t.request('POST', '/api/v1/cases', {
      as: 'dispatcher',
      body: {
        enterpriseId: code,
        category: 'power_supply',
        channel: 'hotline',
        description: '用电',
      },
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    const comment = (n: number) => () =>
      t.request('POST', `/api/v1/cases/${id}/comments`, {
        as: 'dispatcher',
        body: { comment: `第${n}条意见` },
      });
    await comment(0)(); // the session is now in this process's cache
    const steady = await statementsOf(comment(1));
    expect(steady.status).toBe(200);
    expect(steady.command).toHaveLength(2);
    expect(steady.command[0]).toMatch(/^SELECT .* FROM events WHERE stream_id = \$1/);
    expect(steady.command[1]).toMatch(/INSERT INTO events/i);
    expect(steady.wakeups.length).toBeLessThanOrEqual(1);

    // A step that needs the reference catalogue (cached too) costs the same.
    const dispatch = await statementsOf(() =>
      t.request('POST', `/api/v1/cases/${id}/dispatch`, {
        as: 'dispatcher',
        body: { leadDepartment: 'power_supply' },
      }),
    );
    expect(dispatch.status).toBe(200);
    expect(dispatch.command).toHaveLength(2);
  });
});
