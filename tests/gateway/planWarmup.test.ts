// gateway/planWarmup.ts: the dashboard's operations and the example queries are planned when a
// supergraph loads, so that a request sending one finds its plan made (no planning on its path).
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { knownOperations, warmQueryPlans, type PlanWarmup } from '../../gateway/planWarmup.ts';
import { readSchemaFile } from '../../lib/graphql/sdl.ts';

const operations = knownOperations();
const dashboardPage = operations.find((o) => o.names.includes('RegionViewPage'));

describe('query plans warmed at every supergraph load', () => {
  let gateway: ApolloGateway;
  let apollo: ApolloServer;
  let warmup: PlanWarmup;
  const lines: string[] = [];
  beforeAll(async () => {
    gateway = new ApolloGateway({
      supergraphSdl: readSchemaFile('supergraph'),
      // nothing listens there: the requests below fail after their plan, which is what is looked at
      buildService: () => new RemoteGraphQLDataSource({ url: 'http://127.0.0.1:1/graphql' }),
    });
    warmup = warmQueryPlans(gateway, operations, (line) => lines.push(line));
    apollo = new ApolloServer({ gateway });
    await apollo.start();
  });
  afterAll(async () => {
    await apollo?.stop();
  });

  it('finds the dashboard\'s operations and the example queries', () => {
    expect(dashboardPage).toBeDefined();
    expect(operations.length).toBeGreaterThan(20);
  });

  it('plans every known operation once the supergraph is loaded, and says so', async () => {
    const outcome = await warmup.settled();
    expect(outcome.planned).toBe(operations.reduce((n, o) => n + o.names.length, 0));
    expect(outcome.skipped).toBe(0);
    expect(lines.some((line) => line.startsWith(`query plans warmed: ${outcome.planned} operations`))).toBe(true);
  });

  it('answers a warmed operation without planning it, with or without its operation name', async () => {
    await warmup.settled();
    const planner = (gateway as unknown as { queryPlanner: { buildQueryPlan: (...args: unknown[]) => unknown } }).queryPlanner;
    const plan = vi.spyOn(planner, 'buildQueryPlan');
    try {
      await apollo.executeOperation({ query: dashboardPage!.body, operationName: 'RegionViewPage', variables: { code: '430000', year: 2024 } });
      await apollo.executeOperation({ query: dashboardPage!.body, variables: { code: '430000', year: 2024 } });
      expect(plan).not.toHaveBeenCalled();
      // a document no one warmed is planned on its request: the spy sees planning when it happens
      await apollo.executeOperation({ query: '{ sectors { code name } }' });
      expect(plan).toHaveBeenCalledTimes(1);
    } finally {
      plan.mockRestore();
    }
  });
});
