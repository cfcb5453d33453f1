import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys in one place: one row per (account-scoped) key, naming the request it
 * was first used for (route and fingerprint) and the append it produced. The row is
 * written in the same statement as that append, so a key is taken exactly when its events
 * are stored; a second use of the key — another route, another record, another body, or
 * the same request racing — meets the primary key.
 */
export class IdempotencyKeys1795310001400 implements MigrationInterface {
  name = 'IdempotencyKeys1795310001400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        command_id     text        NOT NULL,
        fingerprint    text        NOT NULL,
        route          text        NOT NULL,
        stream_id      text        NOT NULL,
        first_event_id uuid        NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (command_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
  }
}
