import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  PostgresEventStore,
  comparePositions,
  parsePosition,
  START,
  type Position,
} from '#event-store';
import { createDataSource, migrate, PROJECTIONS, Projector } from '#read-model';
import type { DataSource } from 'typeorm';
import { caseWithHistory, registerEnterprise } from '../support/district.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const PROJECTOR_MAIN = 'dist/apps/projector/src/main.js';
const TABLES: Record<string, string> = {
  enterprise_view: 'id',
  case_view: 'id',
  case_timeline: 'event_id',
};

let db: TestDatabase;
let store: PostgresEventStore;
let ds: DataSource;

beforeAll(async () => {
  if (!existsSync(PROJECTOR_MAIN))
    throw new Error(`${PROJECTOR_MAIN} is missing: run npm run build (npm test does)`);
  db = await createTestDatabase();
  await migrate(db.url);
  store = PostgresEventStore.connect(db.url, { poolSize: 16 });
  ds = createDataSource(db.url);
  await ds.initialize();
});

afterAll(async () => {
  await ds?.destroy();
  await store?.close();
  await db?.drop();
});

/** Enterprises and cases in every state of the lifecycle, written through the deciders. */
async function writeDistrict(
  enterprises: number,
  casesEach: number,
  offset: number,
): Promise<void> {
  await Promise.all(
    Array.from({ length: enterprises }, async (_, i) => {
      const enterprise = await registerEnterprise(store, offset + i);
      for (let c = 0; c < casesEach; c++) await caseWithHistory(store, enterprise, c % 7);
    }),
  );
}

interface Running {
  child: ChildProcess;
  lines: AsyncIterableIterator<string>;
  exited: Promise<number | null>;
}

function startProjector(): Running {
  const child = spawn(process.execPath, [PROJECTOR_MAIN], {
    env: { ...process.env, DATABASE_URL: db.url, PROJECTOR_BATCH_SIZE: '100' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? null : code)),
  );
  return {
    child,
    lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator](),
    exited,
  };
}

async function checkpoints(): Promise<Map<string, Position>> {
  const rows: { name: string; tx: string; pos: string }[] = await ds.query(
    `SELECT name, transaction_id::text AS tx, global_position::text AS pos FROM projection_checkpoints`,
  );
  return new Map(
    rows.map((r) => [r.name, { transactionId: BigInt(r.tx), globalPosition: BigInt(r.pos) }]),
  );
}

async function head(): Promise<Position> {
  const [row]: { tx: string; pos: string }[] = await ds.query(
    `SELECT transaction_id::text AS tx, global_position::text AS pos FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  return { transactionId: BigInt(row!.tx), globalPosition: BigInt(row!.pos) };
}

async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, key] of Object.entries(TABLES)) {
    out[table] = JSON.stringify(await ds.query(`SELECT * FROM ${table} ORDER BY ${key}`));
  }
  return out;
}

it('a projector killed with SIGKILL mid-batch, again and again, ends identical to a clean rebuild', async () => {
  await writeDistrict(40, 12, 0);
  const kills: { afterApplying: number; progressed: boolean; rolledBack: boolean }[] = [];
  let before = await checkpoints();

  for (let k = 0; k < 5; k++) {
    // More events arrive while the projector keeps dying.
    const writing = writeDistrict(8, 6, 10_000 + k * 100);
    const projector = startProjector();
    const target = 2 + k;
    let applying = 0;
    let killedBatch: { projection: string; to: string } | null = null;
    for await (const line of projector.lines) {
      const entry = JSON.parse(line);
      if (entry.msg !== 'batch.applying') continue;
      if (++applying === target) {
        // Its batch transaction is open now: kill it before it can commit.
        projector.child.kill('SIGKILL');
        killedBatch = entry;
        break;
      }
    }
    expect(await projector.exited).toBeNull();
    await writing;
    const after = await checkpoints();
    const progressed = [...after].some(
      ([name, p]) => comparePositions(p, before.get(name) ?? START) > 0,
    );
    // The killed batch never committed: its projection's checkpoint stops short of it.
    const rolledBack =
      comparePositions(after.get(killedBatch!.projection)!, parsePosition(killedBatch!.to)!) < 0;
    kills.push({ afterApplying: target, progressed, rolledBack });
    before = after;
  }
  expect(kills.every((k) => k.progressed)).toBe(true);
  // A kill can race a fast commit; most land inside the open transaction.
  expect(kills.filter((k) => k.rolledBack).length).toBeGreaterThanOrEqual(3);

  // Restart and let it catch up with the whole log.
  const last = startProjector();
  // Its SLA clock appends overdue alerts for the old cases as it catches up: caught up is
  // at the log's head as it is then, twice in a row.
  for (let waited = 0, held = 0; held < 2; waited += 100) {
    const end = await head();
    const done = [...(await checkpoints()).values()].every((p) => comparePositions(p, end) >= 0);
    held = done ? held + 1 : 0;
    if (waited > 60_000) throw new Error('the restarted projector did not catch up within 60 s');
    await new Promise((resolve) => setTimeout(resolve, done ? 300 : 100));
  }
  last.child.kill('SIGTERM');
  expect(await last.exited).toBe(0);
  const survived = await snapshot();

  // Every case event is in the timeline exactly once.
  const [{ count }]: { count: string }[] = await ds.query(
    `SELECT count(*) FROM events WHERE stream_type = 'case'`,
  );
  const [{ rows }]: { rows: string }[] = await ds.query(
    `SELECT count(*) AS rows FROM case_timeline`,
  );
  expect(rows).toBe(count);

  const clean = new Projector(ds, store, PROJECTIONS, { batchSize: 1000 });
  for (const projection of PROJECTIONS) await clean.rebuild(projection.name);
  const rebuilt = await snapshot();
  for (const table of Object.keys(TABLES))
    expect({ table, rows: survived[table] }).toEqual({ table, rows: rebuilt[table] });
}, 180_000);
