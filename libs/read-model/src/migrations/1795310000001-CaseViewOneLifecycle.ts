import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One case lifecycle (libs/domain/src/case/lifecycle.ts) folded by every read model:
 * `case_view` keeps the pending extension's requested deadline and reason (the lifecycle
 * needs them to fold on), and after 退回重办 a case is no longer shown as resolved. The
 * metrics facts in `case_sla` now carry the lifecycle's fields. Both projections are
 * rebuilt from the log (emptied and their checkpoints reset; the projector refills them),
 * so rows written under the old folds are corrected.
 */
export class CaseViewOneLifecycle1795310000001 implements MigrationInterface {
  name = 'CaseViewOneLifecycle1795310000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE case_view
        ADD COLUMN extension_requested_due_at timestamptz,
        ADD COLUMN extension_reason text`);
    await rebuild(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE case_view DROP COLUMN extension_requested_due_at, DROP COLUMN extension_reason`,
    );
    await rebuild(q);
  }
}

async function rebuild(q: QueryRunner): Promise<void> {
  await q.query(
    `TRUNCATE case_view, case_sla, case_metrics_daily, sla_calendar_day, sla_policy_change`,
  );
  await q.query(
    `UPDATE projection_checkpoints SET transaction_id = '0', global_position = 0, updated_at = now()
     WHERE name IN ('case_view', 'case_sla')`,
  );
}
