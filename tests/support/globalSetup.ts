// Once per test run: a real Postgres (embedded, or the server in DATABASE_URL) with a template
// database that has every subgraph's migrations and the region registry. Each test file clones
// the template (tests/support/database.ts), so files run in parallel without sharing writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureDatabase, dropDatabase } from '../../lib/database/createDatabase.ts';
import { databaseUrl } from '../../lib/database/urls.ts';
import { migrate, openSubgraphDatabase } from '../../lib/database/orm.ts';
import { SUBGRAPH_MODULES } from '../../subgraphs/modules.ts';
import { freePort } from './ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    templateDatabase: string;
  }
}

const TEMPLATE = `gongkai_test_template_${process.pid}`;

export default async function setup(project: TestProject) {
  let serverUrl: string;
  let stopServer = async () => {};
  let dataDir: string | undefined;
  if (process.env.DATABASE_URL) {
    serverUrl = databaseUrl(process.env.DATABASE_URL, 'postgres');
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'gongkai-test-pg-'));
    const { startEmbeddedPostgres } = await import('../../lib/database/embeddedPostgres.ts');
    const server = await startEmbeddedPostgres({ dir: dataDir, port: await freePort() });
    serverUrl = server.serverUrl;
    stopServer = server.stop;
  }

  const templateUrl = databaseUrl(serverUrl, TEMPLATE);
  await dropDatabase(templateUrl);
  await ensureDatabase(templateUrl);
  for (const module of SUBGRAPH_MODULES) {
    const orm = await openSubgraphDatabase({ url: templateUrl, schema: module.name, entities: module.entities, migrations: module.migrations });
    try {
      await migrate(orm);
      await module.bootstrap?.(orm, { sampleData: false, serving: false, log: () => {} });
    } finally {
      await orm.close();
    }
  }

  project.provide('pgServerUrl', serverUrl);
  project.provide('templateDatabase', TEMPLATE);

  return async () => {
    await dropDatabase(templateUrl).catch(() => {});
    await stopServer();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
