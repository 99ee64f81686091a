// The whole hub inside the test process: the three subgraphs and the gateway on free ports,
// over one test database. Same modules as production, only in one process so that tests can
// count the SQL statements a request costs.
import { afterAll } from 'vitest';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config.ts';
import { startSubgraph, type RunningSubgraph } from '../../lib/runtime/subgraph.ts';
import { SUBGRAPH_MODULES } from '../../subgraphs/modules.ts';
import { startGateway, type GatewayOptions } from '../../gateway/server.ts';
import { countStatements } from '../../lib/database/statementCounter.ts';
import { newInternalKey } from '../../lib/auth/internalSignature.ts';
import { gatewayLimitsFromEnv, type GatewayLimits } from '../../gateway/limits/config.ts';
import { createTestDatabase } from './database.ts';
import { testTokenConfig } from './auth.ts';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[];
}

export interface TestHub {
  databaseUrl: string;
  gatewayUrl: string;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  /** The key the gateway signs identities with, for tests that call a subgraph directly. */
  internalKey: Buffer;
  /** How the gateway was started, for a test that starts a second one on the same database. */
  gatewayOptions: GatewayOptions;
  /** Sends a GraphQL request through the gateway, as the bearer of `token` when given. */
  query<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  /** The same, with the number of SQL statements the request cost. */
  countedQuery<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ response: GraphQLResponse<T>; statements: number }>;
}

export async function postGraphQL<T>(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** The limits of production, except the rate limit, which a test of its own checks. */
const testLimits = (): GatewayLimits => ({ ...gatewayLimitsFromEnv(), ratePerSecond: 0 });

export interface TestHubOptions {
  sampleData?: boolean;
  limits?: Partial<GatewayLimits>;
  /** The gateway's registry of municipal subgraphs on the test database (off unless asked for). */
  registry?: { pollMs?: number; healthMs?: number };
  /** The gateway's answer cache (on, as in production, unless false: tests that count statements per request). */
  answerCache?: boolean;
}

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const internalKey = Buffer.from(newInternalKey(), 'base64');
  const databaseUrl = await createTestDatabase();
  const start = (module: (typeof SUBGRAPH_MODULES)[number]) =>
    startSubgraph(module, { databaseUrl, port: 0, internalKey, sampleData: options.sampleData ?? false, log: () => {} });
  // agencies first, as `gongkai start` does: the others' samples use its directory read model.
  const [agencies, ...others] = SUBGRAPH_MODULES;
  const running = [await start(agencies!), ...(await Promise.all(others.map(start)))];
  const subgraphs = Object.fromEntries(running.map((s) => [s.name, s])) as Record<SubgraphName, RunningSubgraph>;
  const gatewayOptions: GatewayOptions = {
    port: 0,
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphs[name].url])) as Record<SubgraphName, string>,
    internalKey,
    tokens: testTokenConfig(),
    limits: { ...testLimits(), ...options.limits },
    registry: options.registry ? { databaseUrl, log: () => {}, ...options.registry } : null,
    answerCache: options.answerCache === false ? null : { databaseUrl, subgraphs: SUBGRAPH_NAMES, maxBytes: 64 * 1024 * 1024 },
  };
  const gateway = await startGateway(gatewayOptions);
  afterAll(async () => {
    await gateway.close();
    await Promise.all(running.map((s) => s.close()));
  });
  const query = <T>(q: string, variables?: Record<string, unknown>, token?: string) => postGraphQL<T>(gateway.url, q, variables, token);
  return {
    databaseUrl,
    gatewayUrl: gateway.url,
    subgraphs,
    internalKey,
    gatewayOptions,
    query,
    async countedQuery<T>(q: string, variables?: Record<string, unknown>, token?: string) {
      const { result, statements } = await countStatements(() => query<T>(q, variables, token));
      return { response: result, statements };
    },
  };
}
