/**
 * The last active admin holds under concurrency: two admins disabling each other at once
 * (twenty requests each) leave exactly one of them active, never none. The rule spans
 * accounts, so users/change-account takes turns under AdvisoryLocks. (In one process this
 * test has not caught the race without the lock — the requests' own round trips seem to
 * order them — so it guards the invariant, not the lock itself.)
 */
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

it('two admins disabling each other at once leave one active admin', async () => {
  const second = await t.newUser('admin', {}, 'second.admin');
  // A request whose session has just ended is answered 401; the test client then tries to sign
  // in again, which a disabled account cannot: that is the same refusal.
  const disable = (as: typeof second, username: string) =>
    t
      .request('POST', `/api/v1/users/${username}/disable`, { as, body: { reason: '互相停用' } })
      .catch(() => ({ status: 401, body: { code: 'AUTH.SESSION_ENDED' } }) as never);
  const targets = Array.from({ length: 20 }, () => ['second.admin', 'admin']).flat();
  const replies = await Promise.all(
    targets.map((target) => disable(target === 'admin' ? second : t.admin, target)),
  );
  const ok = replies.flatMap((r, i) => (r.status === 200 ? [{ r, target: targets[i]! }] : []));
  expect(ok).toHaveLength(1);
  // The others: the last admin kept (409), already disabled (409) or a session just ended (401).
  for (const r of replies.filter((x) => x.status !== 200)) {
    expect([401, 409]).toContain(r.status);
    if (r.status === 409)
      expect(['ACCOUNT.LAST_ADMIN', 'ACCOUNT.ALREADY_DISABLED']).toContain(r.body.code);
  }
  const survivor = ok[0]!.target === 'second.admin' ? t.admin : second;
  const list = await t.request('GET', '/api/v1/users?role=admin&status=active', {
    as: survivor,
    headers: { 'x-consistent-with': ok[0]!.r.body.position },
  });
  expect(list.status).toBe(200);
  expect(list.body.items.map((u: { username: string }) => u.username)).toEqual([survivor.username]);
});
