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
      await migrate(orm, async () => module.bootstrap?.(orm, { sampleData: false, serving: false, log }));
      return await work(orm);
    } finally {
      // a connection that died in a transaction is back in the pool (lib/database/orm.ts), so close does not wait on it
      await orm.close();
    }
  } finally {
    await database.stop();
  }
}

