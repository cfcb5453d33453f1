import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '#event-store';

/**
 * `npm start` as an operator runs it (faults 9 and 10): the built app on a fresh embedded
 * PostgreSQL, stopped with `kill <pid of npm>`. Needs the build (`npm test` builds first).
 */
const root = resolve(import.meta.dirname, '../..');
const main = join(root, 'dist/apps/api/src/main.js');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (
  what: string | (() => string),
  test: () => boolean | Promise<boolean>,
  ms: number,
) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
};

describe('npm start', () => {
  it('is built (npm test builds before it runs the suites)', () => {
    expect(existsSync(main)).toBe(true);
  });

  it('stops node and the embedded PostgreSQL when npm gets SIGTERM, and SIGINT (fault 9)', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const dataDir = mkdtempSync(join(tmpdir(), 'saolou-start-'));
      chmodSync(dataDir, 0o777); // run as root, PostgreSQL runs as the postgres user
      const port = await freePort();
      const npm = spawn('npm', ['start'], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: '',
          DATA_DIR: dataDir,
          PORT: String(port),
          EMBEDDED_PG_PORT: '0',
          SAOLOU_BUILD: 'never',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      npm.stdout.on('data', (b) => (output += b));
      npm.stderr.on('data', (b) => (output += b));
      const exited = new Promise<number | null>((r) => npm.on('exit', (code) => r(code)));
      try {
        await until(
          () => `/health; npm said:\n${output}`,
          async () =>
            (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok === true,
          90_000,
        );
        const postmaster = Number(
          readFileSync(join(dataDir, 'pgdata/postmaster.pid'), 'utf8').split('\n')[0],
        );
        expect(alive(postmaster)).toBe(true);
        npm.kill(signal);
        expect(await exited).toBe(0);
        await until('PostgreSQL to stop', () => !alive(postmaster), 15_000);
        expect(await fetch(`http://127.0.0.1:${port}/health`).catch(() => 'refused')).toBe(
          'refused',
        );
      } finally {
        if (npm.exitCode === null) npm.kill('SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }, 240_000);

  it('does not rebuild an unchanged checkout, and does when a source is newer than the build (fault 10)', () => {
    const stamp = join(root, 'dist/.build-stamp');
    const before = existsSync(stamp) ? statSync(stamp) : null;
    const check = () =>
      spawnSync(process.execPath, [join(root, 'scripts/build-if-changed.mjs'), '--dry-run'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, SAOLOU_BUILD: '' },
      }).stdout.trim();
    try {
      if (!before) expect(check()).toBe('would build (no build yet)');
      // A stamp newer than every source: up to date.
      rmSync(stamp, { force: true });
      spawnSync('touch', [stamp]);
      const future = new Date(Date.now() + 3600_000);
      utimesSync(stamp, future, future);
      expect(check()).toBe('up to date');
      // A stamp older than the sources: a build is due, naming what changed.
      utimesSync(stamp, new Date(1_000_000), new Date(1_000_000));
      expect(check()).toMatch(/^would build \(.+ changed\)$/);
    } finally {
      if (before) utimesSync(stamp, before.atime, before.mtime);
      else rmSync(stamp, { force: true });
    }
  });
});
