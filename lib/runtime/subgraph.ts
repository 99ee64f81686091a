// What every subgraph does to come up: open its own schema of the database, migrate it, run its
// bootstrap (reference data, first-start samples), and serve its SDL from schema/ over HTTP.
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { parse } from 'graphql';
import { subgraphHost, type SubgraphName } from '../config.ts';
import { migrate, openSubgraphDatabase, type SubgraphDatabaseOptions } from '../database/orm.ts';
import { readSchemaFile } from '../graphql/sdl.ts';
import { statementsSoFar } from '../database/statementCounter.ts';
import { HttpError, startGraphQLHttpServer, type RunningHttpServer } from '../graphql/httpServer.ts';
import { clientErrorFormatter } from '../graphql/errorFormatting.ts';
import { serviceUnavailablePlugin } from '../graphql/serviceUnavailable.ts';
import { databaseStatus, waitForDatabase } from '../database/availability.ts';
import { inputSafetyPlugin } from '../graphql/inputSafety.ts';
import type { Identity } from '../auth/identity.ts';
import { InternalAuthError, InternalRequestVerifier, type NonceStore } from '../auth/internalSignature.ts';
import { PostgresNonceStore } from '../auth/nonceStore.ts';
import { createLogger } from '../observability/log.ts';
import { watchDatabasePool } from '../observability/databaseMetrics.ts';
import type { MetricsRegistry } from '../observability/metrics.ts';
import { RequestObserver } from '../observability/requests.ts';
import { subgraphMetrics } from '../observability/scrape.ts';
import { openReadReplica, type ReadReplicaRouting } from '../database/readReplicaRouting.ts';
import { readDatabaseUrlFromEnv } from '../database/urls.ts';
import { AnswerDependencies, declareAnswerDependencies, type CacheDeclarations } from '../cache/answerDependencies.ts';
import { answerCachePlugin } from '../cache/answerCachePlugin.ts';
import { EVERYTHING } from '../cache/changes.ts';
import { pruneChanges, recordChanges } from '../cache/changeLog.ts';

/** What every resolver of a subgraph receives: who asks, and the request's own EntityManager and DataLoaders. */
export interface SubgraphContext<TLoaders> extends BaseContext {
  identity: Identity;
  em: EntityManager;
  loaders: TLoaders;
  /** What the answer is computed from, for the gateway's answer cache (lib/cache/answerDependencies.ts). */
  answer: AnswerDependencies;
}

export interface SubgraphModule<TLoaders> {
  name: SubgraphName;
  entities: SubgraphDatabaseOptions['entities'];
  migrations: SubgraphDatabaseOptions['migrations'];
  resolvers: GraphQLResolverMap<SubgraphContext<TLoaders>>;
  /** What each of `resolvers` reads, for the gateway's answer cache; one per resolver, checked at start. */
  cacheDeclarations: CacheDeclarations<SubgraphContext<TLoaders>>;
  /** Called per request with a fresh EntityManager: loaders are never shared between requests. */
  createLoaders(em: EntityManager, identity: Identity): TLoaders;
  /**
   * Runs after migrations on every start, of the server (`serving`) or of a command working on
   * the subgraph's data; must be idempotent.
   */
  bootstrap?(orm: MikroORM, options: { sampleData: boolean; serving: boolean; log: (line: string) => void }): Promise<void>;
  /** The subgraph's own metrics (counters, gauges read from its tables), beside every service's. */
  metrics?(metrics: MetricsRegistry, orm: MikroORM): void;
}

export interface SubgraphStartOptions {
  databaseUrl: string;
  /** A streaming replica of it for the reads (DATABASE_READ_URL by default; lib/database/readReplicaRouting.ts). */
  readDatabaseUrl?: string | undefined;
  port: number;
  /** The key the gateway signs identities with (GONGKAI_INTERNAL_KEY). */
  internalKey: Buffer;
  /** The address to listen on: GONGKAI_SUBGRAPH_HOST, loopback unless set (lib/config.ts). */
  host?: string;
  /**
   * Where the nonces of the gateway's signatures are remembered: by default a table of the
   * subgraph's schema, shared by every replica on the same database (lib/auth/nonceStore.ts).
   */
  nonces?: NonceStore;
  /** Load the labelled sample dataset when the subgraph's tables are empty. */
  sampleData?: boolean;
  log?: (line: string) => void;
}

export interface RunningSubgraph {
  name: SubgraphName;
  url: string;
  orm: MikroORM;
  close(): Promise<void>;
}

// Every request needs the gateway's signature, `{ _service { sdl } }` included: the gateway
// composes the hub's own subgraphs from the committed SDL in schema/ (gateway/composeSupergraph.ts)
// and never asks them for it, so nothing needs the SDL unsigned — and a subgraph's port reached
// directly answers nothing at all.

/** The module's resolvers, each reporting what it reads (lib/cache/answerDependencies.ts). */
const answerResolvers = <TLoaders>(module: SubgraphModule<TLoaders>): GraphQLResolverMap<unknown> =>
  declareAnswerDependencies(module.resolvers as Record<string, Record<string, unknown>>, module.cacheDeclarations, (context) => context.answer) as GraphQLResolverMap<unknown>;

/** How often a subgraph deletes the changes of its log older than their retention (lib/cache/changeLog.ts). */
const PRUNE_CHANGES_MS = 60 * 60_000;

export async function startSubgraph<TLoaders>(
  module: SubgraphModule<TLoaders>,
  options: SubgraphStartOptions,
): Promise<RunningSubgraph> {
  const logger = createLogger(module.name);
  const log = options.log ?? ((line: string) => logger.info(line));
  const orm = await openSubgraphDatabase({
    url: options.databaseUrl,
    schema: module.name,
    entities: module.entities,
    migrations: module.migrations,
  });
  let http: RunningHttpServer | undefined;
  let nonces: NonceStore | undefined;
  let reads: ReadReplicaRouting | null = null;
  try {
    // started before its database (or while it restarts): wait for it rather than exit
    await waitForDatabase(
      async () => {
        // one replica at a time (lib/database/orm.ts)
        await migrate(orm, async () => module.bootstrap?.(orm, { sampleData: options.sampleData ?? false, serving: true, log }));
        // answers cached from before this start may have been computed by other code: none is kept
        await orm.em.fork().transactional((tx) => recordChanges(tx, module.name, [EVERYTHING]));
      },
      { log },
    );
    const { name: schema, entities, migrations } = module;
    reads = await openReadReplica(orm, { schema, entities, migrations, readUrl: options.readDatabaseUrl ?? readDatabaseUrlFromEnv(), log });
    // each request's log line, metrics and span, continuing the gateway's trace
    const observer = new RequestObserver({ service: module.name, logger, acceptTraceParent: true });
    watchDatabasePool(observer.metrics, orm);
    module.metrics?.(observer.metrics, orm);
    const apollo = new ApolloServer<SubgraphContext<TLoaders>>({
      schema: buildSubgraphSchema({ typeDefs: parse(readSchemaFile(module.name)), resolvers: answerResolvers(module) }),
      // Never a stack trace in an answer, whatever NODE_ENV says: errors carry a code, a message
      // written for the client and the request id; the details go to this subgraph's log
      // (lib/graphql/errorFormatting.ts). The gateway formats them once more for the public.
      includeStacktraceInErrorResponses: false,
      formatError: clientErrorFormatter({ service: module.name }),
      // Inline traces feed Apollo's cloud reporting, which a closed network does not have. Cache
      // control computes an HTTP cache policy from per-field hints that no field gives (answers
      // depend on the caller): its hook on every resolved field was measurable CPU in the
      // province dashboard's profile (docs/performance.md).
      // No NUL reaches SQL (lib/graphql/inputSafety.ts); answered with 200 for the gateway to read.
      // SERVICE_UNAVAILABLE (the database away) answers carry Retry-After (lib/graphql/serviceUnavailable.ts).
      plugins: [
        observer.plugin(), ApolloServerPluginInlineTraceDisabled(),
        ApolloServerPluginCacheControlDisabled(),
        inputSafetyPlugin({ httpStatus: 200 }),
        serviceUnavailablePlugin(),
        ...(reads ? [reads.plugin(module.createLoaders)] : []),
        answerCachePlugin<SubgraphContext<TLoaders>>((context) => context.answer),
      ],
    });
    await apollo.start();
    nonces = options.nonces ?? new PostgresNonceStore(options.databaseUrl, module.name);
    // signatures name the subgraph they are for: one made for another subgraph is refused
    const verifier = new InternalRequestVerifier(options.internalKey, module.name, nonces);
    http = await startGraphQLHttpServer({
      apollo,
      name: module.name,
      port: options.port,
      host: options.host ?? subgraphHost(),
      // the gateway's request id, so that both logs name a request alike
      acceptRequestId: true,
      observer,
      // signed by the gateway, which adds it to its own /metrics
      metrics: subgraphMetrics(observer.metrics, verifier),
      authenticate: async (request, payload) => {
        try {
          return await verifier.verify(request.headers, payload);
        } catch (error) {
          if (error instanceof InternalAuthError) throw new HttpError(401, 'UNAUTHENTICATED', error.message);
          throw error;
        }
      },
      context: async (identity) => {
        const em = reads?.fork(identity) ?? orm.em.fork();
        // the resolvers see the identity through what records which parts of it they read
        const answer = new AnswerDependencies();
        const seen = answer.track(identity);
        return { identity: seen, em, loaders: module.createLoaders(em, seen), answer };
      },
      // `statements`: SQL statements this process has sent, for the benchmark's per-request counts.
      // within 2 s whatever the database does: a connection attempt to a host that never answers
      // would otherwise hold /health until the pool's connection timeout
      health: async () => {
        const database = await databaseStatus(async () => {
          const check = await orm.checkConnection();
          if (!check.ok) throw check.error ?? new Error(check.reason);
        });
        return { ready: database === 'available', subgraph: module.name, database, statements: statementsSoFar() };
      },
    });
  } catch (error) {
    await nonces?.close();
    await reads?.close();
    await orm.close();
    throw error;
  }
  const server = http;
  const nonceStore = nonces;
  const replica = reads;
  // with the database away the next round does it
  const pruner = setInterval(() => void pruneChanges(orm.em.fork(), module.name).catch(() => {}), PRUNE_CHANGES_MS);
  pruner.unref();
  return {
    name: module.name,
    url: server.url,
    orm,
    async close() {
      clearInterval(pruner);
      await server.close();
      await nonceStore.close();
      await replica?.close();
      await orm.close();
    },
  };
}
