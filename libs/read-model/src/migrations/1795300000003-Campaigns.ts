import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Campaigns1795300000003 implements MigrationInterface {
  name = 'Campaigns1795300000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign_view (
        id             text PRIMARY KEY,
        name           text        NOT NULL,
        starts_on      date        NOT NULL,
        ends_on        date        NOT NULL,
        buildings      text[]      NOT NULL,
        enterprise_ids text[]      NOT NULL,
        status         text        NOT NULL,
        created_at     timestamptz NOT NULL,
        version        integer     NOT NULL
      )`);
    // Coverage joins enterprises by building and visits by enterprise and day.
    await q.query(`CREATE INDEX enterprise_view_building_idx ON enterprise_view (building)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX enterprise_view_building_idx`);
    await q.query(`DROP TABLE campaign_view`);
  }
}
