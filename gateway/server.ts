import './disableTelemetry.ts';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { readSchemaFile } from '../lib/graphql/sdl.ts';
import { startGraphQLHttpServer, type RunningHttpServer } from '../lib/graphql/httpServer.ts';

export interface GatewayOptions {
  port: number;
  /** Where each subgraph answers; the committed supergraph's URLs are only defaults. */
  subgraphUrls: Record<SubgraphName, string>;
}

const healthUrlOf = (graphqlUrl: string): string => new URL('/health', graphqlUrl).toString();

async function subgraphHealth(urls: Record<SubgraphName, string>): Promise<Record<string, string>> {
  const entries = await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      try {
        const response = await fetch(healthUrlOf(urls[name]), { signal: AbortSignal.timeout(2000) });
        return [name, response.ok ? 'ready' : `unhealthy (HTTP ${response.status})`] as const;
      } catch (error) {
        return [name, `unreachable (${(error as Error).message})`] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

export async function startGateway(options: GatewayOptions): Promise<RunningHttpServer> {
  const gateway = new ApolloGateway({
    supergraphSdl: readSchemaFile('supergraph'),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({ url: options.subgraphUrls[name as SubgraphName] ?? url }),
  });
  const apollo = new ApolloServer({ gateway });
  await apollo.start();
  return startGraphQLHttpServer({
    apollo,
    port: options.port,
    context: async () => ({}),
    health: async () => {
      const subgraphs = await subgraphHealth(options.subgraphUrls);
      return { ready: Object.values(subgraphs).every((state) => state === 'ready'), gateway: 'ready', subgraphs };
    },
  });
}
