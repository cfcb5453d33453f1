import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * case_sla.version: the position in its case's stream of the last event the row has folded.
 * A case reply compares it with case_view's version (another projection, which can run
 * ahead) and folds the case from its stream when case_sla is behind; the stored history
 * alone cannot say, since it keeps only the events the clock needs. Rows written before it
 * hold NULL until their next event (and are trusted, as before).
 */
export class CaseSlaVersion1795320000001 implements MigrationInterface {
  name = 'CaseSlaVersion1795320000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_sla ADD COLUMN version integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_sla DROP COLUMN version`);
  }
}
