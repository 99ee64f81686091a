// For commands that work on one subgraph's data outside its server (imports, ingest, seeding):
// the same database the hub uses (DATABASE_URL, the running hub's embedded server, or a new
// embedded one), the subgraph's schema migrated, and everything closed afterwards.
import type { MikroORM } from '@mikro-orm/postgresql';
import { migrate, openSubgraphDatabase } from '../database/orm.ts';
import { provisionDatabase } from '../database/provision.ts';
import type { SubgraphModule } from './subgraph.ts';

export async function withSubgraphDatabase<T, TLoaders>(
  module: SubgraphModule<TLoaders>,
  work: (orm: MikroORM) => Promise<T>,
  log: (line: string) => void = () => {},
): Promise<T> {
  const database = await provisionDatabase(log);
  try {
    const orm = await openSubgraphDatabase({
      url: database.url,
      schema: module.name,
      entities: module.entities,
      migrations: module.migrations,
    });
    try {
      await migrate(orm);
      await module.bootstrap?.(orm, { sampleData: false, serving: false, log });
      return await work(orm);
    } finally {
      await closeWithin(orm, CLOSE_TIMEOUT_MS);
    }
  } finally {
    await database.stop();
  }
}

const CLOSE_TIMEOUT_MS = 2000;

/**
 * Closing waits for every pooled connection to come back, and one whose transaction died with
 * the database never does (kysely does not release a connection whose rollback failed): the
 * wait is bounded, or the command would end with its promise pending and no word.
 */
async function closeWithin(orm: MikroORM, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    await Promise.race([orm.close(), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
