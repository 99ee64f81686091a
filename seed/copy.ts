// Bulk loading for the synthetic seed: COPY … FROM STDIN in text format, fed by a generator of
// rows, with backpressure. A table is loaded in the transaction that truncated it (COPY FREEZE:
// rows are written frozen, no later vacuum pass), with its foreign keys and secondary indexes
// dropped during the load and re-created afterwards from their own definitions (pg_get_*def),
// so that the migrations stay the single source of the schema. A failure rolls everything back.
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { drained } from '../lib/database/drained.ts';

export type CopyValue = string | number | boolean | null | Buffer;

const SPECIAL = /[\\\t\n\r]/;

/** One value in COPY text format: \N for null, bytea as \\x…, specials escaped. */
export function copyText(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : value;
}

export const copyLine = (values: readonly CopyValue[]): string => `${values.map(copyText).join('\t')}\n`;

/** Streams `rows` (COPY text lines) into `table (columns)`; returns the number of rows. */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: Iterable<string>,
  options: { freeze?: boolean; onRows?: (n: number) => void } = {},
): Promise<number> {
  const stream = client.query(
    copyFrom(`copy ${table} (${columns.join(', ')}) from stdin with (format text${options.freeze ? ', freeze true' : ''})`),
  );
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let failed: unknown;
  stream.on('error', (error) => (failed = error));
  let buffer = '';
  let count = 0;
  let pending = 0;
  for (const line of rows) {
    buffer += line;
    count++;
    pending++;
    if (buffer.length >= 1 << 20) {
      if (failed) throw failed;
      if (!stream.write(buffer)) await drained(stream);
      buffer = '';
      options.onRows?.(pending);
      pending = 0;
    }
  }
  if (buffer) stream.write(buffer);
  options.onRows?.(pending);
  stream.end();
  await finished;
  return count;
}

export interface DroppedDefinitions {
  /** `alter table … add constraint …` statements of the dropped foreign keys. */
  foreignKeys: string[];
  /** `create index …` statements of the dropped secondary indexes. */
  indexes: string[];
}

/**
 * Drops the foreign keys of `tables` and their indexes that back no constraint (primary and
 * unique keys stay: they are checked during the load), returning what re-creates them.
 */
export async function dropForLoad(client: pg.ClientBase, tables: readonly string[]): Promise<DroppedDefinitions> {
  const { rows: fks } = await client.query<{ tbl: string; name: string; def: string }>(
    `select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def
       from pg_constraint where contype = 'f' and conrelid = any($1::regclass[])`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i
      where i.indrelid = any($1::regclass[])
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
    [tables],
  );
  for (const fk of fks) await client.query(`alter table ${fk.tbl} drop constraint "${fk.name}"`);
  for (const index of indexes) await client.query(`drop index ${index.name}`);
  return {
    foreignKeys: fks.map((fk) => `alter table ${fk.tbl} add constraint "${fk.name}" ${fk.def}`),
    indexes: indexes.map((index) => index.def),
  };
}

export async function recreateAfterLoad(client: pg.ClientBase, dropped: DroppedDefinitions): Promise<void> {
  for (const statement of dropped.indexes) await client.query(statement);
  for (const statement of dropped.foreignKeys) await client.query(statement);
}
