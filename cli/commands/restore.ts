// `gongkai restore FILE`: a backup (gongkai backup, or pg_dump --data-only of the hub's database)
// into an empty database: the embedded Postgres of GONGKAI_DATA_DIR (started for the restore when
// the hub is not running) or DATABASE_URL. lib/database/backup/restoreBackup.ts says how.
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { EXIT, printJson, wantsJson } from '../outcome.ts';
import { BackupError } from '../../lib/database/backup/backupError.ts';
import { inspectBackup } from '../../lib/database/backup/readBackup.ts';
import { checkCompatible, restoreBackup, type KnownSchema } from '../../lib/database/backup/restoreBackup.ts';
import { provisionDatabase } from '../../lib/database/provision.ts';
import { SUBGRAPH_MODULES } from '../../subgraphs/modules.ts';
import { registryMigrations } from '../../gateway/registry/migrations/index.ts';

const USAGE = `gongkai restore FILE [--json]

  Loads a backup into an EMPTY database — a new data directory (GONGKAI_DATA_DIR) or an empty
  database in DATABASE_URL; a database that already has the hub's schemas is refused. Each
  schema is migrated to the versions the file names, the rows are loaded in one transaction,
  then this code's newer migrations run (an older backup is upgraded). A file that needs
  migrations this code does not have is refused (BACKUP_FROM_NEWER_VERSION). Reads the files of
  gongkai backup and plain-format pg_dump --data-only files of the hub's database.

  The hub needs the personal-data key the backup was made with (GONGKAI_PII_KEY, or copy the
  old pii.key into the new GONGKAI_DATA_DIR) to read callers' data again.

  --json   print the summary (tables and their rows, migrations run) as JSON on stdout

  Exit code: 0 restored, 2 nothing restored (usage, an unreadable, cut-short or newer file, a
  database that is not empty, no database); a restore that fails leaves the database empty.

  Environment: DATABASE_URL (unset: the embedded Postgres in GONGKAI_DATA_DIR, GONGKAI_PG_PORT).`;

/** Every schema this code migrates, each with its migrations. */
export const knownSchemas = (): KnownSchema[] => [
  ...SUBGRAPH_MODULES.map((module) => ({ schema: module.name, migrations: module.migrations })),
  { schema: 'registry', migrations: registryMigrations },
];

function parseArgs(args: string[]): { file: string; json: boolean } {
  const files = args.filter((arg) => !arg.startsWith('-'));
  const unknown = args.find((arg) => arg.startsWith('-') && arg !== '--json');
  if (unknown) throw new CliError('USAGE', `restore: unknown option ${unknown}`);
  if (files.length !== 1) throw new CliError('USAGE', 'restore: give one backup FILE (gongkai restore FILE)');
  return { file: resolve(files[0]!), json: wantsJson(args) };
}

const command: Command = {
  usage: USAGE,
  async run(args) {
    const { file, json } = parseArgs(args);
    const log = (line: string) => console.error(`[restore] ${line}`);
    try {
      // the whole file checked before any database is touched: a cut-short file writes nothing
      const info = await inspectBackup(file);
      const known = knownSchemas();
      checkCompatible(info, known);
      const database = await provisionDatabase(log);
      try {
        if (!json) log(`database: ${database.description}`);
        const summary = await restoreBackup({ url: database.url, info, known, progress: true, log: json ? () => {} : log });
        if (json) printJson({ ok: true, exitCode: EXIT.ok, database: database.description, ...summary });
        else {
          console.log(`restored ${summary.file}: ${summary.rows.toLocaleString('en-US')} rows into ${summary.tables.length} tables, ${summary.sequences} sequences`);
          for (const [schema, { upgradedWith }] of Object.entries(summary.schemas)) {
            if (upgradedWith.length > 0) console.log(`${schema}: upgraded with ${upgradedWith.join(', ')}`);
          }
          console.log('start the hub with the personal-data key of the backup (GONGKAI_PII_KEY, or its pii.key in GONGKAI_DATA_DIR)');
        }
        return EXIT.ok;
      } finally {
        await database.stop();
      }
    } catch (error) {
      if (error instanceof BackupError) throw new CliError(error.code, `restore: ${error.message}`);
      throw error;
    }
  },
};

export default command;
