import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event log. Global reads order by (transaction_id, global_position) and
 * only see transactions older than every one still running (pg_snapshot_xmin), so an event
 * whose transaction took its sequence number early but committed late is never skipped
 * (the technique of Emmett's PostgreSQL store).
 */
export class CreateEventStore1795300000000 implements MigrationInterface {
  name = 'CreateEventStore1795300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY,
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        stream_id       text        NOT NULL,
        stream_type     text        NOT NULL,
        stream_position bigint      NOT NULL,
        event_id        uuid        NOT NULL,
        event_type      text        NOT NULL,
        schema_version  integer     NOT NULL DEFAULT 1,
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_pkey PRIMARY KEY (global_position),
        CONSTRAINT events_stream_position_key UNIQUE (stream_id, stream_position),
        CONSTRAINT events_event_id_key UNIQUE (event_id),
        CONSTRAINT events_stream_position_check CHECK (stream_position >= 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX events_global_order_idx ON events (transaction_id, global_position)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE events`);
  }
}
