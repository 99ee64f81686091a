// Where the hub's database comes from: DATABASE_URL when set, otherwise an embedded Postgres
// whose data lives under $GONGKAI_DATA_DIR/postgres.
import { join } from 'node:path';
import { dataDir, embeddedPostgresPort, externalDatabaseUrl } from '../config.ts';
import { ensureDatabase } from './createDatabase.ts';
import { databaseUrl } from './urls.ts';

export interface ProvisionedDatabase {
  url: string;
  description: string;
  stop(): Promise<void>;
}

export async function provisionDatabase(log: (line: string) => void): Promise<ProvisionedDatabase> {
  const external = externalDatabaseUrl();
  if (external) {
    await ensureDatabase(external);
    return { url: external, description: `DATABASE_URL (${new URL(external).host})`, stop: async () => {} };
  }
  const dir = join(dataDir(), 'postgres');
  const port = embeddedPostgresPort();
  const { startEmbeddedPostgres, runningEmbeddedPostgres } = await import('./embeddedPostgres.ts');
  const running = runningEmbeddedPostgres(dir);
  if (running) {
    // The hub is up: share its server and leave stopping it to the process that started it.
    const url = databaseUrl(running.serverUrl, 'gongkai');
    await ensureDatabase(url);
    return { url, description: `the running embedded Postgres in ${dir}`, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dir, port, log: (line) => process.env.GONGKAI_DEBUG_SQL === '1' && log(line) });
  const url = databaseUrl(server.serverUrl, 'gongkai');
  await ensureDatabase(url);
  return { url, description: `embedded Postgres on port ${port}, data in ${dir}`, stop: server.stop };
}
