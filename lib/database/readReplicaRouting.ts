// A subgraph with a read replica (DATABASE_READ_URL): its read-only requests (GraphQL queries,
// `_entities` included) run on the replica once it has caught up with the primary
// (./readReplica.ts); mutations, and everything outside requests (migrations, bootstrap, imports,
// ingest, the nonce store), stay on DATABASE_URL. The request's EntityManager and loaders are
// swapped once the operation is known, before any resolver runs.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Identity } from '../auth/identity.ts';
import { may } from '../auth/policy.ts';
import { waitForDatabase } from './availability.ts';
import { openSubgraphDatabase, type SubgraphDatabaseOptions } from './orm.ts';
import { ReplicaPosition, parseLsn } from './readReplica.ts';
import { sql } from './sql.ts';

interface RoutedContext<TLoaders> extends BaseContext {
  identity: Identity;
  em: EntityManager;
  loaders: TLoaders;
}

export interface ReadReplicaRouting {
  /**
   * The request's EntityManager on the primary, as without a replica, noting whether the caller's
   * reads could move to the replica (decided here, on the identity as verified: the resolvers see
   * it through the answer cache's tracking, lib/cache/answerDependencies.ts, and the routing must
   * not count as a read of it).
   */
  fork(identity: Identity): EntityManager;
  /** Moves a query's EntityManager (and the loaders built on it) to the replica when it may go there. */
  plugin<TLoaders>(loadersFor: (em: EntityManager, identity: Identity) => TLoaders): ApolloServerPlugin<RoutedContext<TLoaders>>;
  close(): Promise<void>;
}

/**
 * The replica of `primary`'s database at `readUrl`, or null without one. Fails (one line) when
 * the server there is not a standby: a second primary would not replay the first one's writes,
 * and reads there would never see them.
 */
export async function openReadReplica(
  primary: MikroORM,
  options: Omit<SubgraphDatabaseOptions, 'url'> & { readUrl: string | undefined; log: (line: string) => void },
): Promise<ReadReplicaRouting | null> {
  const { readUrl, log, ...database } = options;
  if (!readUrl) return null;
  const replica = await openSubgraphDatabase({ ...database, url: readUrl, contextName: `${database.schema}.read` });
  try {
    const [standby] = await waitForDatabase(() => sql<{ in_recovery: boolean }>(replica.em.fork(), 'select pg_is_in_recovery() as in_recovery'), { log });
    if (!standby!.in_recovery) {
      throw new Error('DATABASE_READ_URL is not a streaming replica (pg_is_in_recovery() is false there): point it at a standby of DATABASE_URL, or unset it');
    }
  } catch (error) {
    await replica.close();
    throw error;
  }
  // Each is one statement, counted as every statement is (lib/database/statementCounter.ts), and
  // shared by all the reads that wait at the same time.
  const position = new ReplicaPosition({
    primaryLsn: async () => parseLsn((await sql<{ lsn: string }>(primary.em.fork(), 'select pg_current_wal_lsn()::text as lsn'))[0]!.lsn),
    replayedLsn: async () => {
      const [row] = await sql<{ lsn: string | null }>(replica.em.fork(), 'select pg_last_wal_replay_lsn()::text as lsn');
      // null: a server that was never in recovery; a promoted one stays at its last replayed
      // position. Either never catches up with the primary, which then answers.
      return row?.lsn ? parseLsn(row.lsn) : -1n;
    },
  });
  // Reads of personal data in clear are written to the audit log (subgraphs/hotline): a write,
  // which a replica refuses. Those callers (the pii role) stay on the primary.
  const movable = new WeakSet<EntityManager>();
  log(`reads: the streaming replica at DATABASE_READ_URL once it has replayed the primary's latest commit (else the primary)`);
  return {
    fork(identity) {
      const em = primary.em.fork();
      if (!may(identity, 'read-personal-data', null)) movable.add(em);
      return em;
    },
    plugin: <TLoaders>(loadersFor: (em: EntityManager, identity: Identity) => TLoaders): ApolloServerPlugin<RoutedContext<TLoaders>> => ({
      async requestDidStart() {
        return {
          async didResolveOperation({ operation, contextValue }) {
            if (operation?.operation !== 'query' || !movable.has(contextValue.em)) return;
            if (!(await position.caughtUp())) return;
            const em = replica.em.fork();
            contextValue.em = em;
            contextValue.loaders = loadersFor(em, contextValue.identity);
          },
        };
      },
    }),
    close: () => replica.close(),
  };
}
