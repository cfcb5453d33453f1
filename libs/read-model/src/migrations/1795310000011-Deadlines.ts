import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the worklist's deadline filters and sorts need in SQL, and the imported calendar years.
 *
 * - case_sla: when the first answer came, the interim-update deadline, whether the case is
 *   paused or stopped (withdrawn, closed), and `next_due_at`, the earliest deadline still
 *   running (the `sort=due` key; null when none runs).
 * - case_view: `handled_by`, every department that led or co-handled the case (the
 *   "handled by us" history list).
 * - sla_calendar_year: whole years imported from the State Council's schedule.
 *
 * The new columns are derived from events the old rows did not keep, so both projections are
 * emptied and replayed from the start of the log (the projector refills them on start).
 */
export class Deadlines1795310000011 implements MigrationInterface {
  name = 'Deadlines1795310000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sla_calendar_year (
        year integer PRIMARY KEY,
        days jsonb   NOT NULL
      )`);
    await q.query(`
      ALTER TABLE case_sla
        ADD COLUMN first_responded_at    timestamptz,
        ADD COLUMN interim_update_due_at timestamptz,
        ADD COLUMN paused                boolean NOT NULL DEFAULT false,
        ADD COLUMN stopped               boolean NOT NULL DEFAULT false,
        ADD COLUMN next_due_at           timestamptz`);
    await q.query(`CREATE INDEX case_sla_next_due_idx ON case_sla (next_due_at, case_id)`);
    await q.query(
      `ALTER TABLE case_view ADD COLUMN handled_by text[] NOT NULL DEFAULT '{}'::text[]`,
    );
    await q.query(`CREATE INDEX case_view_handled_by_idx ON case_view USING gin (handled_by)`);
    await q.query(
      `CREATE INDEX case_view_extension_pending_idx ON case_view (id) WHERE extension_pending`,
    );
    await q.query(
      `TRUNCATE case_sla, case_metrics_daily, sla_calendar_day, sla_policy_change, case_view`,
    );
    await q.query(
      `UPDATE projection_checkpoints SET transaction_id = '0', global_position = 0, updated_at = now()
       WHERE name IN ('case_sla', 'case_view')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_view_extension_pending_idx`);
    await q.query(`DROP INDEX case_view_handled_by_idx`);
    await q.query(`ALTER TABLE case_view DROP COLUMN handled_by`);
    await q.query(`DROP INDEX case_sla_next_due_idx`);
    await q.query(`
      ALTER TABLE case_sla
        DROP COLUMN first_responded_at, DROP COLUMN interim_update_due_at, DROP COLUMN paused,
        DROP COLUMN stopped, DROP COLUMN next_due_at`);
    await q.query(`DROP TABLE sla_calendar_year`);
    await q.query(
      `TRUNCATE case_sla, case_metrics_daily, sla_calendar_day, sla_policy_change, case_view`,
    );
    await q.query(
      `UPDATE projection_checkpoints SET transaction_id = '0', global_position = 0, updated_at = now()
       WHERE name IN ('case_sla', 'case_view')`,
    );
  }
}
