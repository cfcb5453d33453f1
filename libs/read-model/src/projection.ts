import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { In } from 'typeorm';
import type { Event } from '#domain';
import { recordedAs, type Position, type RecordedEvent, type RecordedOf } from '#event-store';

/**
 * Where a batch starts and ends in the global log: after the projection's checkpoint as
 * locked, up to the position the checkpoint moves to if the batch commits. A projection
 * that keeps something in memory between batches can tell by it whether its tables are
 * still as it left them (the checkpoint is where its last batch ended) or not (another
 * process, a rollback or a rebuild came between).
 */
export interface Batch {
  readonly after: Position;
  readonly to: Position;
}

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
  apply(events: readonly RecordedEvent[], em: EntityManager, batch: Batch): Promise<void>;
}

/**
 * A projection where each event changes at most one row: `evolve(row | null, event)`
 * returns the new row, or null to delete it. Per batch: one SELECT of the touched rows,
 * the fold in memory, one upsert and one delete. `keyOf` and `evolve` get the events as
 * the union `E` they handle (checked against `handles`, its list of types).
 */
export function rowProjection<
  Row extends ObjectLiteral & { id: string },
  E extends Event,
>(definition: {
  name: string;
  entity: EntityTarget<Row>;
  table: string;
  handles: readonly E['type'][];
  keyOf(event: RecordedOf<E>): string;
  evolve(row: Row | null, event: RecordedOf<E>): Row | null;
}): Projection {
  return {
    name: definition.name,
    handles: new Set(definition.handles),
    tables: [definition.table],
    async apply(recorded, em) {
      const events = recorded.map((e) => recordedAs<E>(e, definition.handles));
      const keys = [...new Set(events.map((e) => definition.keyOf(e)))];
      const existing = await selectRows(em, definition.entity, keys);
      const rows = new Map<string, Row | null>(existing.map((row) => [row.id, row]));
      for (const event of events) {
        const key = definition.keyOf(event);
        rows.set(key, definition.evolve(rows.get(key) ?? null, event));
      }
      const upserts = [...rows.values()].filter((row): row is Row => row !== null);
      const deletes = [...rows.entries()].filter(([, row]) => row === null).map(([key]) => key);
      if (upserts.length) await writeRows(em, definition.entity, upserts);
      if (deletes.length)
        await em.getRepository(definition.entity).delete({ id: In(deletes) } as never);
    },
  };
}

/**
 * Column types `writeRows` sends as JSON exactly as TypeORM would bind them (jsonb: the
 * value itself, where TypeORM would bind its JSON text).
 */
const JSON_SAFE_TYPES = new Set<unknown>([
  'text',
  'uuid',
  'integer',
  'boolean',
  'timestamptz',
  'date',
  'jsonb',
]);

/**
 * What `repository.findBy({ id: In(keys) })` returns, as plain objects: one SELECT with the
 * keys as one array parameter, each value hydrated by the driver as TypeORM would. TypeORM's
 * query builder cost more than the query on the projector's every batch.
 */
export async function selectRows<Row extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<Row>,
  keys: readonly string[],
): Promise<Row[]> {
  const metadata = em.connection.getMetadata(entity);
  const driver = em.connection.driver;
  const [primary, ...more] = metadata.primaryColumns;
  if (!primary || more.length) throw new Error(`selectRows needs one key: ${metadata.tableName}`);
  const columns = metadata.columns;
  const found = (await em.query(
    `SELECT ${columns.map((c) => driver.escape(c.databaseName)).join(', ')}
     FROM ${driver.escape(metadata.tableName)} WHERE ${driver.escape(primary.databaseName)} = ANY($1)`,
    [keys],
  )) as Record<string, unknown>[];
  return found.map((raw) => {
    const row = {} as Row;
    for (const column of columns)
      column.setEntityValue(row, driver.prepareHydratedValue(raw[column.databaseName], column));
    return row;
  });
}

/**
 * What `repository.upsert(rows, { conflictPaths: [primary key] })` does, in one statement per
 * row shape with the rows as a single JSON parameter instead of one bind parameter per
 * value: TypeORM's query builder spent more time than PostgreSQL on large batches, and
 * fails beyond 65,535 parameters (≈2,400 case rows). Same semantics: values prepared by the
 * driver; a column left undefined is inserted as its DEFAULT; on conflict, the key and the
 * columns set in any row of the batch are overwritten.
 */
export async function writeRows<Row extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<Row>,
  rows: readonly Row[],
  /** `insert`: a plain INSERT, a row whose key is taken fails the statement. */
  mode: 'upsert' | 'insert' = 'upsert',
): Promise<void> {
  const metadata = em.connection.getMetadata(entity);
  const driver = em.connection.driver;
  const columns = metadata.columns;
  for (const column of columns) {
    if (
      !JSON_SAFE_TYPES.has(column.type) ||
      (column.isArray && column.type !== 'text') ||
      column.transformer ||
      column.isGenerated ||
      column.generatedType ||
      column.isVersion ||
      column.isDiscriminator ||
      column.isInsert === false ||
      column.isUpdate === false
    )
      throw new Error(`rowProjection cannot write ${metadata.tableName}.${column.databaseName}`);
  }
  const primary = metadata.primaryColumns;
  const quote = (name: string) => driver.escape(name);
  const valueOf = (row: Row, column: ColumnMetadata): unknown => {
    if (column.type === 'jsonb') return column.getEntityValue(row) as unknown;
    const value: unknown = driver.preparePersistentValue(column.getEntityValue(row), column);
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime()))
        throw new Error(`invalid date for ${metadata.tableName}.${column.databaseName}`);
      return value.toISOString();
    }
    if (typeof value === 'function')
      throw new Error(`rowProjection cannot write SQL for ${column.databaseName}`);
    return value;
  };
  // Rows with the same columns set go in one statement; usually every row has them all.
  const shapes = new Map<string, { columns: ColumnMetadata[]; rows: Record<string, unknown>[] }>();
  const written = new Set<ColumnMetadata>();
  for (const row of rows) {
    const values: Record<string, unknown> = {};
    const set: ColumnMetadata[] = [];
    for (const column of columns) {
      const value = valueOf(row, column);
      if (value === undefined) continue;
      values[column.databaseName] = value;
      set.push(column);
      written.add(column);
    }
    const shape = set.map((c) => c.databaseName).join(',');
    const group = shapes.get(shape) ?? { columns: set, rows: [] };
    group.rows.push(values);
    shapes.set(shape, group);
  }
  // Like TypeORM: the key itself too, so a conflicting row is always updated.
  const overwrite = columns.filter((c) => primary.includes(c) || written.has(c));
  const table = quote(metadata.tableName);
  for (const { columns: set, rows: values } of shapes.values()) {
    const names = set.map((c) => quote(c.databaseName)).join(', ');
    const conflict =
      mode === 'insert'
        ? ''
        : `ON CONFLICT (${primary.map((c) => quote(c.databaseName)).join(', ')}) DO UPDATE SET
         ${overwrite.map((c) => `${quote(c.databaseName)} = EXCLUDED.${quote(c.databaseName)}`).join(', ')}`;
    await em.query(
      `INSERT INTO ${table} (${names})
       SELECT ${names} FROM json_populate_recordset(NULL::${table}, $1::json) ${conflict}`,
      [JSON.stringify(values)],
    );
  }
}
