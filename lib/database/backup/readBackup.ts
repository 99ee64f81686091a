// Reading a backup file before anything is restored from it: is it a plain-format dump, is it
// whole, and which migrations did each of its schemas have. A file written by `gongkai backup`
// says so in its header; a `pg_dump --data-only` file of the hub's database has the rows of each
// schema's migrations table instead, read from the file.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { BackupError } from './backupError.ts';
import { DUMP_COMPLETE, DUMP_TITLE, FORMAT_LINE, MIGRATIONS_TABLE, parseCopyLine, parseMigrationsLine, unescapeCopyValue } from './format.ts';

export interface BackupFileInfo {
  file: string;
  bytes: number;
  /** `gongkai`: written by gongkai backup; `pg_dump`: by pg_dump --data-only. */
  writtenBy: 'gongkai' | 'pg_dump';
  /** The migrations each schema had, in the order they were applied. */
  migrations: Map<string, string[]>;
}

/**
 * The file's lines, without their line ends; `onBytes` hears how much of the file was read.
 * (Not node:readline, whose iterator can fail with "readline was closed" when its reader is
 * slower than the file — a COPY waiting for Postgres.)
 */
export async function* readLines(file: string, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  const decoder = new StringDecoder('utf8');
  let carry = '';
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      onBytes?.(chunk.length);
      const text = carry + decoder.write(chunk);
      const lines = text.split('\n');
      carry = lines.pop()!;
      for (const line of lines) yield line.endsWith('\r') ? line.slice(0, -1) : line;
    }
    const last = carry + decoder.end();
    if (last !== '') yield last.endsWith('\r') ? last.slice(0, -1) : last;
  } finally {
    stream.destroy();
  }
}

async function readSlice(file: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function inspectBackup(file: string): Promise<BackupFileInfo> {
  let bytes: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new BackupError('BACKUP_FILE_UNREADABLE', `${file} is not a file: give the backup file gongkai backup wrote`);
    bytes = info.size;
    await readSlice(file, 0, 1);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'no permission to read it' : `it cannot be read (${code ?? 'unknown error'})`;
    throw new BackupError('BACKUP_FILE_UNREADABLE', `cannot read the backup ${file}: ${why}`);
  }
  const head = await readSlice(file, 0, 4096);
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') {
    throw new BackupError(
      'BACKUP_FILE_UNREADABLE',
      `${file} is a pg_dump archive (custom format); gongkai restore reads plain SQL: convert it with pg_restore --data-only -f backup.sql ${file}`,
    );
  }
  if (head[0] === 0x1f && head[1] === 0x8b) throw new BackupError('BACKUP_FILE_UNREADABLE', `${file} is compressed (gzip): decompress it first (gunzip -k ${file})`);
  if (!head.toString('utf8').split('\n').slice(0, 8).includes(DUMP_TITLE)) {
    throw new BackupError('BACKUP_FILE_UNREADABLE', `${file} is not a backup: no plain-format pg_dump header (gongkai backup or pg_dump --data-only writes one)`);
  }
  const tail = await readSlice(file, Math.max(0, bytes - 4096), 4096);
  if (!tail.toString('utf8').split('\n').includes(DUMP_COMPLETE)) {
    throw new BackupError(
      'BACKUP_FILE_INCOMPLETE',
      `${file} stops before the end of the dump (its last line is not "${DUMP_COMPLETE.slice(3)}"): the file was cut short — copied while being written, or a full disk; restore another backup`,
    );
  }

  const migrations = new Map<string, string[]>();
  let writtenBy: BackupFileInfo['writtenBy'] = 'pg_dump';
  for await (const line of readLines(file)) {
    if (line === FORMAT_LINE) writtenBy = 'gongkai';
    const parsed = parseMigrationsLine(line);
    if (parsed) migrations.set(parsed.schema, parsed.names);
    if (line !== '' && !line.startsWith('--')) break;
  }
  if (writtenBy === 'pg_dump') await readMigrationsTables(file, migrations);
  if (migrations.size === 0) {
    throw new BackupError('BACKUP_FILE_UNREADABLE', `${file} names no migrations of the hub's schemas: it is not a backup of a gongkai database`);
  }
  return { file, bytes, writtenBy, migrations };
}

/** A pg_dump file's rows of `<schema>.mikro_orm_migrations`: one pass through the file. */
async function readMigrationsTables(file: string, migrations: Map<string, string[]>): Promise<void> {
  let current: { schema: string; id: number; name: number; rows: { id: number; name: string }[] } | null = null;
  for await (const line of readLines(file)) {
    if (current) {
      if (line === '\\.') {
        migrations.set(current.schema, current.rows.sort((a, b) => a.id - b.id).map((row) => row.name));
        current = null;
        continue;
      }
      const values = line.split('\t');
      current.rows.push({ id: Number(values[current.id]), name: unescapeCopyValue(values[current.name] ?? '\\N') ?? '' });
      continue;
    }
    const copy = line.startsWith('COPY ') ? parseCopyLine(line) : null;
    if (copy?.table.name === MIGRATIONS_TABLE) {
      const id = copy.columns.indexOf('id');
      const name = copy.columns.indexOf('name');
      if (id < 0 || name < 0) throw new BackupError('BACKUP_FILE_UNREADABLE', `${file}: the rows of ${copy.table.schema}.${MIGRATIONS_TABLE} have no id and name columns`);
      current = { schema: copy.table.schema, id, name, rows: [] };
    }
  }
}
