// The whole hub inside the test process: the three subgraphs and the gateway on free ports,
// over one test database. Same modules as production, only in one process so that tests can
// count the SQL statements a request costs.
import { afterAll } from 'vitest';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config.ts';
import { startSubgraph, type RunningSubgraph } from '../../lib/runtime/subgraph.ts';
import { SUBGRAPH_MODULES } from '../../lib/runtime/subgraphModules.ts';
import { startGateway } from '../../gateway/server.ts';
import { countStatements } from '../../lib/database/statementCounter.ts';
import { createTestDatabase } from './database.ts';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[];
}

export interface TestHub {
  databaseUrl: string;
  gatewayUrl: string;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  /** Sends a GraphQL request through the gateway. */
  query<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** The same, with the number of SQL statements the request cost. */
  countedQuery<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ response: GraphQLResponse<T>; statements: number }>;
}

export async function postGraphQL<T>(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

export async function startTestHub(options: { sampleData?: boolean } = {}): Promise<TestHub> {
  const databaseUrl = await createTestDatabase();
  const start = (module: (typeof SUBGRAPH_MODULES)[number]) =>
    startSubgraph(module, { databaseUrl, port: 0, sampleData: options.sampleData ?? false, log: () => {} });
  // agencies first, as `gongkai start` does: the others' samples use its directory read model.
  const [agencies, ...others] = SUBGRAPH_MODULES;
  const running = [await start(agencies!), ...(await Promise.all(others.map(start)))];
  const subgraphs = Object.fromEntries(running.map((s) => [s.name, s])) as Record<SubgraphName, RunningSubgraph>;
  const gateway = await startGateway({
    port: 0,
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphs[name].url])) as Record<SubgraphName, string>,
  });
  afterAll(async () => {
    await gateway.close();
    await Promise.all(running.map((s) => s.close()));
  });
  const query = <T>(q: string, variables?: Record<string, unknown>) => postGraphQL<T>(gateway.url, q, variables);
  return {
    databaseUrl,
    gatewayUrl: gateway.url,
    subgraphs,
    query,
    async countedQuery<T>(q: string, variables?: Record<string, unknown>) {
      const { result, statements } = await countStatements(() => query<T>(q, variables));
      return { response: result, statements };
    },
  };
}
