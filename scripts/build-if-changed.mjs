#!/usr/bin/env node
// Runs `npm run build` only when a source is newer than the last successful build, so a
// restart of an unchanged checkout starts in about a second instead of recompiling.
//
// Sources: everything under apps/, libs/ and bench/ (the web app's sources included, so
// the web build that `npm run build` runs is covered too), package.json, package-lock.json
// and every tsconfig*.json; folders named node_modules or dist are skipped. A directory's own
// time counts, so deleting or renaming a file triggers a build as well. The stamp
// (dist/.build-stamp) is written only after a build that succeeded; `npm run build` itself
// always builds. SAOLOU_BUILD=always forces a build, SAOLOU_BUILD=never skips the check;
// --dry-run only says whether it would build.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(root, 'dist', '.build-stamp');
const ROOTS = ['apps', 'libs', 'bench'];
const SKIP = new Set(['node_modules', 'dist', '.saolou', 'coverage']);

/** The newest modification time (ms) under a path, and the file that has it. */
function newest(path, best = { time: 0, path: '' }) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return best;
  }
  if (stat.mtimeMs > best.time) best = { time: stat.mtimeMs, path };
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) {
      if (SKIP.has(entry)) continue;
      best = newest(join(path, entry), best);
    }
  }
  return best;
}

function sources() {
  let best = { time: 0, path: '' };
  for (const r of ROOTS) best = newest(join(root, r), best);
  for (const entry of readdirSync(root)) {
    if (
      entry === 'package.json' ||
      entry === 'package-lock.json' ||
      /^tsconfig.*\.json$/.test(entry)
    )
      best = newest(join(root, entry), best);
  }
  return best;
}

function stampTime() {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return 0;
  }
}

const dryRun = process.argv.includes('--dry-run');
const mode = process.env.SAOLOU_BUILD ?? 'auto';
if (mode === 'never') process.exit(0);
const source = sources();
const built = stampTime();
if (mode !== 'always' && built > 0 && source.time <= built) {
  if (dryRun) console.log('up to date');
  process.exit(0);
}

const started = Date.now();
const why =
  mode === 'always'
    ? 'SAOLOU_BUILD=always'
    : built === 0
      ? 'no build yet'
      : `${source.path.slice(root.length + 1)} changed`;
if (dryRun) {
  console.log(`would build (${why})`);
  process.exit(0);
}
console.error(`[Saolou] building (${why})…`);
const npm = process.env.npm_execpath
  ? [process.execPath, [process.env.npm_execpath, 'run', 'build']]
  : ['npm', ['run', 'build']];
const result = spawnSync(npm[0], npm[1], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('[Saolou] the build failed; nothing was started');
  process.exit(result.status ?? 1);
}
// Stamp with the time the build started: a file saved during the build is newer and
// triggers the next one.
mkdirSync(dirname(STAMP), { recursive: true });
writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
utimesSync(STAMP, new Date(started), new Date(started));
console.error(`[Saolou] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
