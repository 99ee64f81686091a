// `gongkai backup`: every table of the hub's schemas — those with a migrations table: agencies,
// reports, hotline, registry, and any a later release adds — in pg_dump's plain data-only format
// (format.ts). Everything is read in one REPEATABLE READ transaction, so the file is one
// consistent snapshot while the hub keeps running and writing. Rows stream from COPY … TO STDOUT
// to the file as Postgres writes them (its escaping is pg_dump's), into a temporary file renamed
// to its name only when complete: an interrupted backup leaves no half file under that name.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { createProgress } from '../../cli/progress.ts';
import { BackupError } from './backupError.ts';
import { DUMP_COMPLETE, DUMP_TITLE, FORMAT_LINE, MIGRATIONS_TABLE, migrationsLine } from './format.ts';
import { quoteIdent } from '../identifiers.ts';

export interface BackupTable {
  table: string;
  rows: number;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  /** Migrations applied to each schema when the snapshot was taken. */
  schemas: Record<string, string[]>;
  tables: BackupTable[];
  rows: number;
  sequences: number;
  /** Schemas with tables that no migrations made, left out of the file. */
  leftOut: string[];
}

/** Tables with more rows than this (Postgres' estimate) show their progress on stderr. */
const PROGRESS_ROWS = 200_000;

/** A temporary name beside the final one, on the same file system, so that the rename is atomic. */
export const partialFileName = (file: string): string => join(dirname(file), `.${basename(file)}.${process.pid}.partial`);

export async function writeBackup(options: { url: string; file: string; progress?: boolean }): Promise<BackupSummary> {
  const { url, file } = options;
  const partial = partialFileName(file);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // flush: the file is on disk (fsync) before it is closed and given its name
  const out = createWriteStream(partial, { mode: 0o600, flush: true });
  const closed = once(out, 'close');
  closed.catch(() => {});
  let renamed = false;
  try {
    await once(out, 'open');
    let bytes = 0;
    const write = async (text: string | Buffer) => {
      bytes += typeof text === 'string' ? Buffer.byteLength(text) : text.length;
      if (!out.write(text)) await once(out, 'drain');
    };

    // READ ONLY: nothing here writes; pg_dump's isolation, its lock mode (no table can be
    // altered or dropped until the snapshot is read, and nothing waits on us otherwise).
    await client.query('begin isolation level repeatable read read only');
    const schemas = (
      await client.query<{ schema: string }>(
        `select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relname = $1 and c.relkind = 'r' order by n.nspname`,
        [MIGRATIONS_TABLE],
      )
    ).rows.map((row) => row.schema);
    if (schemas.length === 0) {
      throw new BackupError(
        'BACKUP_NOTHING_TO_SAVE',
        'the database has none of the hub\'s schemas, so there is nothing to back up: check DATABASE_URL or GONGKAI_DATA_DIR (the hub\'s data directory)',
      );
    }
    const migrations: Record<string, string[]> = {};
    for (const schema of schemas) {
      const { rows } = await client.query<{ name: string }>(`select name from ${quoteIdent(schema)}.${MIGRATIONS_TABLE} order by id`);
      migrations[schema] = rows.map((row) => row.name);
    }
    const { rows: tables } = await client.query<{ oid: number; schema: string; name: string; target: string; estimate: number }>(
      `select c.oid, n.nspname as schema, c.relname as name,
              quote_ident(n.nspname) || '.' || quote_ident(c.relname) as target, c.reltuples::float8 as estimate
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1) and c.relkind = 'r' and c.relname <> $2
        order by n.nspname, c.relname`,
      [schemas, MIGRATIONS_TABLE],
    );
    if (tables.length > 0) await client.query(`lock table ${tables.map((t) => t.target).join(', ')} in access share mode`);
    const { rows: leftOutRows } = await client.query<{ schema: string }>(
      `select distinct n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and not (n.nspname = any($1))
          and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
        order by 1`,
      [schemas],
    );
    const [{ server_version: serverVersion } = { server_version: 'unknown' }] = (await client.query<{ server_version: string }>('show server_version')).rows;

    await write(
      [
        '--',
        DUMP_TITLE,
        '--',
        FORMAT_LINE,
        ...schemas.map((schema) => migrationsLine(schema, migrations[schema]!)),
        '',
        `-- Dumped from database version ${serverVersion}`,
        `-- Dumped by gongkai backup (the data-only plain format of pg_dump --data-only --disable-triggers)`,
        `-- Snapshot taken ${new Date().toISOString()}`,
        '',
        'SET statement_timeout = 0;',
        'SET lock_timeout = 0;',
        'SET idle_in_transaction_session_timeout = 0;',
        "SET client_encoding = 'UTF8';",
        'SET standard_conforming_strings = on;',
        "SELECT pg_catalog.set_config('search_path', '', false);",
        'SET check_function_bodies = false;',
        'SET xmloption = content;',
        'SET client_min_messages = warning;',
        'SET row_security = off;',
        '',
        '',
      ].join('\n'),
    );

    const summaryTables: BackupTable[] = [];
    for (const table of tables) {
      const { rows: columns } = await client.query<{ column: string }>(
        `select quote_ident(attname) as column from pg_attribute
          where attrelid = $1 and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`,
        [table.oid],
      );
      const columnList = columns.map((c) => c.column).join(', ');
      await write(
        [
          '--',
          `-- Data for Name: ${table.name}; Type: TABLE DATA; Schema: ${table.schema}; Owner: -`,
          '--',
          '',
          // pg_dump --disable-triggers: replayed by psql, the rows load as they were, without the
          // triggers that would compute derived rows a second time (the rollup state is in the file)
          `ALTER TABLE ${table.target} DISABLE TRIGGER ALL;`,
          '',
          `COPY ${table.target} (${columnList}) FROM stdin;`,
          '',
        ].join('\n'),
      );
      const progress = options.progress && table.estimate > PROGRESS_ROWS ? createProgress(`backup ${table.schema}.${table.name}`, Math.round(table.estimate)) : null;
      let rows = 0;
      const stream = client.query(copyTo(`copy ${table.target} (${columnList}) to stdout`));
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const lines = countNewlines(chunk);
        rows += lines;
        progress?.tick(lines);
        await write(chunk);
      }
      progress?.done();
      await write(['\\.', '', '', `ALTER TABLE ${table.target} ENABLE TRIGGER ALL;`, '', ''].join('\n'));
      summaryTables.push({ table: `${table.schema}.${table.name}`, rows });
    }

    // Sequences (identity columns' included), except the migrations table's: restore makes those rows itself.
    const { rows: sequences } = await client.query<{ schema: string; name: string; target: string }>(
      `select n.nspname as schema, c.relname as name, quote_ident(n.nspname) || '.' || quote_ident(c.relname) as target
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1) and c.relkind = 'S'
          and not exists (select 1 from pg_depend d join pg_class t on t.oid = d.refobjid
                           where d.objid = c.oid and d.classid = 'pg_class'::regclass and t.relname = $2)
        order by 1`,
      [schemas, MIGRATIONS_TABLE],
    );
    for (const sequence of sequences) {
      const [state] = (await client.query<{ last_value: string; is_called: boolean }>(`select last_value::text, is_called from ${sequence.target}`)).rows;
      await write(
        [
          '--',
          `-- Name: ${sequence.name}; Type: SEQUENCE SET; Schema: ${sequence.schema}; Owner: -`,
          '--',
          '',
          `SELECT pg_catalog.setval('${sequence.target.replace(/'/g, "''")}', ${state!.last_value}, ${state!.is_called});`,
          '',
          '',
        ].join('\n'),
      );
    }
    await client.query('commit');
    await write(['--', DUMP_COMPLETE, '--', '', ''].join('\n'));
    out.end();
    await closed;
    await rename(partial, file);
    renamed = true;
    return {
      file,
      bytes,
      schemas: migrations,
      tables: summaryTables,
      rows: summaryTables.reduce((sum, t) => sum + t.rows, 0),
      sequences: sequences.length,
      leftOut: leftOutRows.map((row) => row.schema),
    };
  } finally {
    if (!renamed) {
      out.destroy();
      await closed.catch(() => {});
      await rm(partial, { force: true });
    }
    await client.end().catch(() => {});
  }
}

function countNewlines(chunk: Buffer): number {
  let count = 0;
  for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) count++;
  return count;
}
