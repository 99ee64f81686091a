import './disableTelemetry.ts';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { PUBLIC, type Identity } from '../lib/auth/identity.ts';
import { signInternalRequest } from '../lib/auth/internalSignature.ts';
import { readSchemaFile } from '../lib/graphql/sdl.ts';
import { clientError } from '../lib/graphql/errors.ts';
import { inFlightDeduplication } from './dedupe.ts';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { HttpError, startGraphQLHttpServer, type RunningHttpServer } from '../lib/graphql/httpServer.ts';
import { TokenError, verifyToken, type TokenConfig } from './auth/tokens.ts';
import type { GatewayLimits } from './limits/config.ts';
import { documentLimitsPlugin } from './limits/documentLimits.ts';
import { loadPersistedDocuments } from './limits/persistedDocuments.ts';
import { RateLimiter } from './limits/rateLimit.ts';
import { registryAdminSchema } from './registry/adminApi.ts';
import { MunicipalDataSource } from './registry/municipalDataSource.ts';
import { openRegistry, type Registry, type RegistryOptions } from './registry/registry.ts';

export interface GatewayOptions {
  port: number;
  /** Where each subgraph answers; the committed supergraph's URLs are only defaults. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Signs the identity the gateway passes to subgraphs (GONGKAI_INTERNAL_KEY). */
  internalKey: Buffer;
  tokens: TokenConfig;
  limits: GatewayLimits;
  /**
   * The registry of municipal subgraphs (its database, poll and health intervals). Without it the
   * gateway serves the hub's own graph (schema/supergraph.graphql) and the registry API answers
   * REGISTRY_UNAVAILABLE.
   */
  registry?: RegistryOptions | null;
  /**
   * Identical subgraph queries in flight share one request (gateway/dedupe.ts); on unless false
   * (GONGKAI_GATEWAY_DEDUPE=0, for measuring the gateway without it).
   */
  dedupe?: boolean;
}

export interface GatewayContext {
  identity: Identity;
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

type Deduplicate = ReturnType<typeof inFlightDeduplication>;
type Fetcher = RemoteGraphQLDataSource['fetcher'];

/**
 * Every subrequest carries the caller's identity, signed for the subgraph to verify. Identical
 * queries in flight share one request, keyed with the identity (gateway/dedupe.ts).
 */
class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly #key: Buffer;
  constructor(url: string, key: Buffer, deduplicate: Deduplicate | null) {
    super({ url });
    // wraps the default fetcher (make-fetch-happen, keep-alive, no retry)
    if (deduplicate) this.fetcher = deduplicate(this.fetcher);
    this.#key = key;
  }
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const identity = 'identity' in context && context.identity ? context.identity : PUBLIC;
    const headers = signInternalRequest(this.#key, identity, request);
    for (const [name, value] of Object.entries(headers)) request.http?.headers.set(name, value);
  }
}

const isHubSubgraph = (name: string): name is SubgraphName => (SUBGRAPH_NAMES as readonly string[]).includes(name);

const clientAddress = (request: IncomingMessage): string => request.socket.remoteAddress ?? 'unknown';

export async function startGateway(options: GatewayOptions): Promise<RunningHttpServer> {
  const { limits } = options;
  const registry: Registry | null = options.registry ? await openRegistry(options.registry) : null;
  const hubHealth = async () => {
    const states = await subgraphHealth(options.subgraphUrls);
    return SUBGRAPH_NAMES.map((name) => ({ name, url: options.subgraphUrls[name], state: states[name]! }));
  };
  // one for all data sources: a write through any subgraph is seen by the queries after it in all
  const deduplicate = options.dedupe === false ? null : inFlightDeduplication();
  const registrySource = new LocalGraphQLDataSource<GatewayContext>(registryAdminSchema(registry, hubHealth));
  const gateway = new ApolloGateway({
    // The function form: the registry's current version, then `update` on every new one.
    supergraphSdl: registry ? registry.supergraph.hook : async () => ({ supergraphSdl: readSchemaFile('supergraph') }),
    buildService: ({ name, url }) => {
      if (name === 'registry') return registrySource;
      if (isHubSubgraph(name)) return new SignedDataSource(options.subgraphUrls[name] ?? url!, options.internalKey, deduplicate);
      // called at the address pinned when it was registered (GONGKAI_SUBGRAPH_ALLOW)
      return new MunicipalDataSource<GatewayContext>(name, url!, registry, deduplicate);
    },
  });
  const persisted = limits.persistedDocuments ? loadPersistedDocuments(limits.persistedDocuments) : null;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: limits.introspection,
    // "Did you mean …?" hints reveal the schema to those who may not introspect it.
    hideSchemaDetailsFromClientErrors: !limits.introspection,
    csrfPrevention: true,
    parseOptions: { maxTokens: limits.maxTokens },
    // no cache-control plugin: no field gives cache hints, and answers depend on the caller
    plugins: [...(persisted ? [persisted.plugin] : []), documentLimitsPlugin(limits), ApolloServerPluginCacheControlDisabled()],
    ...(persisted ? { persistedQueries: { cache: persisted.cache } } : {}),
  });
  try {
    await apollo.start();
  } catch (error) {
    await registry?.close();
    throw error;
  }
  const rateLimiter = new RateLimiter(limits.ratePerSecond, limits.rateBurst);
  const http = await startGraphQLHttpServer({
    apollo,
    port: options.port,
    authenticate: async (request) => {
      const header = request.headers.authorization;
      let identity: Identity = PUBLIC;
      if (header !== undefined) {
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) throw new HttpError(401, 'UNAUTHENTICATED', 'Authorization must be "Bearer <token>"');
        try {
          identity = await verifyToken(match[1]!, options.tokens);
        } catch (error) {
          if (error instanceof TokenError) throw new HttpError(401, 'UNAUTHENTICATED', error.message, { 'www-authenticate': 'Bearer' });
          throw error;
        }
      }
      const wait = rateLimiter.take(identity.subject ? `sub:${identity.subject}` : `ip:${clientAddress(request)}`);
      if (wait > 0) {
        throw new HttpError(429, 'RATE_LIMITED', `too many requests; retry in ${wait.toFixed(1)} s`, { 'retry-after': String(Math.ceil(wait)) });
      }
      return identity;
    },
    context: async (identity) => ({ identity }),
    health: async () => {
      const subgraphs = await subgraphHealth(options.subgraphUrls);
      return { ready: Object.values(subgraphs).every((state) => state === 'ready'), gateway: 'ready', subgraphs };
    },
  });
  return {
    ...http,
    async close() {
      await http.close();
      await registry?.close();
    },
  };
}
