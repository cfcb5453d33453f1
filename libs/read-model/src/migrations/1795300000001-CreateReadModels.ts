import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReadModels1795300000001 implements MigrationInterface {
  name = 'CreateReadModels1795300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projection_checkpoints (
        name            text PRIMARY KEY,
        transaction_id  xid8        NOT NULL DEFAULT '0',
        global_position bigint      NOT NULL DEFAULT 0,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE enterprise_view (
        id            text PRIMARY KEY,
        name          text        NOT NULL,
        credit_code   text        NOT NULL,
        street        text        NOT NULL,
        registered_at timestamptz NOT NULL,
        version       integer     NOT NULL
      )`);
    await q.query(`
      CREATE TABLE case_view (
        id                uuid PRIMARY KEY,
        enterprise_id     text        NOT NULL,
        enterprise_name   text        NOT NULL,
        street            text        NOT NULL,
        category          text        NOT NULL,
        description       text        NOT NULL,
        status            text        NOT NULL,
        department        text,
        opened_at         timestamptz NOT NULL,
        assigned_at       timestamptz,
        first_response_at timestamptz,
        first_response    text,
        resolved_at       timestamptz,
        resolution        text,
        version           integer     NOT NULL
      )`);
    await q.query(`CREATE INDEX case_view_status_idx ON case_view (status, opened_at, id)`);
    await q.query(
      `CREATE INDEX case_view_department_idx ON case_view (department, status, opened_at, id)`,
    );
    await q.query(`CREATE INDEX case_view_opened_idx ON case_view (opened_at, id)`);
    await q.query(`
      CREATE TABLE case_timeline (
        event_id        uuid PRIMARY KEY,
        case_id         uuid        NOT NULL,
        stream_position integer     NOT NULL,
        type            text        NOT NULL,
        actor           text        NOT NULL,
        occurred_at     timestamptz NOT NULL,
        data            jsonb       NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX case_timeline_case_idx ON case_timeline (case_id, stream_position)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_timeline, case_view, enterprise_view, projection_checkpoints`);
  }
}
