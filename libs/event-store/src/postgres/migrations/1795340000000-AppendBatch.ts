import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Group commit: the appends of several commands, to several streams, in one round trip and
 * one transaction — all or none. The caller computes every event's stream position from its
 * command's expected version; the function checks that each expected version is its stream's
 * last event (a later event breaks events_stream_position_key instead), inserts the events
 * in the order given, then takes the commands' idempotency keys (a taken key breaks
 * idempotency_keys_pkey) — events before keys, as the single append does, so that the two
 * never wait on each other in opposite orders. Any failure aborts the whole batch, and the
 * caller appends its commands one by one instead, where each gets its own exact answer (the
 * way Marten's mt_append_event keeps an append to one call). It waits at most 1 s for a lock
 * (another transaction's uncommitted event at the same position, say): then it fails, and
 * the appends alone wait instead, each for itself.
 */
export class AppendBatch1795340000000 implements MigrationInterface {
  name = 'AppendBatch1795340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION saolou_append_batch(
        p_stream_ids text[], p_stream_types text[], p_positions bigint[], p_event_ids uuid[],
        p_event_types text[], p_schema_versions integer[], p_data jsonb[], p_metadata jsonb[],
        p_check_streams text[], p_check_positions bigint[],
        p_key_ids text[], p_key_fingerprints text[], p_key_routes text[], p_key_streams text[],
        p_key_first_events uuid[])
      RETURNS TABLE (stream_id text, stream_position bigint, global_position bigint,
                     transaction_id xid8, recorded_at timestamptz)
      LANGUAGE plpgsql
      SET lock_timeout = '1s'
      SET search_path FROM CURRENT
      AS $fn$
      #variable_conflict use_column
      BEGIN
        IF EXISTS (
          SELECT 1 FROM unnest(p_check_streams, p_check_positions) AS c(stream_id, stream_position)
          WHERE NOT EXISTS (SELECT 1 FROM events e
                            WHERE e.stream_id = c.stream_id AND e.stream_position = c.stream_position)
        ) THEN
          RAISE EXCEPTION 'an expected version is not its stream''s last event'
            USING ERRCODE = 'SLWEV';
        END IF;
        RETURN QUERY
          INSERT INTO events
            (stream_id, stream_type, stream_position, event_id, event_type, schema_version, data, metadata)
          SELECT e.stream_id, e.stream_type, e.stream_position, e.event_id, e.event_type,
                 e.schema_version, e.data, e.metadata
          FROM unnest(p_stream_ids, p_stream_types, p_positions, p_event_ids, p_event_types,
                      p_schema_versions, p_data, p_metadata)
               WITH ORDINALITY AS e(stream_id, stream_type, stream_position, event_id, event_type,
                                    schema_version, data, metadata, ord)
          ORDER BY e.ord
          RETURNING events.stream_id, events.stream_position, events.global_position,
                    events.transaction_id, events.recorded_at;
        INSERT INTO idempotency_keys (command_id, fingerprint, route, stream_id, first_event_id)
          SELECT k.command_id, k.fingerprint, k.route, k.stream_id, k.first_event_id
          FROM unnest(p_key_ids, p_key_fingerprints, p_key_routes, p_key_streams,
                      p_key_first_events) AS k(command_id, fingerprint, route, stream_id, first_event_id)
          ORDER BY k.command_id;
      END
      $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION saolou_append_batch`);
  }
}
