import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models for the whole case lifecycle, visits, enterprise profiles and reference data. */
export class CaseLifecycleReadModels1795300000002 implements MigrationInterface {
  name = 'CaseLifecycleReadModels1795300000002';

  async up(q: QueryRunner): Promise<void> {
    // The first slice's case events (CaseAssigned, …) never shipped; a data folder that
    // holds them predates the lifecycle and cannot be projected by it.
    const [old] = await q.query(
      `SELECT count(*)::int AS n FROM events WHERE event_type = 'CaseAssigned'`,
    );
    if (old.n > 0) {
      throw new Error(
        'This database holds case events from before the case lifecycle (pre-release); start from an empty data folder.',
      );
    }
    await q.query(`DROP TABLE case_view`);
    await q.query(`
      CREATE TABLE case_view (
        id                 uuid PRIMARY KEY,
        enterprise_id      text        NOT NULL,
        enterprise_name    text        NOT NULL,
        street             text        NOT NULL,
        category           text        NOT NULL,
        channel            text        NOT NULL,
        priority           text        NOT NULL,
        description        text        NOT NULL,
        visit_id           text,
        status             text        NOT NULL,
        lead_department    text,
        co_departments     text[]      NOT NULL DEFAULT '{}',
        opened_at          timestamptz NOT NULL,
        first_response_at  timestamptz,
        first_response     text,
        resolved_at        timestamptz,
        resolution         text,
        outcome            text,
        satisfaction       text,
        due_at             timestamptz,
        extension_pending  boolean     NOT NULL DEFAULT false,
        returned_count     integer     NOT NULL DEFAULT 0,
        transferred_count  integer     NOT NULL DEFAULT 0,
        reworked_count     integer     NOT NULL DEFAULT 0,
        supervised_count   integer     NOT NULL DEFAULT 0,
        last_activity_at   timestamptz NOT NULL,
        version            integer     NOT NULL
      )`);
    await q.query(`CREATE INDEX case_view_opened_idx ON case_view (opened_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX case_view_status_idx ON case_view (status, opened_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX case_view_lead_idx ON case_view (lead_department, status, opened_at DESC)`,
    );
    await q.query(`CREATE INDEX case_view_co_idx ON case_view USING gin (co_departments)`);
    await q.query(
      `CREATE INDEX case_view_enterprise_idx ON case_view (enterprise_id, opened_at DESC)`,
    );
    await q.query(`
      ALTER TABLE enterprise_view
        ADD COLUMN building text,
        ADD COLUMN industry_cluster text,
        ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
        ADD COLUMN contact_person text,
        ADD COLUMN contact_phone text,
        ADD COLUMN archived_at timestamptz`);
    await q.query(`CREATE INDEX enterprise_view_street_idx ON enterprise_view (street, name)`);
    await q.query(`
      CREATE TABLE visit_view (
        id              text PRIMARY KEY,
        enterprise_id   text        NOT NULL,
        enterprise_name text        NOT NULL,
        street          text        NOT NULL,
        visited_on      date        NOT NULL,
        level           text        NOT NULL,
        officers        text[]      NOT NULL,
        leaders         text[]      NOT NULL,
        summary         text        NOT NULL,
        case_ids        text[]      NOT NULL,
        logged_at       timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX visit_view_date_idx ON visit_view (visited_on DESC, id DESC)`);
    await q.query(
      `CREATE INDEX visit_view_enterprise_idx ON visit_view (enterprise_id, visited_on DESC)`,
    );
    await q.query(`
      CREATE TABLE reference_view (
        kind   text    NOT NULL,
        code   text    NOT NULL,
        name   text    NOT NULL,
        active boolean NOT NULL,
        PRIMARY KEY (kind, code)
      )`);
    // Rebuild the changed projections from the log.
    await q.query(`TRUNCATE enterprise_view, case_timeline`);
    await q.query(
      `DELETE FROM projection_checkpoints WHERE name IN ('enterprise_view', 'case_view', 'case_timeline')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reference_view, visit_view`);
    await q.query(`ALTER TABLE enterprise_view DROP COLUMN building, DROP COLUMN industry_cluster, DROP COLUMN tags,
      DROP COLUMN contact_person, DROP COLUMN contact_phone, DROP COLUMN archived_at`);
  }
}
