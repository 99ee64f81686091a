// Where the hub's database comes from: DATABASE_URL when set, otherwise an embedded Postgres
// whose data lives under $GONGKAI_DATA_DIR/postgres and whose log is $GONGKAI_DATA_DIR/postgres.log.
import { join } from 'node:path';
import { dataDir, embeddedPostgresPort, externalDatabaseUrl } from '../config.ts';
import { ensureDatabase } from './createDatabase.ts';
import type { EmbeddedDatabase } from './embeddedPostgres.ts';
import { dataDirInUse } from './startFailure.ts';
import { databaseUrl } from './urls.ts';

export interface ProvisionedDatabase {
  url: string;
  description: string;
  stop(): Promise<void>;
  /** The embedded server this process started, which it may start again after a crash. */
  embedded?: EmbeddedDatabase;
}

export const postgresLogFile = (): string => join(dataDir(), 'postgres.log');

/**
 * `ownServer`: the caller runs the embedded server itself and never shares one another process
 * started on the same data directory (`gongkai start`, which restarts it after a crash).
 */
export async function provisionDatabase(log: (line: string) => void, options: { ownServer?: boolean } = {}): Promise<ProvisionedDatabase> {
  const external = externalDatabaseUrl();
  if (external) {
    await ensureDatabase(external);
    return { url: external, description: `DATABASE_URL (${new URL(external).host})`, stop: async () => {} };
  }
  const dir = join(dataDir(), 'postgres');
  const port = embeddedPostgresPort();
  const logFile = postgresLogFile();
  const { startEmbeddedPostgres, runningEmbeddedPostgres } = await import('./embeddedPostgres.ts');
  const running = runningEmbeddedPostgres(dir);
  if (running && options.ownServer) throw dataDirInUse({ dir, port, logFile }, `a running Postgres (pid ${running.pid})`);
  if (running) {
    // The hub is up: share its server and leave stopping it to the process that started it.
    const url = databaseUrl(running.serverUrl, 'gongkai');
    await ensureDatabase(url);
    return { url, description: `the running embedded Postgres in ${dir}`, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dir, port, logFile, log: (line) => process.env.GONGKAI_DEBUG_SQL === '1' && log(line) });
  const url = databaseUrl(server.serverUrl, 'gongkai');
  try {
    await ensureDatabase(url);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url, description: `embedded Postgres on port ${port}, data in ${dir} (log: ${logFile})`, stop: server.stop, embedded: server };
}
