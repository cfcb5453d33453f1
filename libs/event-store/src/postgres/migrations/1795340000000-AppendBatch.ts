import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Group commit: the appends of several commands, to several streams, in one round trip and
 * one transaction. The caller computes every event's stream position from its command's
 * expected version. The function leaves out the appends whose expected version is not their
 * stream's last event as far as committed events show (a case that moved on, a retried
 * append whose events are stored), inserts the others' events in the order given, then
 * takes their idempotency keys — events before keys, as the single append does, so that the
 * two never wait on each other in opposite orders. The caller sends each append left out
 * again alone, where it gets its own exact answer (a conflict, a replay). Anything else that
 * fails — a taken key, a concurrent writer's event at the same position — aborts the whole
 * batch, and every append of it goes alone (the way Marten's mt_append_event keeps an append
 * to one call). It waits at most 1 s for a lock (another transaction's uncommitted event at
 * the same position, say): then it fails, and the appends alone wait instead, each for
 * itself.
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
      DECLARE
        v_left_out text[];
      BEGIN
        SELECT coalesce(array_agg(c.stream_id), '{}') INTO v_left_out
        FROM unnest(p_check_streams, p_check_positions) AS c(stream_id, stream_position)
        WHERE (c.stream_position >= 0 AND NOT EXISTS (
                 SELECT 1 FROM events e
                 WHERE e.stream_id = c.stream_id AND e.stream_position = c.stream_position))
           OR EXISTS (
                 SELECT 1 FROM events e
                 WHERE e.stream_id = c.stream_id AND e.stream_position = c.stream_position + 1);
        RETURN QUERY
          INSERT INTO events
            (stream_id, stream_type, stream_position, event_id, event_type, schema_version, data, metadata)
          SELECT e.stream_id, e.stream_type, e.stream_position, e.event_id, e.event_type,
                 e.schema_version, e.data, e.metadata
          FROM unnest(p_stream_ids, p_stream_types, p_positions, p_event_ids, p_event_types,
                      p_schema_versions, p_data, p_metadata)
               WITH ORDINALITY AS e(stream_id, stream_type, stream_position, event_id, event_type,
                                    schema_version, data, metadata, ord)
          WHERE e.stream_id <> ALL (v_left_out)
          ORDER BY e.ord
          RETURNING events.stream_id, events.stream_position, events.global_position,
                    events.transaction_id, events.recorded_at;
        INSERT INTO idempotency_keys (command_id, fingerprint, route, stream_id, first_event_id)
          SELECT k.command_id, k.fingerprint, k.route, k.stream_id, k.first_event_id
          FROM unnest(p_key_ids, p_key_fingerprints, p_key_routes, p_key_streams,
                      p_key_first_events) AS k(command_id, fingerprint, route, stream_id, first_event_id)
          WHERE k.stream_id <> ALL (v_left_out)
          ORDER BY k.command_id;
      END
      $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION saolou_append_batch`);
  }
}
