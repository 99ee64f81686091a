// One MikroORM instance per subgraph, confined to that subgraph's own Postgres schema: its
// entities, its migrations and its migrations table all live there, and nothing else is mapped.
import pg from 'pg';
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
  /**
   * The name MikroORM keeps this ORM's transaction under (default: the schema). A second ORM
   * on the same schema in the same process (a subgraph's read replica) needs a name of its own.
   */
  contextName?: string;
}

export async function openSubgraphDatabase(options: SubgraphDatabaseOptions): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: options.url,
    schema: options.schema,
    // MikroORM keeps the current transaction in process-wide async context, keyed by this
    // name: distinct names keep one subgraph's transaction from leaking into another's ORM
    // when two run in one process (tests, gongkai ingest).
    contextName: options.contextName ?? options.schema,
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
    driverOptions: { connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS, keepAlive: true, onPoolCreated: releaseConnectionsThatDie },
    onQuery: (sql) => {
      countStatement();
      return sql;
    },
    // Entities are defined with defineEntity(); there is no metadata to discover from decorators.
    discovery: { warnWhenNoEntities: false },
    debug: process.env.GONGKAI_DEBUG_SQL === '1',
  });
}

/**
 * A transaction whose connection dies before its commit (the database restarted, the session
 * terminated) is never given back to the pool: kysely releases a transaction's connection only
 * after a rollback that succeeded, and on a dead connection the rollback fails. Each such loss
 * kept a slot taken for good, and a pool of 10 was stuck after 10 losses, the database back or
 * not. So a connection that ends while checked out is released with its error (pg-pool then
 * drops it), and a later release of it by its holder does nothing.
 */
export function releaseConnectionsThatDie(pool: pg.Pool): void {
  pool.on('acquire', (client) => {
    // pg-pool sets client.release right after emitting 'acquire'; wrap it once it is there
    queueMicrotask(() => {
      const release = client.release;
      let released = false;
      const releaseOnce = (error?: Error | boolean) => {
        if (released) return;
        released = true;
        client.removeListener('end', releaseDead);
        release(error);
      };
      const releaseDead = () => releaseOnce(new Error('the connection ended while it was in use'));
      client.release = releaseOnce;
      client.once('end', releaseDead);
    });
  });
}

/**
 * Brings the subgraph's schema up to the newest committed migration, then runs `andThen` (its
 * bootstrap), one process at a time: replicas of one subgraph (`gongkai start --replicas`,
 * compose's deploy.replicas) start together, and two migrators racing on one schema would both
 * try to apply the same migration, two bootstraps both load the sample data. A session advisory
 * lock keyed by the schema serialises them; the later ones find nothing left to do. The lock is
 * held on a connection of its own (an advisory lock belongs to its session, and the pool's
 * connections change hands), and a process that dies holding it releases it with its session.
 */
export async function migrate(orm: MikroORM, andThen?: () => Promise<void>): Promise<void> {
  const schema = orm.config.get('schema') ?? 'public';
  const lock = new pg.Client({ connectionString: orm.config.get('clientUrl'), connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS });
  // a lock connection lost mid-migration: the migration's own statements fail and say so
  lock.on('error', () => {});
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [`gongkai.migrate.${schema}`]);
    await orm.migrator.up();
    await andThen?.();
  } finally {
    // ending the session releases the lock, also when the unlock itself cannot be sent
    await lock.end().catch(() => {});
  }
}
