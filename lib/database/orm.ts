// One MikroORM instance per subgraph, confined to that subgraph's own Postgres schema: its
// entities, its migrations and its migrations table all live there, and nothing else is mapped.
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Migration } from '@mikro-orm/migrations';
import { countStatement } from './statementCounter.ts';
import { DATABASE_CONNECT_TIMEOUT_MS } from './availability.ts';

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
    // The database away: a connection attempt gives up after 10 s instead of the operating
    // system's minutes (a host that never answers), and keep-alive notices a dead peer. pg-pool
    // drops a connection that failed and opens a new one for the next query, so the pool is
    // whole again once the database is back; MikroORM listens for the 'error' a connection
    // lost while idle emits, which would otherwise end the process.
    driverOptions: { connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS, keepAlive: true },
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
