// `gongkai restore`: a backup file into an empty database. Each schema is migrated to exactly the
// migrations the file names, the rows are loaded in one transaction with triggers off (the
// file's derived rows — the hotline year rollup and its state — are loaded as they were, not
// computed again), the sequences set, and then the migrations this code has beyond the file's
// are run: restoring an older backup into newer code is an upgrade. A failure anywhere drops the
// schemas the restore made, so the database is as empty as it was.
//
// The restore records nothing in the subgraphs' change logs (lib/cache/changeLog.ts): it copies
// them as they were, so that a backup of the restored database is the same file. No answer can
// have been cached from the restored rows — the target was empty, so nothing was served from it —
// and every subgraph records EVERYTHING when it starts (lib/runtime/subgraph.ts), before it
// answers from them.
//
// Only what a data-only dump holds is executed: COPY blocks into tables of the file's schemas and
// setval of their sequences; any other statement is refused, so a file cannot run SQL of its own.
import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { progressBar, progressLine } from '../../cli/progress.ts';
import { drained } from '../drained.ts';
import { isDatabaseUnavailable } from '../availability.ts';
import { migrate, openSubgraphDatabase, type SubgraphDatabaseOptions } from '../orm.ts';
import { BackupError } from './backupError.ts';
import { MIGRATIONS_TABLE, displayName, isSessionLine, parseCopyLine, parseSetvalLine, qualified, type QualifiedName } from './format.ts';
import { quoteIdent } from '../identifiers.ts';
import { readLines, type BackupFileInfo } from './readBackup.ts';

/** A schema this code knows, with its migrations in the order they run. */
export interface KnownSchema {
  schema: string;
  migrations: SubgraphDatabaseOptions['migrations'];
}

export interface RestoreSummary {
  file: string;
  bytes: number;
  tables: { table: string; rows: number }[];
  rows: number;
  sequences: number;
  /** Per schema: how many of its migrations the file had, and those run after the load. */
  schemas: Record<string, { fromBackup: number; upgradedWith: string[] }>;
}

/** Refuses a file that needs a schema or a migration this code does not have. */
export function checkCompatible(info: BackupFileInfo, known: readonly KnownSchema[]): void {
  for (const [schema, names] of info.migrations) {
    const code = known.find((k) => k.schema === schema);
    if (!code) {
      throw new BackupError(
        'BACKUP_FROM_NEWER_VERSION',
        `${info.file} has the schema '${schema}', which this version of gongkai does not know: restore it with the release that wrote it or a newer one`,
      );
    }
    const missing = names.filter((name) => !code.migrations.some((m) => m.name === name));
    if (missing.length > 0) {
      throw new BackupError(
        'BACKUP_FROM_NEWER_VERSION',
        `${info.file} was written by a newer gongkai: schema ${schema} has the migration ${missing[0]}${missing.length > 1 ? ` and ${missing.length - 1} more` : ''}, which this code does not have; restore it with that release or a newer one`,
      );
    }
  }
}

const HUB_SCHEMAS_SQL = `
  select n.nspname as schema from pg_namespace n
   where n.nspname = any($1)
      or exists (select 1 from pg_class c where c.relnamespace = n.oid and c.relname = '${MIGRATIONS_TABLE}' and c.relkind = 'r')
   order by 1`;

/** Refuses a database that holds any of the hub's schemas: a restore never merges into data. */
async function checkEmpty(client: pg.Client, info: BackupFileInfo): Promise<void> {
  const { rows } = await client.query<{ schema: string }>(HUB_SCHEMAS_SQL, [[...info.migrations.keys()]]);
  if (rows.length > 0) {
    throw new BackupError(
      'RESTORE_TARGET_NOT_EMPTY',
      `the database already has the hub's schemas (${rows.map((r) => r.schema).join(', ')}): restore only into an empty one — a new data directory (GONGKAI_DATA_DIR) or an empty database (DATABASE_URL); nothing was written`,
    );
  }
}

/** The load needs to switch triggers off (as pg_restore --disable-triggers does): a superuser's right. */
async function checkMayDisableTriggers(client: pg.Client): Promise<void> {
  try {
    await client.query('set session_replication_role = replica');
    await client.query('reset session_replication_role');
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
    throw new BackupError(
      'RESTORE_NEEDS_SUPERUSER',
      'restore loads the tables with their triggers off, which needs a superuser: connect as one (DATABASE_URL) or GRANT SET ON PARAMETER session_replication_role TO this user; nothing was written',
    );
  }
}

/** Brings each schema of the file to exactly the migrations the file names (tables, reference rows). */
export async function migrateToBackup(url: string, info: BackupFileInfo, known: readonly KnownSchema[]): Promise<void> {
  for (const { schema, migrations } of known) {
    const names = info.migrations.get(schema);
    if (!names) continue;
    const orm = await openSubgraphDatabase({ url, schema, entities: [], migrations, poolSize: 2 });
    try {
      await orm.migrator.up({ migrations: names });
    } finally {
      await orm.close();
    }
  }
}

/**
 * Empties every table of the file's schemas but the migrations tables — the reference rows the
 * migrations inserted are in the file too — and returns them by `schema.table`.
 */
export async function emptyTables(client: pg.ClientBase, schemas: readonly string[]): Promise<Map<string, QualifiedName>> {
  const { rows } = await client.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1) and c.relkind = 'r' and c.relname <> $2 order by 1, 2`,
    [schemas, MIGRATIONS_TABLE],
  );
  const tables = new Map(rows.map((row) => [displayName(row), row]));
  if (tables.size > 0) await client.query(`truncate table ${[...tables.values()].map(qualified).join(', ')}`);
  return tables;
}

interface CopyInProgress {
  table: QualifiedName;
  /** The line of the COPY statement: Postgres counts the rows it refuses from the next one. */
  line: number;
  stream: NodeJS.WritableStream;
  finished: Promise<unknown>;
  failed: unknown;
  buffer: string;
  rows: number;
}

/** The file's rows, in one transaction; returns the rows per table and the number of sequences set. */
async function load(client: pg.Client, info: BackupFileInfo, showProgress: boolean): Promise<{ tables: { table: QualifiedName; rows: number }[]; sequences: number }> {
  const schemas = [...info.migrations.keys()];
  const line = progressLine();
  const progress = showProgress && info.bytes > 16 << 20;
  let read = 0;
  let current = '';
  const megabytes = (n: number) => `${(n / (1 << 20)).toFixed(0)} MB`;
  const draw = (force = false) =>
    line.draw(`restore ${progressBar(line, read / info.bytes)}${megabytes(read)} of ${megabytes(info.bytes)} (${Math.round((100 * read) / info.bytes)}%) ${current}`.trimEnd(), force);

  await client.query('begin');
  await client.query('set local session_replication_role = replica');
  const tables = await emptyTables(client, schemas);
  const loaded: { table: QualifiedName; rows: number }[] = [];
  let sequences = 0;
  let copy: CopyInProgress | null = null;
  let skipping = false;
  let lineNumber = 0;
  const refuse = (why: string) => new BackupError('BACKUP_FILE_UNREADABLE', `${info.file}, line ${lineNumber}: ${why}; nothing was restored`);
  const inFileSchemas = (name: QualifiedName) => schemas.includes(name.schema);

  try {
    for await (const text of readLines(info.file, (n) => {
      read += n;
      if (progress) draw();
    })) {
      lineNumber++;
      if (skipping) {
        if (text === '\\.') skipping = false;
        continue;
      }
      if (copy) {
        if (text !== '\\.') {
          copy.buffer += `${text}\n`;
          copy.rows++;
          if (copy.buffer.length >= 1 << 20) {
            if (copy.failed) throw copy.failed;
            const full = !copy.stream.write(copy.buffer);
            copy.buffer = '';
            if (full) await drained(copy.stream);
          }
          continue;
        }
        if (copy.failed) throw copy.failed;
        if (copy.buffer) copy.stream.write(copy.buffer);
        copy.stream.end();
        await copy.finished;
        loaded.push({ table: copy.table, rows: copy.rows });
        copy = null;
        continue;
      }
      if (text === '' || text.startsWith('--') || isSessionLine(text)) continue;
      const header = parseCopyLine(text);
      if (header) {
        if (header.table.name === MIGRATIONS_TABLE && inFileSchemas(header.table)) {
          // a pg_dump file's record of the migrations, which migrateToBackup made again
          skipping = true;
          continue;
        }
        if (!tables.has(displayName(header.table))) {
          throw refuse(`the table ${displayName(header.table)} is not one the migrations the file names make`);
        }
        if (loaded.some((t) => displayName(t.table) === displayName(header.table))) throw refuse(`the rows of ${displayName(header.table)} come a second time`);
        current = displayName(header.table);
        const columns = header.columns.length > 0 ? ` (${header.columns.map(quoteIdent).join(', ')})` : '';
        // FREEZE: the table was emptied in this transaction, so its rows can be written frozen
        // (no later pass of vacuum over every page)
        const stream = client.query(copyFrom(`copy ${qualified(header.table)}${columns} from stdin with (freeze true)`));
        const started: CopyInProgress = { table: header.table, line: lineNumber, stream, finished: once(stream, 'finish'), failed: null, buffer: '', rows: 0 };
        stream.on('error', (error) => (started.failed = error));
        started.finished.catch(() => {});
        copy = started;
        continue;
      }
      const setval = parseSetvalLine(text);
      if (setval) {
        if (!inFileSchemas(setval.sequence)) throw refuse(`the sequence ${displayName(setval.sequence)} is not in the file's schemas`);
        await client.query('select pg_catalog.setval($1::regclass, $2::bigint, $3)', [qualified(setval.sequence), setval.value, setval.isCalled]);
        sequences++;
        continue;
      }
      if (/^(CREATE|ALTER|DROP|COMMENT|GRANT|REVOKE) /.test(text)) {
        throw refuse(`"${text.slice(0, 60)}" is not data — gongkai restore reads data-only dumps (gongkai backup, pg_dump --data-only): the tables come from the hub's migrations`);
      }
      throw refuse(`"${text.slice(0, 60)}" is not a statement of a data-only dump`);
    }
    if (copy || skipping) throw refuse('the file ends inside the rows of a table (cut short)');
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    if (error instanceof BackupError || isDatabaseUnavailable(error)) throw error;
    const first = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (!copy) throw refuse(`this statement fails (${first})`);
    // Postgres says where in the COPY data: "COPY ticket, line 2, column received_at: …"
    const where = /^COPY [^,]+, line ([0-9]+)(?:, column ([^:]+))?/.exec(String((error as { where?: unknown }).where ?? ''));
    if (where) lineNumber = copy.line + Number(where[1]);
    throw refuse(`the rows of ${displayName(copy.table)} do not load (${where?.[2] ? `column ${where[2]}: ` : ''}${first})`);
  } finally {
    if (progress) {
      current = '';
      draw(true);
      line.end();
    }
  }
  return { tables: loaded, sequences };
}

export async function restoreBackup(options: {
  url: string;
  info: BackupFileInfo;
  known: readonly KnownSchema[];
  progress?: boolean;
  log?: (line: string) => void;
}): Promise<RestoreSummary> {
  const { url, info, known, log = () => {} } = options;
  checkCompatible(info, known);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await checkEmpty(client, info);
    await checkMayDisableTriggers(client);
    const before = new Set((await client.query<{ nspname: string }>('select nspname from pg_namespace')).rows.map((r) => r.nspname));
    try {
      log('migrating the schemas to the backup\'s versions');
      await migrateToBackup(url, info, known);
      log('loading the rows');
      const { tables, sequences } = await load(client, info, options.progress ?? false);
      const schemas: RestoreSummary['schemas'] = {};
      for (const { schema, migrations } of known) {
        const names = info.migrations.get(schema);
        if (!names) continue;
        const orm = await openSubgraphDatabase({ url, schema, entities: [], migrations, poolSize: 2 });
        try {
          const pending = (await orm.migrator.getPending()).map((m) => m.name);
          if (pending.length > 0) log(`${schema}: running ${pending.length} newer migration(s)`);
          await migrate(orm);
          schemas[schema] = { fromBackup: names.length, upgradedWith: pending };
        } finally {
          await orm.close();
        }
      }
      // the planner's statistics, which a bulk load leaves empty until autovacuum comes by
      if (tables.length > 0) await client.query(`analyze ${tables.map((t) => qualified(t.table)).join(', ')}`);
      return {
        file: info.file,
        bytes: info.bytes,
        tables: tables.map((t) => ({ table: displayName(t.table), rows: t.rows })),
        rows: tables.reduce((sum, t) => sum + t.rows, 0),
        sequences,
        schemas,
      };
    } catch (error) {
      // what this restore made goes again: the database is left as empty as it was
      try {
        const now = (await client.query<{ nspname: string }>('select nspname from pg_namespace')).rows.map((r) => r.nspname);
        for (const schema of now.filter((name) => !before.has(name))) await client.query(`drop schema ${quoteIdent(schema)} cascade`);
      } catch {
        // the database went away: the error below says so
      }
      throw error;
    }
  } finally {
    await client.end().catch(() => {});
  }
}
