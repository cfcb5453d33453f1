import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room on each page for the next version of a row: most events of a case rewrite its
 * case_view, case_sla and a case_metrics_daily row without touching an indexed column, and
 * with free space on the page PostgreSQL writes that as a heap-only (HOT) update instead of
 * a new entry in every index (case_view has about ten, two of them GIN). Applies to pages
 * filled from now on: a rebuild of the read models (or VACUUM FULL) rewrites the old ones.
 */
export class RoomForHotUpdates1795330000001 implements MigrationInterface {
  name = 'RoomForHotUpdates1795330000001';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['case_view', 'case_sla', 'case_metrics_daily'])
      await q.query(`ALTER TABLE ${table} SET (fillfactor = 70)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['case_view', 'case_sla', 'case_metrics_daily'])
      await q.query(`ALTER TABLE ${table} RESET (fillfactor)`);
  }
}
