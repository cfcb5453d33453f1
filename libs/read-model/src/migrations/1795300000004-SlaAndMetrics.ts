import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Frozen copies of the domain's lists as of this migration (a later change needs a new one). */
const COUNTERS = [
  'received',
  'response_due',
  'responded',
  'responded_on_time',
  'resolution_due',
  'solved',
  'resolved_on_time',
  'callbacks',
  'satisfied',
  'overdue',
  'escalated',
  'returned',
  'transferred',
  'reopened',
];
const HISTOGRAM_BUCKETS = 150;

export class SlaAndMetrics1795300000004 implements MigrationInterface {
  name = 'SlaAndMetrics1795300000004';

  async up(q: QueryRunner): Promise<void> {
    // The SLA settings as the projection last applied them.
    await q.query(`
      CREATE TABLE sla_calendar_day (
        date    date    PRIMARY KEY,
        working boolean NOT NULL,
        name    text    NOT NULL
      )`);
    await q.query(`
      CREATE TABLE sla_policy_change (
        stream_position integer     PRIMARY KEY,
        key             text        NOT NULL,
        policy          jsonb       NOT NULL,
        effective_from  timestamptz NOT NULL
      )`);
    // One row per case: its facts (with the clock's history, to derive the clocks again when
    // the calendar or a policy changes) and the clocks as of its last event.
    await q.query(`
      CREATE TABLE case_sla (
        case_id                text        PRIMARY KEY,
        facts                  jsonb       NOT NULL,
        sla                    jsonb       NOT NULL,
        lead_department        text,
        status                 text        NOT NULL,
        opened_at              timestamptz NOT NULL,
        first_response_due_at  timestamptz NOT NULL,
        resolution_due_at      timestamptz NOT NULL,
        resolved_at            timestamptz,
        first_response_overdue boolean     NOT NULL,
        resolution_overdue     boolean     NOT NULL,
        next_alert_at          timestamptz,
        last_event_at          timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX case_sla_next_alert_idx ON case_sla (next_alert_at) WHERE next_alert_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX case_sla_opened_at_idx ON case_sla (opened_at)`);
    // The metrics: counters per intake day (grain 'day') and per intake month (grain 'month',
    // day = the first of the month) for each dimension key, summed over any period.
    const counters = COUNTERS.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(',\n        ');
    await q.query(`
      CREATE TABLE case_metrics_daily (
        grain                text      NOT NULL CHECK (grain IN ('day', 'month')),
        dimension            text      NOT NULL,
        day                  date      NOT NULL,
        key                  text      NOT NULL,
        ${counters},
        response_histogram   integer[] NOT NULL DEFAULT array_fill(0, ARRAY[${HISTOGRAM_BUCKETS}]),
        resolution_histogram integer[] NOT NULL DEFAULT array_fill(0, ARRAY[${HISTOGRAM_BUCKETS}]),
        PRIMARY KEY (grain, dimension, day, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_metrics_daily`);
    await q.query(`DROP TABLE case_sla`);
    await q.query(`DROP TABLE sla_policy_change`);
    await q.query(`DROP TABLE sla_calendar_day`);
  }
}
