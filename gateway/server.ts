import './disableTelemetry.ts';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { PUBLIC, type Identity } from '../lib/auth/identity.ts';
import { signInternalRequest } from '../lib/auth/internalSignature.ts';
import { readSchemaFile } from '../lib/graphql/sdl.ts';
import { HttpError, startGraphQLHttpServer, type RunningHttpServer } from '../lib/graphql/httpServer.ts';
import { TokenError, verifyToken, type TokenConfig } from './auth/tokens.ts';
import type { GatewayLimits } from './limits/config.ts';
import { documentLimitsPlugin } from './limits/documentLimits.ts';
import { loadPersistedDocuments } from './limits/persistedDocuments.ts';
import { RateLimiter } from './limits/rateLimit.ts';

export interface GatewayOptions {
  port: number;
  /** Where each subgraph answers; the committed supergraph's URLs are only defaults. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Signs the identity the gateway passes to subgraphs (GONGKAI_INTERNAL_KEY). */
  internalKey: Buffer;
  tokens: TokenConfig;
  limits: GatewayLimits;
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

/** Every subrequest carries the caller's identity, signed for the subgraph to verify. */
class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly #key: Buffer;
  constructor(url: string, key: Buffer) {
    super({ url });
    this.#key = key;
  }
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const identity = 'identity' in context && context.identity ? context.identity : PUBLIC;
    const headers = signInternalRequest(this.#key, identity, request);
    for (const [name, value] of Object.entries(headers)) request.http?.headers.set(name, value);
  }
}

const clientAddress = (request: IncomingMessage): string => request.socket.remoteAddress ?? 'unknown';

export async function startGateway(options: GatewayOptions): Promise<RunningHttpServer> {
  const { limits } = options;
  const gateway = new ApolloGateway({
    supergraphSdl: readSchemaFile('supergraph'),
    buildService: ({ name, url }) => new SignedDataSource(options.subgraphUrls[name as SubgraphName] ?? url!, options.internalKey),
  });
  const persisted = limits.persistedDocuments ? loadPersistedDocuments(limits.persistedDocuments) : null;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: limits.introspection,
    // "Did you mean …?" hints reveal the schema to those who may not introspect it.
    hideSchemaDetailsFromClientErrors: !limits.introspection,
    csrfPrevention: true,
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [...(persisted ? [persisted.plugin] : []), documentLimitsPlugin(limits)],
    ...(persisted ? { persistedQueries: { cache: persisted.cache } } : {}),
  });
  await apollo.start();
  const rateLimiter = new RateLimiter(limits.ratePerSecond, limits.rateBurst);
  return startGraphQLHttpServer({
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
}
