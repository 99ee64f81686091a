// `gongkai backup [FILE]`: the hub's data in one consistent snapshot, as a pg_dump plain-format,
// data-only SQL file (lib/database/backup/). Works while the hub runs (its embedded Postgres is
// shared) and when it does not (the embedded Postgres is started for the backup and stopped).
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { EXIT, printJson, wantsJson } from '../outcome.ts';
import { BackupError } from '../../lib/database/backup/backupError.ts';
import { partialFileName, writeBackup } from '../../lib/database/backup/writeBackup.ts';
import { provisionDatabase } from '../../lib/database/provision.ts';

const USAGE = `gongkai backup [FILE] [--json]

  Writes every table of the hub's schemas (agencies, reports, hotline, registry) to FILE
  (default: gongkai-backup-<UTC date and time>.sql here) as pg_dump's plain SQL format, data
  only, with the migrations each schema had named in its header; gongkai restore reads it back
  into an empty database. The rows are read in one snapshot, so the hub may keep running.
  The file is written under a temporary name and renamed when complete.

  Callers' personal data stays encrypted in the file: the key (GONGKAI_PII_KEY, or the file
  $GONGKAI_DATA_DIR/pii.key) is not in it and must be kept, apart, to read that data again.

  --json   print the summary (file, bytes, tables and their rows) as JSON on stdout

  Exit code: 0 the file was written, 2 it was not (usage, no database, interrupted, a full disk);
  nothing is left under FILE's name then.

  Environment: DATABASE_URL (unset: the embedded Postgres in GONGKAI_DATA_DIR).`;

function parseArgs(args: string[]): { file: string; json: boolean } {
  let file: string | undefined;
  for (const arg of args) {
    if (arg === '--json') continue;
    if (arg.startsWith('-')) throw new CliError('USAGE', `backup: unknown option ${arg}`);
    if (file !== undefined) throw new CliError('USAGE', 'backup: give one FILE');
    file = arg;
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return { file: resolve(file ?? `gongkai-backup-${stamp}.sql`), json: wantsJson(args) };
}

const megabytes = (bytes: number): string => `${(bytes / (1 << 20)).toFixed(1)} MB`;

const command: Command = {
  usage: USAGE,
  async run(args) {
    const { file, json } = parseArgs(args);
    const log = (line: string) => console.error(`[backup] ${line}`);
    // Ctrl-C: the temporary file goes, nothing is left under FILE's name
    const partial = partialFileName(file);
    const interrupted = (signal: NodeJS.Signals) => {
      rmSync(partial, { force: true });
      const message = `backup stopped (${signal}); no file was written`;
      if (json) printJson({ ok: false, exitCode: EXIT.nothingDone, error: { code: 'BACKUP_INTERRUPTED', message } });
      console.error(`\ngongkai: ${message} (BACKUP_INTERRUPTED)`);
      process.exit(EXIT.nothingDone);
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    try {
      const database = await provisionDatabase(log);
      try {
        if (!json) log(`database: ${database.description}`);
        const summary = await writeBackup({ url: database.url, file, progress: true });
        if (json) printJson({ ok: true, exitCode: EXIT.ok, ...summary });
        else {
          console.log(`wrote ${summary.file}: ${summary.rows.toLocaleString('en-US')} rows of ${summary.tables.length} tables, ${summary.sequences} sequences (${megabytes(summary.bytes)})`);
          console.log('callers\' personal data is in it encrypted; keep its key apart from the file: GONGKAI_PII_KEY, or $GONGKAI_DATA_DIR/pii.key');
        }
        if (summary.leftOut.length > 0) log(`left out (no migrations of the hub made them): schema ${summary.leftOut.join(', ')}`);
        return EXIT.ok;
      } finally {
        await database.stop();
      }
    } catch (error) {
      if (error instanceof BackupError) throw new CliError(error.code, `backup: ${error.message}`);
      throw error;
    } finally {
      process.removeListener('SIGINT', interrupted);
      process.removeListener('SIGTERM', interrupted);
    }
  },
};

export default command;
