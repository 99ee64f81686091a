import './disableTelemetry.ts';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { PUBLIC, type Identity } from '../lib/auth/identity.ts';
import { signInternalRequest } from '../lib/auth/internalSignature.ts';
import { readSchemaFile } from '../lib/graphql/sdl.ts';
import { clientError } from '../lib/graphql/errors.ts';
import { clientErrorFormatter } from '../lib/graphql/errorFormatting.ts';
import { serviceUnavailablePlugin } from '../lib/graphql/serviceUnavailable.ts';
import { collapseRepeatedErrorsPlugin } from '../lib/graphql/collapseRepeatedErrors.ts';
import { DATABASE_UNAVAILABLE_CODE, databaseStatus, databaseUnavailableMessage } from '../lib/database/availability.ts';
import { inputSafetyPlugin } from '../lib/graphql/inputSafety.ts';
import { REQUEST_ID_HEADER, currentRequestId } from '../lib/graphql/requestContext.ts';
import { inFlightDeduplication } from './dedupe.ts';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { HttpError, startGraphQLHttpServer, type RunningHttpServer } from '../lib/graphql/httpServer.ts';
import { TokenError, verifyToken, type TokenConfig } from './auth/tokens.ts';
import type { GatewayLimits } from './limits/config.ts';
import { documentLimitsPlugin } from './limits/documentLimits.ts';
import { listSizeStatistics } from './listSizeStatistics.ts';
import { screenQuery } from './limits/documentShape.ts';
import { loadPersistedDocuments } from './limits/persistedDocuments.ts';
import { RequestLimiter } from './limits/rateLimit.ts';
import { sharedFor } from './limits/sharedResult.ts';
import { createLogger } from '../lib/observability/log.ts';
import { watchDatabasePool } from '../lib/observability/databaseMetrics.ts';
import { RequestObserver, observedFetcher } from '../lib/observability/requests.ts';
import { gatewayMetrics } from '../lib/observability/scrape.ts';
import { registryAdminSchema } from './registry/adminApi.ts';
import { dashboardPages } from './pages/staticFiles.ts';
import { MunicipalDataSource } from './registry/municipalDataSource.ts';
import { Jurisdiction } from './registry/jurisdiction.ts';
import { AgencyRegions } from './registry/agencyRegions.ts';
import { openRegistry, type Registry, type RegistryOptions } from './registry/registry.ts';
import { CachedSubrequests, type AnswerCacheOptions } from './cache/cachedSubrequests.ts';
import { DASHBOARD_MANIFEST, knownOperations, warmQueryPlans } from './planWarmup.ts';
import { batchingEntityFetches } from './entityBatching.ts';

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
  /**
   * The answer cache of the hub's own subgraphs (gateway/cache/; GONGKAI_ANSWER_CACHE_MB): off
   * when absent or null.
   */
  answerCache?: AnswerCacheOptions | null;
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

/** The hub's database as the gateway sees it (through its registry's connection); null without a registry. */
async function databaseHealth(registry: Registry | null): Promise<string | null> {
  if (!registry) return null;
  return databaseStatus(async () => {
    const check = await registry.orm.checkConnection();
    if (!check.ok) throw check.error ?? new Error(check.reason);
  });
}

const WAITING_FOR_DATABASE = 'waiting for the database';

/**
 * /health: the state of each part, and `down` naming the parts that are not working, for an
 * operator to know what to look at; 503 (ready: false) unless every part is ready. A subgraph
 * that answers 503 while the database is unreachable is waiting for it, not down itself.
 */
function hubHealthReport(subgraphs: Record<string, string>, database: string | null) {
  const databaseDown = database !== null && database !== 'available';
  const states = Object.fromEntries(
    Object.entries(subgraphs).map(([name, state]) => [name, databaseDown && state === 'unhealthy (HTTP 503)' ? WAITING_FOR_DATABASE : state]),
  );
  const down = [
    ...(databaseDown ? ['database'] : []),
    ...Object.entries(states)
      .filter(([, state]) => state !== 'ready' && state !== WAITING_FOR_DATABASE)
      .map(([name]) => name),
  ];
  const ready = !databaseDown && Object.values(states).every((state) => state === 'ready');
  return { ready, gateway: 'ready', ...(database !== null ? { database } : {}), subgraphs: states, down };
}

const log = createLogger('gateway');

type Deduplicate = ReturnType<typeof inFlightDeduplication>;
type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = NonNullable<Parameters<RemoteGraphQLDataSource['didEncounterError']>[2]>;

/** A subgraph's 503 whose errors say SERVICE_UNAVAILABLE (lib/graphql/httpServer.ts, serviceUnavailable.ts). */
function subgraphDatabaseAway(error: Error, response: FetcherResponse): boolean {
  if (response.status !== 503) return false;
  const body = (error as { extensions?: { response?: { body?: unknown } } }).extensions?.response?.body as
    | { errors?: { extensions?: { code?: unknown } }[] }
    | undefined;
  return Array.isArray(body?.errors) && body.errors.some((inner) => inner?.extensions?.code === DATABASE_UNAVAILABLE_CODE);
}

/**
 * A subrequest to one of the hub's subgraphs that got no GraphQL answer. The client learns which
 * subgraph, in a stable code — never its URL, its address or what it answered: those go to the
 * log, under the request id the client is given (lib/graphql/errorFormatting.ts).
 */
function subrequestFailure(name: SubgraphName, error: Error, response?: FetcherResponse): Error {
  const cause = (error as Error & { cause?: Error }).cause?.message;
  // no answer at all (refused, reset, timed out): the subgraph is unreachable
  if (!response) {
    log.error(`subgraph ${name} did not answer`, { requestId: currentRequestId(), subgraph: name, cause: `${error.message}${cause ? ` (${cause})` : ''}` });
    return clientError('SUBGRAPH_UNREACHABLE', `the subgraph ${name} did not answer; its fields are null`, { serviceName: name });
  }
  // the subgraph's database is away (it refused the request with 503 before running it): its
  // fields are SERVICE_UNAVAILABLE, and the gateway's answer carries Retry-After
  if (subgraphDatabaseAway(error, response)) {
    log.error(`subgraph ${name}: its database is unavailable`, { requestId: currentRequestId(), subgraph: name });
    return clientError(DATABASE_UNAVAILABLE_CODE, databaseUnavailableMessage(), { serviceName: name });
  }
  // an answer that is not GraphQL (an HTTP error, a body that is not JSON) is the hub's fault:
  // an internal error, whose message only the log shows
  return new Error(`subgraph ${name} answered without GraphQL: HTTP ${response.status} from ${response.url}: ${error.message}`);
}

/**
 * Every subrequest carries the caller's identity, signed for the subgraph to verify — and for
 * that subgraph only: the signature names it, so that one captured on its way to one subgraph
 * is refused by the others. Identical queries in flight share one request, keyed with the
 * identity (gateway/dedupe.ts). The request id goes along, for the subgraph's log.
 */
class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly #name: SubgraphName;
  readonly #key: Buffer;
  readonly #cache: CachedSubrequests | null;
  constructor(name: SubgraphName, url: string, key: Buffer, deduplicate: Deduplicate | null, cache: CachedSubrequests | null) {
    super({ url });
    // wraps the default fetcher (make-fetch-happen, keep-alive, no retry)
    // observed outside the deduplication: each caller's wait is timed, and traced with its own span
    this.fetcher = observedFetcher(name, deduplicate ? deduplicate(this.fetcher) : this.fetcher, { propagate: true });
    this.#name = name;
    this.#key = key;
    this.#cache = cache;
  }
  // through the answer cache when there is one (gateway/cache/cachedSubrequests.ts)
  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    return this.#cache ? this.#cache.process(this.#name, options, () => super.process(options)) : super.process(options);
  }
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const identity = 'identity' in context && context.identity ? context.identity : PUBLIC;
    const headers = signInternalRequest(this.#key, identity, request, { audience: this.#name });
    for (const [name, value] of Object.entries(headers)) request.http?.headers.set(name, value);
    const requestId = currentRequestId();
    if (requestId) request.http?.headers.set(REQUEST_ID_HEADER, requestId);
  }
  override didEncounterError(error: Error, _request: unknown, response?: FetcherResponse): void {
    throw subrequestFailure(this.#name, error, response);
  }
}

const isHubSubgraph = (name: string): name is SubgraphName => (SUBGRAPH_NAMES as readonly string[]).includes(name);

const clientAddress = (request: IncomingMessage): string => request.socket.remoteAddress ?? 'unknown';

export async function startGateway(options: GatewayOptions): Promise<RunningHttpServer> {
  const { limits } = options;
  const registry: Registry | null = options.registry ? await openRegistry(options.registry) : null;
  // where each of the hub's subgraphs answers: for their health, list sizes and metrics
  const hubSubgraphs = SUBGRAPH_NAMES.map((name) => ({ name, url: options.subgraphUrls[name] }));
  // one round of subgraph calls answers every /health of the period (GONGKAI_HEALTH_CACHE_MS)
  const sharedSubgraphHealth = sharedFor(limits.healthCacheMs, () => subgraphHealth(options.subgraphUrls));
  const sharedDatabaseHealth = sharedFor(limits.healthCacheMs, () => databaseHealth(registry));
  const hubHealth = async () => {
    const states = await sharedSubgraphHealth();
    return hubSubgraphs.map((subgraph) => ({ ...subgraph, state: states[subgraph.name]! }));
  };
  // one for all data sources: a write through any subgraph is seen by the queries after it in all
  const deduplicate = options.dedupe === false ? null : inFlightDeduplication();
  const answers = options.answerCache ? new CachedSubrequests(options.answerCache) : null;
  const registrySource = new LocalGraphQLDataSource<GatewayContext>(registryAdminSchema(registry, hubHealth));
  // municipal subgraphs are asked only about their own regions; the hub's agencies subgraph places agencies
  const jurisdiction = registry ? new Jurisdiction({ registry, agencyRegions: new AgencyRegions({ url: options.subgraphUrls.agencies, key: options.internalKey }), log }) : null;
  const gateway = new ApolloGateway({
    // The function form: the registry's current version, then `update` on every new one.
    supergraphSdl: registry ? registry.supergraph.hook : async () => ({ supergraphSdl: readSchemaFile('supergraph') }),
    // the hub's subgraphs get one entity request where the plan makes several at once (gateway/entityBatching.ts)
    buildService: batchingEntityFetches(isHubSubgraph, ({ name, url }) => {
      if (name === 'registry') return registrySource;
      if (isHubSubgraph(name)) return new SignedDataSource(name, options.subgraphUrls[name] ?? url!, options.internalKey, deduplicate, answers);
      // called at the address pinned when it was registered (GONGKAI_SUBGRAPH_ALLOW)
      const municipal = new MunicipalDataSource<GatewayContext>(name, url!, registry, deduplicate, jurisdiction);
      // timed like the hub's own, but no traceparent: it is a third party
      municipal.fetcher = observedFetcher(name, municipal.fetcher, { propagate: false });
      return municipal;
    }),
  });
  // the plans of the dashboard's operations and the example queries, made at every supergraph load
  const manifests = [DASHBOARD_MANIFEST, ...(limits.persistedDocuments ? [limits.persistedDocuments] : [])];
  warmQueryPlans(gateway, knownOperations(manifests), (line) => log.info(line));
  const persisted = limits.persistedDocuments ? loadPersistedDocuments(limits.persistedDocuments) : null;
  // one log line, counts and a span per request; every answer carries extensions.requestId
  const observer = new RequestObserver({ service: 'gateway', exposeRequestId: true });
  if (registry) watchDatabasePool(observer.metrics, registry.orm, 'registry');
  answers?.observe(observer.metrics);
  // municipal subgraphs' breakers, in-flight subrequests, last checks and refusals (gateway/registry/subgraphLimits.ts)
  registry?.health.resilience.observe(observer.metrics);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: limits.introspection,
    // "Did you mean …?" hints reveal the schema to those who may not introspect it (and
    // clientErrorFormatter cuts those of variable coercion, which this leaves).
    hideSchemaDetailsFromClientErrors: !limits.introspection,
    // A code, a message for the client and the request id; stack traces, subrequest URLs and
    // database messages only in the log, whatever NODE_ENV says (lib/graphql/errorFormatting.ts).
    includeStacktraceInErrorResponses: false,
    formatError: clientErrorFormatter({ service: 'gateway', ownServices: [...SUBGRAPH_NAMES, 'registry'] }),
    csrfPrevention: true,
    parseOptions: { maxTokens: limits.maxTokens },
    // no cache-control plugin: no field gives cache hints, and answers depend on the caller
    // inputSafetyPlugin: no NUL in any string of the request (lib/graphql/inputSafety.ts)
    // serviceUnavailablePlugin: Retry-After when a subgraph's (or the registry's) database is away
    // collapseRepeatedErrorsPlugin: one error per refused field, not one per list position
    plugins: [
      ...(persisted ? [persisted.plugin] : []),
      observer.plugin(),
      // list sizes for the cost limit, read from the hub's subgraphs (gateway/listSizeStatistics.ts)
      documentLimitsPlugin(limits, listSizeStatistics(hubSubgraphs, options.internalKey, limits.listSizesRefreshMs)),
      inputSafetyPlugin(),
      ApolloServerPluginCacheControlDisabled(),
      serviceUnavailablePlugin(),
      collapseRepeatedErrorsPlugin(),
    ],
    ...(persisted ? { persistedQueries: { cache: persisted.cache } } : {}),
  });
  try {
    await apollo.start();
  } catch (error) {
    await registry?.close();
    await answers?.close();
    throw error;
  }
  const rateLimiter = new RequestLimiter(limits.ratePerSecond, limits.rateBurst);
  const refuseIfWaiting = (wait: number) => {
    if (wait > 0) throw new HttpError(429, 'RATE_LIMITED', `too many requests; retry in ${wait.toFixed(1)} s`, { 'retry-after': String(Math.ceil(wait)) });
  };
  const pages = dashboardPages();
  const http = await startGraphQLHttpServer({
    apollo,
    port: options.port,
    observer,
    // the dashboard at / and the GraphQL IDE for a browser's GET /graphql (gateway/pages/)
    pages: (request, url) => pages.answer(request, url),
    // its own metrics and its subgraphs' (they listen on loopback): loopback or GONGKAI_METRICS_TOKEN
    metrics: gatewayMetrics(observer.metrics, options.internalKey, hubSubgraphs),
    // Limit first, parse later: the rate limit, then the token (headers only), then the body —
    // up to GONGKAI_MAX_PUBLIC_BODY_BYTES without a token — and its document's shape, and only
    // then GraphQL's parse and validation.
    admit: async (request, route) => {
      const header = request.headers.authorization;
      refuseIfWaiting(rateLimiter.admit(clientAddress(request), header));
      if (route === 'health') return;
      if (header === undefined) return { identity: PUBLIC, maxBodyBytes: limits.maxPublicBodyBytes };
      let identity: Identity;
      try {
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) throw new TokenError('Authorization must be "Bearer <token>"');
        identity = await verifyToken(match[1]!, options.tokens);
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        rateLimiter.failed(clientAddress(request));
        throw new HttpError(401, 'UNAUTHENTICATED', error.message, { 'www-authenticate': 'Bearer' });
      }
      if (identity.subject) refuseIfWaiting(rateLimiter.admitSubject(identity.subject));
      return { identity };
    },
    screen: (payload) => {
      const refusal = screenQuery(payload.query, limits);
      if (refusal) throw new HttpError(400, String(refusal.extensions.code), refusal.message);
    },
    authenticate: async (_request, _payload, admission) => admission.identity ?? PUBLIC,
    context: async (identity) => ({ identity }),
    health: async () => {
      const [subgraphs, database] = await Promise.all([sharedSubgraphHealth(), sharedDatabaseHealth()]);
      // municipal subgraphs are third parties: shown (state, breaker, last check), never making the hub unready
      return { ...hubHealthReport(subgraphs, database), ...(registry ? { municipal: registry.health.resilience.report() } : {}) };
    },
  });
  return {
    ...http,
    async close() {
      await http.close();
      await registry?.close();
      await answers?.close();
    },
  };
}
