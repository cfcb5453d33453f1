import type { EntityManager } from 'typeorm';
import {
  calendarWithOverrides,
  CASE_EVENT_TYPES,
  contributionsOf,
  evolveFacts,
  HISTOGRAM_BUCKETS,
  METRIC_COUNTERS,
  sameContributions,
  SLA_SETTINGS_EVENT_TYPES,
  shenzhenMidnight,
  slaOf,
  WorkingCalendar,
  type CalendarDay,
  type CaseEvent,
  type CaseFacts,
  type CaseSla,
  type SlaPolicyChange,
  type SlaSettingsEvent,
} from '#domain';
import { comparePositions, recordedAs, type Position, type RecordedEvent } from '#event-store';
import { chineseDaysTable } from '../calendar/chinese-days.js';
import type { Batch, Projection } from '../projection.js';
import { METRIC_COLUMNS } from './case-metrics.reader.js';

const COLUMNS = METRIC_COLUMNS;
if (HISTOGRAM_BUCKETS !== 150)
  throw new Error('the histogram buckets changed: case_metrics_daily needs a migration');

const SETTINGS_TYPES: ReadonlySet<string> = new Set(SLA_SETTINGS_EVENT_TYPES);

let holidayCalendar: WorkingCalendar | null = null;
/** The working calendar of the holiday data package, before admin overrides. */
export function baseCalendar(): WorkingCalendar {
  return (holidayCalendar ??= new WorkingCalendar(chineseDaysTable()));
}

interface Settings {
  days: Map<string, CalendarDay>;
  years: Map<number, CalendarDay[]>;
  policies: (SlaPolicyChange & { position: number })[];
}

interface Row {
  facts: CaseFacts;
  sla: CaseSla | null;
  /** The contributions it had when loaded (to take back). */
  before: ReturnType<typeof contributionsOf>;
  /** The stream position of the last event folded in (null: a row from before it was kept). */
  version: number | null;
}

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? (result as T[]) : []);
const DAY = 86_400_000;

interface Kept {
  settings: Settings;
  /** The calendar with the settings' overrides, once a batch has needed it. */
  calendar: WorkingCalendar | undefined;
}

/**
 * The settings (and calendar) as the last batch of this process left them, per database:
 * loading them is three statements and the calendar years' JSON on every batch, and they
 * change only with a settings event. Kept with the position that batch moved the checkpoint
 * to, and good only for a batch that starts there: another process's batch, a rollback or a
 * rebuild in between shows as a batch starting elsewhere, which loads them again (a rebuild
 * that arrives at the same position has, the log being the same, the same settings).
 */
const kept = new WeakMap<object, Kept & { to: Position }>();

/** The kept settings if this batch starts where they were left, taken out (the batch changes them). */
function takeKept(em: EntityManager, batch: Batch): Kept | undefined {
  const found = kept.get(em.dataSource);
  kept.delete(em.dataSource);
  return found && comparePositions(found.to, batch.after) === 0 ? found : undefined;
}

function keep(em: EntityManager, batch: Batch, state: Kept): void {
  kept.set(em.dataSource, { ...state, to: batch.to });
}

async function loadSettings(em: EntityManager): Promise<Settings> {
  const days = rowsOf<{ date: string; working: boolean; name: string }>(
    await em.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, working, name FROM sla_calendar_day`,
    ),
  );
  const policies = rowsOf<{
    stream_position: number;
    key: string;
    policy: SlaPolicyChange['policy'];
    effective_from: Date;
  }>(
    await em.query(
      `SELECT stream_position, key, policy, effective_from FROM sla_policy_change ORDER BY stream_position`,
    ),
  );
  const years = rowsOf<{ year: number; days: CalendarDay[] }>(
    await em.query(`SELECT year, days FROM sla_calendar_year`),
  );
  return {
    days: new Map(days.map((d) => [d.date, d])),
    years: new Map(years.map((y) => [y.year, y.days])),
    policies: policies.map((p) => ({
      key: p.key,
      policy: p.policy,
      effectiveFrom: new Date(p.effective_from).toISOString(),
      position: p.stream_position,
    })),
  };
}

/**
 * Case SLA clocks and the leaders' daily metrics, in one projection so that a case's row
 * and its contribution to the metrics always move together.
 *
 * Every row is its facts' clocks under the calendar and policies as they stand: a calendar
 * override or a policy change re-derives the clocks of exactly the cases it can affect (for
 * a day: the cases open across it; for a policy: the cases it covers opened since it takes
 * effect) and moves their contributions. So the tables are the same whether built event by
 * event or rebuilt from the log.
 */
export const caseSlaProjection: Projection = {
  name: 'case_sla',
  handles: new Set<string>([...CASE_EVENT_TYPES, ...SLA_SETTINGS_EVENT_TYPES]),
  tables: [
    'case_sla',
    'case_metrics_daily',
    'sla_calendar_day',
    'sla_policy_change',
    'sla_calendar_year',
  ],
  async apply(events: readonly RecordedEvent[], em: EntityManager, batch: Batch) {
    const kept = takeKept(em, batch);
    const settings = kept?.settings ?? (await loadSettings(em));
    let settingsMoved = false;
    const rows = new Map<string, Row>();
    const load = async (where: string, params: unknown[]) => {
      const found = rowsOf<{
        case_id: string;
        facts: CaseFacts;
        sla: CaseSla;
        version: number | null;
      }>(
        await em.query(`SELECT case_id, facts, sla, version FROM case_sla WHERE ${where}`, params),
      );
      for (const r of found) {
        if (rows.has(r.case_id)) continue;
        rows.set(r.case_id, {
          facts: r.facts,
          sla: r.sla,
          before: contributionsOf(r.facts, r.sla),
          version: r.version,
        });
      }
    };
    const caseIds = [
      ...new Set(
        events
          .filter((e) => !SETTINGS_TYPES.has(e.type))
          .map((e) => recordedAs<CaseEvent>(e, CASE_EVENT_TYPES).data.caseId),
      ),
    ];
    if (caseIds.length) await load('case_id = ANY($1)', [caseIds]);

    for (const recorded of events) {
      if (SETTINGS_TYPES.has(recorded.type)) {
        settingsMoved = true;
        const event = recordedAs<SlaSettingsEvent>(recorded, SLA_SETTINGS_EVENT_TYPES);
        switch (event.type) {
          case 'CalendarDaySet':
          case 'CalendarDayCleared': {
            const { date } = event.data;
            if (event.type === 'CalendarDaySet') {
              const { working, name } = event.data;
              settings.days.set(date, { date, working, name });
              await em.query(
                `INSERT INTO sla_calendar_day (date, working, name) VALUES ($1, $2, $3)
                 ON CONFLICT (date) DO UPDATE SET working = excluded.working, name = excluded.name`,
                [date, working, name],
              );
            } else {
              settings.days.delete(date);
              await em.query(`DELETE FROM sla_calendar_day WHERE date = $1`, [date]);
            }
            // The cases whose clocks can cross that day.
            await load(
              `opened_at < $1 AND GREATEST(last_event_at, first_response_due_at, resolution_due_at, interim_update_due_at) >= $2`,
              [new Date(shenzhenMidnight(date).getTime() + DAY), shenzhenMidnight(date)],
            );
            break;
          }
          case 'CalendarYearImported': {
            const { year, days } = event.data;
            settings.years.set(year, days);
            await em.query(
              `INSERT INTO sla_calendar_year (year, days) VALUES ($1, $2)
               ON CONFLICT (year) DO UPDATE SET days = excluded.days`,
              [year, JSON.stringify(days)],
            );
            // The cases whose clocks can cross that year.
            await load(
              `opened_at < $1 AND GREATEST(last_event_at, first_response_due_at, resolution_due_at, interim_update_due_at) >= $2`,
              [shenzhenMidnight(`${year + 1}-01-01`), shenzhenMidnight(`${year}-01-01`)],
            );
            break;
          }
          case 'SlaPolicySet': {
            const { key, policy, effectiveFrom } = event.data;
            settings.policies.push({
              key,
              policy,
              effectiveFrom,
              position: recorded.streamPosition,
            });
            await em.query(
              `INSERT INTO sla_policy_change (stream_position, key, policy, effective_from)
               VALUES ($1, $2, $3, $4) ON CONFLICT (stream_position) DO NOTHING`,
              [recorded.streamPosition, key, JSON.stringify(policy), effectiveFrom],
            );
            const [category, priority] = key.split('/');
            await load(
              `opened_at >= $1 AND ($2 = '*' OR facts->>'category' = $2) AND ($3 = '*' OR facts->>'priority' = $3)`,
              [effectiveFrom, category, priority],
            );
            break;
          }
        }
        continue;
      }
      const event = recordedAs<CaseEvent>(recorded, CASE_EVENT_TYPES);
      const row = rows.get(event.data.caseId);
      const facts = evolveFacts(row?.facts ?? null, event);
      if (row) {
        row.facts = facts;
        row.version = recorded.streamPosition;
      } else
        rows.set(event.data.caseId, {
          facts,
          sla: null,
          before: [],
          version: recorded.streamPosition,
        });
    }
    let calendar = settingsMoved ? undefined : kept?.calendar;
    if (rows.size === 0) return keep(em, batch, { settings, calendar });
    calendar ??= calendarWithOverrides(baseCalendar(), settings.days.values(), settings.years);
    // Kept before the writes below: if they fail, the batch rolls back, its checkpoint does not
    // reach batch.to, and the next batch loads the settings again.
    keep(em, batch, { settings, calendar });
    const deltas = new Map<string, CellDelta>();
    const add = (cells: ReturnType<typeof contributionsOf>, sign: 1 | -1) => {
      for (const cell of cells) {
        for (const grain of ['day', 'month'] as const) {
          const day = grain === 'day' ? cell.day : `${cell.day.slice(0, 8)}01`;
          const id = `${grain}\u0000${cell.dimension}\u0000${day}\u0000${cell.key}`;
          let delta = deltas.get(id);
          if (!delta) {
            delta = {
              grain,
              day,
              dimension: cell.dimension,
              key: cell.key,
              counters: new Array<number>(METRIC_COUNTERS.length).fill(0),
              response: new Map(),
              resolution: new Map(),
            };
            deltas.set(id, delta);
          }
          for (let i = 0; i < METRIC_COUNTERS.length; i++)
            delta.counters[i]! += sign * cell.counters[METRIC_COUNTERS[i]!];
          if (cell.responseBucket !== null) bump(delta.response, cell.responseBucket, sign);
          if (cell.resolutionBucket !== null) bump(delta.resolution, cell.resolutionBucket, sign);
        }
      }
    };
    const upserts: unknown[] = [];
    for (const [caseId, row] of rows) {
      const sla = slaOf(row.facts, calendar, settings.policies);
      const after = contributionsOf(row.facts, sla);
      // Most events (a comment, a note) move no metric: nothing to take back and add again.
      if (!sameContributions(row.before, after)) {
        add(row.before, -1);
        add(after, 1);
      }
      upserts.push({
        case_id: caseId,
        facts: row.facts,
        sla,
        lead_department: row.facts.leadDepartment,
        status: row.facts.status,
        opened_at: row.facts.openedAt,
        first_response_due_at: sla.firstResponseDueAt,
        resolution_due_at: sla.resolutionDueAt,
        resolved_at: sla.resolvedAt,
        first_response_overdue: sla.firstResponseOverdue,
        resolution_overdue: sla.resolutionOverdue,
        next_alert_at: sla.nextAlertAt,
        last_event_at: row.facts.lastEventAt,
        first_responded_at: sla.firstRespondedAt,
        interim_update_due_at: sla.interimUpdateDueAt,
        paused: sla.paused,
        stopped: sla.stopped,
        next_due_at: sla.nextDueAt,
        version: row.version,
      });
    }
    await em.query(
      `INSERT INTO case_sla
       SELECT * FROM jsonb_populate_recordset(NULL::case_sla, $1::jsonb)
       ON CONFLICT (case_id) DO UPDATE SET
         facts = excluded.facts, sla = excluded.sla, lead_department = excluded.lead_department,
         status = excluded.status, opened_at = excluded.opened_at,
         first_response_due_at = excluded.first_response_due_at,
         resolution_due_at = excluded.resolution_due_at, resolved_at = excluded.resolved_at,
         first_response_overdue = excluded.first_response_overdue,
         resolution_overdue = excluded.resolution_overdue, next_alert_at = excluded.next_alert_at,
         last_event_at = excluded.last_event_at, first_responded_at = excluded.first_responded_at,
         interim_update_due_at = excluded.interim_update_due_at, paused = excluded.paused,
         stopped = excluded.stopped, next_due_at = excluded.next_due_at,
         version = excluded.version`,
      [JSON.stringify(upserts)],
    );

    await writeCells(em, [...deltas.values()]);
  },
};

/** What a batch changes in one metric cell: counters (METRIC_COUNTERS order) and histogram buckets. */
interface CellDelta {
  grain: 'day' | 'month';
  day: string;
  dimension: string;
  key: string;
  counters: number[];
  /** Histogram bucket (0-based) → change; sparse. */
  response: Map<number, number>;
  resolution: Map<number, number>;
}

const bump = (histogram: Map<number, number>, bucket: number, by: number) =>
  histogram.set(bucket, (histogram.get(bucket) ?? 0) + by);

/** The non-zero buckets of a sparse histogram delta, 1-based, and their changes; nulls if none. */
function sparse(
  histogram: Map<number, number>,
): [buckets: number[] | null, deltas: number[] | null] {
  const entries = [...histogram].filter(([, by]) => by !== 0).sort(([a], [b]) => a - b);
  if (entries.length === 0) return [null, null];
  return [entries.map(([b]) => b + 1), entries.map(([, by]) => by)];
}

const CELL_KEY = ['grain', 'dimension', 'day', 'key'] as const;
const HISTOGRAM_CHANGES = [
  'response_buckets',
  'response_deltas',
  'resolution_buckets',
  'resolution_deltas',
] as const;
const CELL_PARAMS = `json_to_recordset($1::json) AS d(grain text, dimension text, day date, key text,
  ${COLUMNS.map((c) => `${c} integer`).join(', ')}, ${HISTOGRAM_CHANGES.map((c) => `${c} integer[]`).join(', ')})`;
const sameCell = (a: string, b: string) =>
  CELL_KEY.map((k) => `${a}.${k} = ${b}.${k}`).join(' AND ');
const histogramAdd = (histogram: string, column: string) =>
  `CASE WHEN d.${column}_buckets IS NULL THEN ${histogram}
   ELSE case_metrics_histogram_add(${histogram}, d.${column}_buckets, d.${column}_deltas) END`;
const EMPTY = (m: string) =>
  `${COLUMNS.map((c) => `${m}.${c} = 0`).join(' AND ')} AND 0 = ALL(${m}.response_histogram) AND 0 = ALL(${m}.resolution_histogram)`;
/**
 * Adds the deltas to the existing cells and inserts the others (the projection is the
 * tables' only writer, under its checkpoint lock); returns the existing cells left empty.
 */
const WRITE_CELLS = `WITH d AS (SELECT * FROM ${CELL_PARAMS}),
  updated AS (
    UPDATE case_metrics_daily m SET
      ${COLUMNS.map((c) => `${c} = m.${c} + d.${c}`).join(', ')},
      response_histogram = ${histogramAdd('m.response_histogram', 'response')},
      resolution_histogram = ${histogramAdd('m.resolution_histogram', 'resolution')}
    FROM d WHERE ${sameCell('m', 'd')}
    RETURNING ${CELL_KEY.map((k) => `m.${k}`).join(', ')}, (${EMPTY('m')}) AS empty),
  inserted AS (
    INSERT INTO case_metrics_daily (${CELL_KEY.join(', ')}, ${COLUMNS.join(', ')}, response_histogram, resolution_histogram)
    SELECT ${CELL_KEY.map((k) => `d.${k}`).join(', ')}, ${COLUMNS.map((c) => `d.${c}`).join(', ')},
      ${histogramAdd(`array_fill(0, ARRAY[${HISTOGRAM_BUCKETS}])`, 'response')},
      ${histogramAdd(`array_fill(0, ARRAY[${HISTOGRAM_BUCKETS}])`, 'resolution')}
    FROM d WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE ${sameCell('u', 'd')}))
  SELECT grain, dimension, to_char(day, 'YYYY-MM-DD') AS day, key FROM updated WHERE empty`;

/**
 * Moves the metric cells by the batch's deltas: counters added, histograms changed in the
 * buckets that changed only. A cell every case has left is removed, as if it had never been
 * written: the tables are the same however the log was cut into batches.
 */
async function writeCells(em: EntityManager, deltas: readonly CellDelta[]): Promise<void> {
  const cells: Record<string, unknown>[] = [];
  for (const d of deltas) {
    const response = sparse(d.response);
    const resolution = sparse(d.resolution);
    if (d.counters.every((v) => v === 0) && !response[0] && !resolution[0]) continue;
    const cell: Record<string, unknown> = {
      grain: d.grain,
      dimension: d.dimension,
      day: d.day,
      key: d.key,
      response_buckets: response[0],
      response_deltas: response[1],
      resolution_buckets: resolution[0],
      resolution_deltas: resolution[1],
    };
    for (let i = 0; i < COLUMNS.length; i++) cell[COLUMNS[i]!] = d.counters[i];
    cells.push(cell);
  }
  if (cells.length === 0) return;
  const empty = rowsOf<{ grain: string; dimension: string; day: string; key: string }>(
    await em.query(WRITE_CELLS, [JSON.stringify(cells)]),
  );
  if (empty.length === 0) return;
  await em.query(
    `DELETE FROM case_metrics_daily m
     USING unnest($1::text[], $2::text[], $3::date[], $4::text[]) AS d(${CELL_KEY.join(', ')})
     WHERE ${sameCell('m', 'd')} AND ${EMPTY('m')}`,
    CELL_KEY.map((k) => empty.map((c) => c[k])),
  );
}
