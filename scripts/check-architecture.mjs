#!/usr/bin/env node
/**
 * The layers, checked (part of `npm run lint`, so of `npm test`):
 *
 *   libs/domain       imports nothing of ours
 *   libs/event-store  imports libs/domain only
 *   libs/read-model   imports libs/domain and libs/event-store, no app code
 *   libs/workers      imports the three libraries above (the SLA clock: reads, then commands)
 *   apps/*            import libs through #domain, #event-store, #read-model; libs never import apps
 *
 * and no import circle between folders: within a library or an app, each folder directly
 * under src/ is one node (a file directly in src/ is its own node), each library is one
 * node as seen from outside it. Every import counts, `import type` included. Tests, test
 * support (testing/ folders), benchmarks and apps/web (the browser app, its own build) are
 * not checked.
 *
 * Exit status 1 with the offending imports, or each circle's path, when a rule is broken.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository, or the folder given as the first argument (the checker's own test uses a fixture). */
const ROOT = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const SCANNED = [
  'libs/domain/src',
  'libs/event-store/src',
  'libs/read-model/src',
  'libs/workers/src',
  'apps/api/src',
  'apps/projector/src',
];
const ALIASES = {
  '#domain': 'libs/domain',
  '#event-store': 'libs/event-store',
  '#read-model': 'libs/read-model',
  '#workers': 'libs/workers',
};
/** What each library may import (apps may import every library). */
const LIBRARY_MAY_IMPORT = {
  'libs/domain': [],
  'libs/event-store': ['libs/domain'],
  'libs/read-model': ['libs/domain', 'libs/event-store'],
  'libs/workers': ['libs/domain', 'libs/event-store', 'libs/read-model'],
};
const IGNORED = /(\.spec\.ts|\.int-spec\.ts|\.e2e-spec\.ts)$|[/\\]testing[/\\]/;

const posix = (p) => p.split(sep).join('/');

function sources(dir) {
  const out = [];
  if (!existsSync(join(ROOT, dir))) return out;
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sources(path));
    else if (path.endsWith('.ts') && !IGNORED.test(path)) out.push(posix(path));
  }
  return out;
}

/** `libs/domain` or `apps/api`: the library or app a path lies in. */
const unitOf = (path) => path.split('/').slice(0, 2).join('/');

/** The node of the folder graph a file belongs to. */
function nodeOf(path) {
  const unit = unitOf(path);
  const inSrc = path.slice(unit.length + '/src/'.length).split('/');
  return inSrc.length === 1 ? path : `${unit}/src/${inSrc[0]}`;
}

/** What a file imports: [specifier, resolved repository path or alias target or null]. */
function importsOf(path) {
  const info = ts.preProcessFile(readFileSync(join(ROOT, path), 'utf8'), true, true);
  return info.importedFiles.map(({ fileName }) => {
    if (fileName in ALIASES) return [fileName, ALIASES[fileName]];
    if (fileName.startsWith('.')) {
      const target = posix(relative(ROOT, resolve(ROOT, dirname(path), fileName))).replace(
        /\.js$/,
        '.ts',
      );
      return [fileName, target];
    }
    return [fileName, null]; // a package
  });
}

const problems = [];
const edges = new Map(); // node -> Map(node -> example "file → specifier")
const addEdge = (from, to, example) => {
  if (from === to) return;
  if (!edges.has(from)) edges.set(from, new Map());
  if (!edges.get(from).has(to)) edges.get(from).set(to, example);
};

for (const dir of SCANNED) {
  for (const file of sources(dir)) {
    const unit = unitOf(file);
    for (const [specifier, target] of importsOf(file)) {
      if (target === null) continue;
      const targetUnit = unitOf(target);
      const isLibrary = unit.startsWith('libs/');
      if (targetUnit.startsWith('apps/') && isLibrary)
        problems.push(`${file}: a library imports app code (${specifier})`);
      if (targetUnit.startsWith('apps/') && targetUnit !== unit)
        problems.push(`${file}: imports another app (${specifier})`);
      if (targetUnit.startsWith('libs/') && targetUnit !== unit) {
        if (isLibrary && !LIBRARY_MAY_IMPORT[unit].includes(targetUnit))
          problems.push(`${file}: ${unit} may not import ${targetUnit} (${specifier})`);
        if (!(specifier in ALIASES))
          problems.push(
            `${file}: imports ${targetUnit} by a relative path; use its # alias (${specifier})`,
          );
      }
      const from = nodeOf(file);
      const to = targetUnit === unit ? nodeOf(target) : targetUnit;
      addEdge(from, to, `${file} → ${specifier}`);
      if (targetUnit !== unit) addEdge(unit, targetUnit, `${file} → ${specifier}`);
    }
  }
}

/** Strongly connected components (Tarjan): each with more than one node is a circle. */
function circles() {
  let index = 0;
  const stack = [];
  const meta = new Map();
  const found = [];
  const visit = (v) => {
    meta.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!meta.has(w)) {
        visit(w);
        meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
      } else if (meta.get(w).onStack)
        meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
    }
    if (meta.get(v).low === meta.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        meta.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!meta.has(v)) visit(v);
  return found;
}

for (const component of circles()) {
  const inside = new Set(component);
  const lines = [];
  for (const from of component)
    for (const [to, example] of edges.get(from) ?? [])
      if (inside.has(to)) lines.push(`    ${from} → ${to}   (${example})`);
  problems.push(`an import circle between ${component.join(', ')}:\n${lines.join('\n')}`);
}

if (problems.length) {
  console.error(
    `Architecture check failed (scripts/check-architecture.mjs):\n- ${problems.join('\n- ')}`,
  );
  process.exit(1);
}
console.log(`Architecture check: ${edges.size} folders and files, layers kept, no import circles.`);
