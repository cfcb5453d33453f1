import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { In } from 'typeorm';
import type { RecordedEvent } from '#event-store';

/**
 * A named projection of the global log into read-model tables. `apply` gets the batch's
 * events of the handled types and runs inside the transaction that also moves the
 * projection's checkpoint, so a batch is applied entirely or not at all.
 */
export interface Projection {
  readonly name: string;
  readonly handles: ReadonlySet<string>;
  /** The tables it owns: emptied when the projection is rebuilt. */
  readonly tables: readonly string[];
  apply(events: readonly RecordedEvent[], em: EntityManager): Promise<void>;
}

/**
 * A projection where each event changes at most one row: `evolve(row | null, event)`
 * returns the new row, or null to delete it. Per batch: one SELECT of the touched rows,
 * the fold in memory, one upsert and one delete.
 */
export function rowProjection<Row extends ObjectLiteral & { id: string }>(definition: {
  name: string;
  entity: EntityTarget<Row>;
  table: string;
  handles: readonly string[];
  keyOf(event: RecordedEvent): string;
  evolve(row: Row | null, event: RecordedEvent): Row | null;
}): Projection {
  return {
    name: definition.name,
    handles: new Set(definition.handles),
    tables: [definition.table],
    async apply(events, em) {
      const repository = em.getRepository(definition.entity);
      const keys = [...new Set(events.map((e) => definition.keyOf(e)))];
      const existing = await repository.findBy({ id: In(keys) } as never);
      const rows = new Map<string, Row | null>(existing.map((row) => [row.id, row]));
      for (const event of events) {
        const key = definition.keyOf(event);
        rows.set(key, definition.evolve(rows.get(key) ?? null, event));
      }
      const upserts = [...rows.values()].filter((row): row is Row => row !== null);
      const deletes = [...rows.entries()].filter(([, row]) => row === null).map(([key]) => key);
      if (upserts.length) await repository.upsert(upserts as never, { conflictPaths: ['id'] });
      if (deletes.length) await repository.delete({ id: In(deletes) } as never);
    },
  };
}
