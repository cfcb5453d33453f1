/**
 * Append throughput of the event store against raw single-row INSERTs of the same payload
 * into a table of the same shape (same columns, same indexes), from the same Node process
 * and the same pool size, in the same run. Target: ratio ≥ 0.7 at 32 writers.
 *
 *   npm run bench:append            (embedded PostgreSQL; DATABASE_URL to use another server)
 *   BENCH_SECONDS=5 npm run bench:append
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresEventStore } from '#event-store';
import { migrate } from '#read-model';
import { benchDatabase, throughput } from './support.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const WRITERS = [1, 8, 32];
const ROUNDS = 2;

// ≈ 450 bytes of data and metadata, like a case event.
const data = {
  caseId: randomUUID(),
  enterpriseId: '91440307MA5DXXXXXX',
  enterpriseName: '深圳市龙岗区示例电子科技有限公司',
  street: '坂田',
  category: 'power_supply',
  description: '企业反映二期厂房用电容量不足，有序用电方案影响夜班生产，希望协调增容。',
  openedAt: new Date().toISOString(),
};
const metadata = {
  actor: 'bench',
  commandId: randomUUID(),
  correlationId: randomUUID(),
  occurredAt: new Date().toISOString(),
};

async function main() {
  const db = await benchDatabase();
  await migrate(db.url);

  const pool = new pg.Pool({ connectionString: db.url, max: 32 }).on('error', () => {});
  await pool.query('CREATE TABLE raw_events (LIKE events INCLUDING ALL)');
  const store = new PostgresEventStore(new pg.Pool({ connectionString: db.url, max: 32 }));
  // The same store with group commit off: every append its own statement and transaction.
  const alone = new PostgresEventStore(new pg.Pool({ connectionString: db.url, max: 32 }), {
    groupCommit: false,
  });
  const dataJson = JSON.stringify(data);
  const metaJson = JSON.stringify(metadata);
  let run = 0;

  const insert = `INSERT INTO raw_events
      (stream_id, stream_type, stream_position, event_id, event_type, schema_version, data, metadata)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
  /** The baseline: a plain parameterised single-row INSERT, as most code would write it. */
  const raw = (writers: number, prepared = false) => {
    const prefix = `raw-${run++}`;
    return throughput(writers, seconds * 1000, async (w, n) => {
      const values = [
        `${prefix}-${w}`,
        'case',
        n,
        randomUUID(),
        'CaseOpened',
        1,
        dataJson,
        metaJson,
      ];
      await pool.query(
        prepared ? { name: 'raw_insert', text: insert, values } : { text: insert, values },
      );
    });
  };
  const evented = (writers: number, into = store) => {
    const prefix = `case-${run++}`;
    return throughput(writers, seconds * 1000, async (w, n) => {
      await into.appendToStream(
        `${prefix}-${w}`,
        [{ eventId: randomUUID(), type: 'CaseOpened', data, metadata }],
        {
          expectedVersion: n === 0 ? 'no_stream' : n - 1,
        },
      );
    });
  };

  // Warm both paths (connections, plans, caches) before measuring.
  await raw(32);
  await evented(32);
  await evented(32, alone);

  console.log(`append benchmark on ${db.url.replace(/\/\/[^@]*@/, '//')} (${db.where})`);
  console.log(
    `${seconds}s per measurement, best of ${ROUNDS} interleaved rounds, pool of 32, one ≈450-byte event per append\n`,
  );
  console.log(
    'writers   raw INSERT/s   event store appends/s   ratio   | raw prepared INSERT/s   ratio to it   | appends alone/s   ratio',
  );
  const ratios: Record<number, number> = {};
  for (const writers of WRITERS) {
    let bestRaw = 0;
    let bestPrepared = 0;
    let bestStore = 0;
    let bestAlone = 0;
    for (let r = 0; r < ROUNDS; r++) {
      bestRaw = Math.max(bestRaw, await raw(writers));
      bestStore = Math.max(bestStore, await evented(writers));
      bestAlone = Math.max(bestAlone, await evented(writers, alone));
      bestPrepared = Math.max(bestPrepared, await raw(writers, true));
    }
    ratios[writers] = bestStore / bestRaw;
    console.log(
      `${String(writers).padStart(7)}   ${bestRaw.toFixed(0).padStart(12)}   ${bestStore.toFixed(0).padStart(21)}   ${ratios[writers]!.toFixed(2).padStart(5)}` +
        `   | ${bestPrepared.toFixed(0).padStart(21)}   ${(bestStore / bestPrepared).toFixed(2).padStart(11)}` +
        `   | ${bestAlone.toFixed(0).padStart(15)}   ${(bestAlone / bestRaw).toFixed(2).padStart(5)}`,
    );
  }
  const target = 0.7;
  console.log(
    `\ntarget: ratio ≥ ${target} at 32 writers → ${ratios[32]! >= target ? 'met' : 'NOT met'}`,
  );
  await store.close();
  await alone.close();
  await pool.end();
  await db.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
