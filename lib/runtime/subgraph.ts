// What every subgraph does to come up: open its own schema of the database, migrate it, run its
// bootstrap (reference data, first-start samples), and serve its SDL from schema/ over HTTP.
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Kind, parse } from 'graphql';
import type { SubgraphName } from '../config.ts';
import { migrate, openSubgraphDatabase, type SubgraphDatabaseOptions } from '../database/orm.ts';
import { readSchemaFile } from '../graphql/sdl.ts';
import { statementsSoFar } from '../database/statementCounter.ts';
import { HttpError, startGraphQLHttpServer, type RunningHttpServer } from '../graphql/httpServer.ts';
import { PUBLIC, type Identity } from '../auth/identity.ts';
import { InternalAuthError, InternalRequestVerifier, SIGNATURE_HEADER, type GraphQLPayload } from '../auth/internalSignature.ts';

/** What every resolver of a subgraph receives: who asks, and the request's own EntityManager and DataLoaders. */
export interface SubgraphContext<TLoaders> extends BaseContext {
  identity: Identity;
  em: EntityManager;
  loaders: TLoaders;
}

export interface SubgraphModule<TLoaders> {
  name: SubgraphName;
  entities: SubgraphDatabaseOptions['entities'];
  migrations: SubgraphDatabaseOptions['migrations'];
  resolvers: GraphQLResolverMap<SubgraphContext<TLoaders>>;
  /** Called per request with a fresh EntityManager: loaders are never shared between requests. */
  createLoaders(em: EntityManager, identity: Identity): TLoaders;
  /**
   * Runs after migrations on every start, of the server (`serving`) or of a command working on
   * the subgraph's data; must be idempotent.
   */
  bootstrap?(orm: MikroORM, options: { sampleData: boolean; serving: boolean; log: (line: string) => void }): Promise<void>;
}

export interface SubgraphStartOptions {
  databaseUrl: string;
  port: number;
  /** The key the gateway signs identities with (GONGKAI_INTERNAL_KEY). */
  internalKey: Buffer;
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

/**
 * Composition fetches a subgraph's SDL with `{ _service { sdl } }`; that alone needs no gateway
 * signature (the schema is no secret), everything else does.
 */
function asksOnlyForSdl(payload: GraphQLPayload): boolean {
  if (typeof payload.query !== 'string') return false;
  try {
    const document = parse(payload.query);
    return document.definitions.every(
      (definition) =>
        definition.kind === Kind.OPERATION_DEFINITION &&
        definition.operation === 'query' &&
        definition.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && ['_service', '__typename'].includes(selection.name.value)),
    );
  } catch {
    return false;
  }
}

export async function startSubgraph<TLoaders>(
  module: SubgraphModule<TLoaders>,
  options: SubgraphStartOptions,
): Promise<RunningSubgraph> {
  const log = options.log ?? ((line: string) => console.log(`[${module.name}] ${line}`));
  const orm = await openSubgraphDatabase({
    url: options.databaseUrl,
    schema: module.name,
    entities: module.entities,
    migrations: module.migrations,
  });
  let http: RunningHttpServer | undefined;
  try {
    await migrate(orm);
    await module.bootstrap?.(orm, { sampleData: options.sampleData ?? false, serving: true, log });
    const apollo = new ApolloServer<SubgraphContext<TLoaders>>({
      schema: buildSubgraphSchema({ typeDefs: parse(readSchemaFile(module.name)), resolvers: module.resolvers as GraphQLResolverMap<unknown> }),
      // Subgraphs sit behind the gateway, which owns error masking for the public.
      includeStacktraceInErrorResponses: process.env.NODE_ENV === 'development',
      // Inline traces feed Apollo's cloud reporting, which a closed network does not have. Cache
      // control computes an HTTP cache policy from per-field hints that no field gives (answers
      // depend on the caller): its hook on every resolved field was measurable CPU in the
      // province dashboard's profile (docs/performance.md).
      plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
    });
    await apollo.start();
    const verifier = new InternalRequestVerifier(options.internalKey);
    http = await startGraphQLHttpServer({
      apollo,
      port: options.port,
      authenticate: async (request, payload) => {
        if (!request.headers[SIGNATURE_HEADER] && asksOnlyForSdl(payload)) return PUBLIC;
        try {
          return verifier.verify(request.headers, payload);
        } catch (error) {
          if (error instanceof InternalAuthError) throw new HttpError(401, 'UNAUTHENTICATED', error.message);
          throw error;
        }
      },
      context: async (identity) => {
        const em = orm.em.fork();
        return { identity, em, loaders: module.createLoaders(em, identity) };
      },
      // `statements`: SQL statements this process has sent, for the benchmark's per-request counts.
      health: async () => ({ ready: await orm.isConnected(), subgraph: module.name, statements: statementsSoFar() }),
    });
  } catch (error) {
    await orm.close();
    throw error;
  }
  const server = http;
  return {
    name: module.name,
    url: server.url,
    orm,
    async close() {
      await server.close();
      await orm.close();
    },
  };
}
