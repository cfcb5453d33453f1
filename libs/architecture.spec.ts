import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** scripts/check-architecture.mjs: the layer rules and folder circles it enforces. */
const check = (root?: string) =>
  spawnSync(process.execPath, ['scripts/check-architecture.mjs', ...(root ? [root] : [])], {
    encoding: 'utf8',
  });

describe('the architecture check', () => {
  it('passes on this repository', () => {
    const run = check();
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('names a folder circle, a library importing upwards and a library importing an app', () => {
    const root = mkdtempSync(join(tmpdir(), 'saolou-arch-'));
    const file = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    try {
      file(
        'libs/domain/src/case/case.ts',
        "import { x } from '../visit/visit.js';\nexport const c = x;\n",
      );
      file(
        'libs/domain/src/visit/visit.ts',
        "import type { C } from '../case/case.js';\nexport const x = 1;\n",
      );
      file(
        'libs/event-store/src/store.ts',
        "import { P } from '#read-model';\nexport const s = P;\n",
      );
      file(
        'libs/read-model/src/view.ts',
        "import { A } from '../../../apps/api/src/app.js';\nexport const P = A;\n",
      );
      file('apps/api/src/app.ts', 'export const A = 1;\n');
      const run = check(root);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(
        'an import circle between libs/domain/src/case, libs/domain/src/visit',
      );
      expect(run.stderr).toContain('libs/event-store may not import libs/read-model');
      expect(run.stderr).toContain('libs/read-model/src/view.ts: a library imports app code');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
