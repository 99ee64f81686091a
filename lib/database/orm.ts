// One MikroORM instance per subgraph, confined to that subgraph's own Postgres schema: its
// entities, its migrations and its migrations table all live there, and nothing else is mapped.
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Migration } from '@mikro-orm/migrations';
import { countStatement } from './statementCounter.ts';

export interface SubgraphDatabaseOptions {
  url: string;
  /** The subgraph's Postgres schema: agencies, reports or hotline. */
  schema: string;
  entities: NonNullable<Options['entities']>;
  migrations: { name: string; class: new (...args: never[]) => Migration }[];
  poolSize?: number;
}

export async function openSubgraphDatabase(options: SubgraphDatabaseOptions): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: options.url,
    schema: options.schema,
    // MikroORM keeps the current transaction in process-wide async context, keyed by this
    // name: distinct names keep one subgraph's transaction from leaking into another's ORM
    // when two run in one process (tests, gongkai ingest).
    contextName: options.schema,
    entities: options.entities,
    extensions: [Migrator],
    migrations: {
      tableName: `${options.schema}.mikro_orm_migrations`,
      migrationsList: options.migrations as never,
      transactional: true,
      allOrNothing: true,
      silent: true,
      // Migrations are hand-written SQL; no schema snapshot is kept or diffed.
      snapshot: false,
    },
    pool: { min: 0, max: options.poolSize ?? 10 },
    onQuery: (sql) => {
      countStatement();
      return sql;
    },
    // Entities are defined with defineEntity(); there is no metadata to discover from decorators.
    discovery: { warnWhenNoEntities: false },
    debug: process.env.GONGKAI_DEBUG_SQL === '1',
  });
}

/** Brings the subgraph's schema up to the newest committed migration. */
export async function migrate(orm: MikroORM): Promise<void> {
  await orm.migrator.up();
}
