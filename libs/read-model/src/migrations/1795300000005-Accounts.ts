import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts and sessions; who opened each case and logged each visit (for scoping); the
 * acting user's name, role and department on the case timeline. The new columns are filled
 * from the event log's metadata, so no projection needs rebuilding.
 */
export class Accounts1795300000005 implements MigrationInterface {
  name = 'Accounts1795300000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_account (
        id                   uuid PRIMARY KEY,
        username             text        NOT NULL UNIQUE,
        display_name         text        NOT NULL,
        role                 text        NOT NULL,
        department           text,
        street               text,
        status               text        NOT NULL,
        must_change_password boolean     NOT NULL,
        failures             integer     NOT NULL,
        locked_until         timestamptz,
        created_at           timestamptz NOT NULL,
        last_login_at        timestamptz,
        version              integer     NOT NULL
      )`);
    // Refresh-token sessions: credentials, not facts, so a plain table rather than events.
    // Only a hash of each refresh secret is kept.
    await q.query(`
      CREATE TABLE auth_session (
        id            uuid PRIMARY KEY,
        user_id       uuid        NOT NULL,
        username      text        NOT NULL,
        refresh_hash  text        NOT NULL,
        -- The secret before the last rotation: presenting it again means a copy was kept.
        previous_hash text,
        created_at    timestamptz NOT NULL,
        refreshed_at  timestamptz NOT NULL,
        expires_at    timestamptz NOT NULL,
        revoked_at    timestamptz,
        revoke_reason text,
        client_ip     text,
        user_agent    text
      )`);
    await q.query(`CREATE INDEX auth_session_user_idx ON auth_session (user_id)`);

    await q.query(`ALTER TABLE case_view ADD COLUMN opened_by text`);
    await q.query(`
      UPDATE case_view c SET opened_by = e.metadata->>'actor'
        FROM events e
       WHERE e.stream_id = 'case-' || c.id AND e.stream_position = 0`);
    await q.query(`CREATE INDEX case_view_opened_by_idx ON case_view (opened_by)`);
    await q.query(`CREATE INDEX case_view_street_idx ON case_view (street, opened_at)`);

    await q.query(`ALTER TABLE visit_view ADD COLUMN logged_by text`);
    await q.query(`
      UPDATE visit_view v SET logged_by = e.metadata->>'actor'
        FROM events e
       WHERE e.stream_id = 'visit-' || v.id AND e.stream_position = 0`);

    await q.query(`ALTER TABLE case_timeline ADD COLUMN actor_details jsonb`);
    await q.query(`
      UPDATE case_timeline t SET actor_details = e.metadata->'actorDetails'
        FROM events e
       WHERE e.event_id = t.event_id AND e.metadata ? 'actorDetails'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_timeline DROP COLUMN actor_details`);
    await q.query(`ALTER TABLE visit_view DROP COLUMN logged_by`);
    await q.query(`DROP INDEX case_view_street_idx`);
    await q.query(`DROP INDEX case_view_opened_by_idx`);
    await q.query(`ALTER TABLE case_view DROP COLUMN opened_by`);
    await q.query(`DROP TABLE auth_session`);
    await q.query(`DROP TABLE user_account`);
  }
}
