// What every subgraph does to come up: open its own schema of the database, migrate it, run its
// bootstrap (reference data, first-start samples), and serve its SDL from schema/ over HTTP.
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { parse } from 'graphql';
import type { SubgraphName } from '../config.ts';
import { migrate, openSubgraphDatabase, type SubgraphDatabaseOptions } from '../database/orm.ts';
import { readSchemaFile } from '../graphql/sdl.ts';
import { startGraphQLHttpServer, type RunningHttpServer } from '../graphql/httpServer.ts';

/** What every resolver of a subgraph receives: a request's own EntityManager and DataLoaders. */
export interface SubgraphContext<TLoaders> extends BaseContext {
  em: EntityManager;
  loaders: TLoaders;
}

export interface SubgraphModule<TLoaders> {
  name: SubgraphName;
  entities: SubgraphDatabaseOptions['entities'];
  migrations: SubgraphDatabaseOptions['migrations'];
  resolvers: GraphQLResolverMap<SubgraphContext<TLoaders>>;
  /** Called per request with a fresh EntityManager: loaders are never shared between requests. */
  createLoaders(em: EntityManager): TLoaders;
  /** Runs after migrations on every start; must be idempotent. */
  bootstrap?(orm: MikroORM, options: { sampleData: boolean; log: (line: string) => void }): Promise<void>;
}

export interface SubgraphStartOptions {
  databaseUrl: string;
  port: number;
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
    await module.bootstrap?.(orm, { sampleData: options.sampleData ?? false, log });
    const apollo = new ApolloServer<SubgraphContext<TLoaders>>({
      schema: buildSubgraphSchema({ typeDefs: parse(readSchemaFile(module.name)), resolvers: module.resolvers as GraphQLResolverMap<unknown> }),
      // Subgraphs sit behind the gateway, which owns error masking for the public.
      includeStacktraceInErrorResponses: process.env.NODE_ENV === 'development',
      // Inline traces feed Apollo's cloud reporting, which a closed network does not have.
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    await apollo.start();
    http = await startGraphQLHttpServer({
      apollo,
      port: options.port,
      context: async () => {
        const em = orm.em.fork();
        return { em, loaders: module.createLoaders(em) };
      },
      health: async () => ({ ready: await orm.isConnected(), subgraph: module.name }),
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
