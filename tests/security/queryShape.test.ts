// The attack matrix for issue 13, classes 1, 2 and 9: documents whose shape would stall the
// gateway, size arguments that would lower a query's cost, and floods that cost the hub more than
// the caller. Each case is refused with its code, before anything runs, and the hub keeps serving.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, parse, type GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config.ts';
import { startGateway } from '../../gateway/server.ts';
import type { GatewayLimits } from '../../gateway/limits/config.ts';
import { checkDocumentLimits, type DocumentLimits } from '../../gateway/limits/documentShape.ts';
import { operationCost } from '../../gateway/limits/documentLimits.ts';
import type { RunningHttpServer } from '../../lib/graphql/httpServer.ts';
import { startTestHub, type GraphQLResponse, type TestHub } from '../support/hub.ts';
import { ADMIN, token } from '../support/auth.ts';
import { fragmentBombDocument, typenameBombDocument } from '../support/attackDocuments.ts';

let hub: TestHub;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const codeOf = (response: GraphQLResponse | null) => response?.errors?.[0]?.extensions?.code;

async function send(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: GraphQLResponse | null; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const parsed = (await response.json().catch(() => null)) as GraphQLResponse | null;
  return { status: response.status, body: parsed, ms: performance.now() - started };
}

const ask = (query: string, variables?: Record<string, unknown>) => send(hub.gatewayUrl, { query, variables });

/** Refused with `code`, nothing answered, a one-line message for the client and no stack. */
async function refused(query: string, code: string, variables?: Record<string, unknown>) {
  const response = await ask(query, variables);
  expect(codeOf(response.body)).toBe(code);
  expect(response.body?.data ?? null).toBeNull();
  expect(response.status).toBe(400);
  const error = response.body!.errors![0]!;
  expect(error.message).not.toContain('\n');
  expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|\bat .*\.ts:\d+/);
  return response;
}

/** A gateway of its own over the hub's subgraphs, with these limits. */
async function gatewayWith(limits: Partial<GatewayLimits>, subgraphUrls = hub.gatewayOptions.subgraphUrls): Promise<RunningHttpServer> {
  const gateway = await startGateway({ ...hub.gatewayOptions, subgraphUrls, port: 0, registry: null, limits: { ...hub.gatewayOptions.limits, ...limits } });
  closers.push(() => gateway.close());
  return gateway;
}

const SHAPE: DocumentLimits = { maxDepth: 12, maxAliases: 30, maxDirectives: 20, maxSelections: 10_000, maxFragments: 100 };

/**
 * How long `document` takes to be refused with `code`: the median of five tries, after one to
 * warm up (the machine the tests run on is shared; one slow answer is not the document's doing).
 */
async function refusalMs(document: string, code: string): Promise<number> {
  await refused(document, code);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push((await refused(document, code)).ms);
  times.sort((a, b) => a - b);
  expect(times.at(-1)).toBeLessThan(1000);
  return times[2]!;
}

function thrown(run: () => unknown): GraphQLError | null {
  try {
    run();
    return null;
  } catch (error) {
    return error as GraphQLError;
  }
}

describe('class 1: denial of service by document shape', () => {
  it('refuses the worst fragment document (23 levels, ~1 KB, anonymous) in milliseconds', async () => {
    const document = fragmentBombDocument();
    expect(document.length).toBeLessThan(1200);
    expect(await refusalMs(document, 'DOCUMENT_TOO_COMPLEX')).toBeLessThan(100);
  });

  it('refuses the same shape on __typename, which the cost model prices at nothing', async () => {
    expect(await refusalMs(typenameBombDocument(), 'DOCUMENT_TOO_COMPLEX')).toBeLessThan(100);
  });

  it('refuses the same shape as long as the token limit allows, before GraphQL validates it', async () => {
    const document = fragmentBombDocument({ levels: 420 });
    expect(await refusalMs(document, 'DOCUMENT_TOO_COMPLEX')).toBeLessThan(100);
  });

  it('refuses a document of too many fragments, which standard validation compares pair by pair', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `F${i}`);
    const document = `{ regions(level: PROVINCE) { ${names.map((n) => `...${n}`).join(' ')} } } ${names.map((n) => `fragment ${n} on Region { code }`).join(' ')}`;
    await refused(document, 'DOCUMENT_TOO_COMPLEX');
  });

  it('counts the aliases of a fragment as often as it is spread', async () => {
    const eight = Array.from({ length: 8 }, (_, i) => `y${i}: disclosure(year: ${2016 + i}) { filed }`).join(' ');
    const four = ['430000', '430100', '430200', '430300'].map((code, i) => `r${i}: region(code: "${code}") { ...X }`).join(' ');
    await refused(`{ ${four} } fragment X on Region { ${eight} }`, 'TOO_MANY_ALIASES');
  });

  it('measures depth through fragments', async () => {
    const fragments = Array.from({ length: 14 }, (_, i) => `fragment D${i} on Region { code children { ...D${i + 1} } }`).join(' ');
    await refused(`{ region(code: "430000") { ...D0 } } ${fragments} fragment D14 on Region { code }`, 'QUERY_TOO_DEEP');
  });

  it('still answers fragments used as they are meant to be', async () => {
    const response = await ask('{ regions(level: PROVINCE) { ...R } region(code: "430000") { ...R children { ...R } } } fragment R on Region { code name }');
    expect(response.body?.errors).toBeUndefined();
    expect(response.body?.data.regions).toHaveLength(31);
  });

  // The hub under this document sent in a loop (with the hostile PDF beside it): underLoad.test.ts.

  describe('the walks themselves', () => {
    it('are linear: each fragment is summarised once, however often it is spread', () => {
      const document = parse(fragmentBombDocument({ levels: 23 }));
      const started = performance.now();
      const error = thrown(() => checkDocumentLimits(document, SHAPE));
      expect(error?.extensions.code).toBe('DOCUMENT_TOO_COMPLEX');
      // no limit to stop early: the whole walk, and the cost, still take milliseconds
      expect(thrown(() => checkDocumentLimits(document, { ...SHAPE, maxSelections: Number.MAX_VALUE }))).toBeNull();
      expect(operationCost(buildSchema('type Query { region: Region } type Region { code: String }'), parse(fragmentBombDocument({ levels: 23, root: 'region' })), null, {})).toBe(2 ** 24);
      expect(performance.now() - started).toBeLessThan(100);
    });

    it('refuse a fragment that spreads itself instead of following it', () => {
      const document = parse('{ ...A } fragment A on Query { a ...B } fragment B on Query { ...A }');
      expect(thrown(() => checkDocumentLimits(document, SHAPE))?.extensions.code).toBe('DOCUMENT_TOO_COMPLEX');
      const schema = buildSchema('type Query { a: Int }');
      expect(thrown(() => operationCost(schema, document, null, {}))?.extensions.code).toBe('DOCUMENT_TOO_COMPLEX');
    });

    it('stop at their budget of selections', () => {
      const document = parse(`{ regions { ${'code '.repeat(200)} } }`);
      const error = thrown(() => checkDocumentLimits(document, { ...SHAPE, maxSelections: 100 }));
      expect(error?.extensions.code).toBe('DOCUMENT_TOO_COMPLEX');
      expect(error?.message).toMatch(/^the document is too complex to run: [^\n]+$/);
    });

    it('bound nesting, so that no document overflows the stack', () => {
      const document = parse(`{ ${'... on Query { '.repeat(400)}a${' }'.repeat(400)} }`);
      expect(thrown(() => checkDocumentLimits(document, SHAPE))?.extensions.code).toBe('DOCUMENT_TOO_COMPLEX');
    });
  });
});

describe('class 2: cost limit bypass', () => {
  // far over the cost limit on its own: 500 regions × 15 children × 1000 agencies
  const OVER = 'regions(level: PROVINCE) { children { agencies(first: 1000) { name } } }';

  it('refuses a negative size, and never answers the sibling it would have hidden', async () => {
    const response = await refused(`{ region(code: "430000") { agencies(first: -1000000) { name } } ${OVER} }`, 'BAD_USER_INPUT');
    expect(response.body!.errors![0]!.extensions).toMatchObject({ argument: 'first' });
  });

  it('refuses it through a variable, as coerced', async () => {
    await refused(`query ($n: Int) { region(code: "430000") { agencies(first: $n) { name } } ${OVER} }`, 'BAD_USER_INPUT', { n: -1000000 });
    await refused(`query ($n: Int = -5) { region(code: "430000") { agencies(first: $n) { name } } }`, 'BAD_USER_INPUT');
  });

  it('refuses a size of zero before anything runs', () => refused('{ region(code: "430000") { agencies(first: 0) { name } } }', 'BAD_USER_INPUT'));

  it('refuses an absurd size as bad input, on every size argument', async () => {
    for (const query of [
      '{ agencies(first: 2147483647) { totalCount } }',
      '{ region(code: "430000") { agencies(first: 100000) { name } } }',
      '{ hotlineRanking(regionCode: "430000", year: 2024, metric: RECEIVED, first: 1000000) { rank } }',
    ]) {
      const response = await refused(query, 'BAD_USER_INPUT');
      expect(response.body!.errors![0]!.extensions).toMatchObject({ argument: 'first' });
    }
  });

  it('refuses a size that is no whole number, and runs nothing', async () => {
    const response = await ask('query ($n: Int) { region(code: "430000") { agencies(first: $n) { name } } }', { n: 1.5 });
    expect(codeOf(response.body)).toBe('BAD_USER_INPUT');
    expect(response.body?.data ?? null).toBeNull();
  });

  it('still refuses the sibling over the limit when the other fields are cheap', () =>
    refused(`{ region(code: "430000") { agencies(first: 1) { name } } ${OVER} }`, 'COST_LIMIT_EXCEEDED'));

  describe('the cost model', () => {
    const schema = buildSchema(`
      type Query { items(limit: Int): [Item!]! node: Node search: [Result!]! page(first: Int = 10): ItemConnection! }
      interface Node { id: ID! children(first: Int): [Item!]! }
      type Item implements Node { id: ID! name: String children(first: Int): [Item!]! }
      union Result = Item
      type ItemConnection { nodes: [Item!]! totalCount: Int! }
    `);
    const cost = (query: string, variables: Record<string, unknown> = {}) => operationCost(schema, parse(query), null, variables, { maxPageSize: 1000 });

    it('multiplies by every size argument, not only first', () => expect(cost('{ items(limit: 1000) { name } }')).toBe(1 + 1000));
    it('counts fields below interfaces and unions', () => {
      expect(cost('{ node { children(first: 1000) { name } } }')).toBeGreaterThanOrEqual(1000);
      expect(cost('{ search { ... on Item { children(first: 1000) { name } } } }')).toBeGreaterThanOrEqual(1000);
    });
    it('sizes a connection by its first, and by its default without one', () => {
      expect(cost('{ page(first: 100) { nodes { name } } }')).toBe(1 + 1 + 100);
      expect(cost('{ page { nodes { name } } }')).toBe(1 + 1 + 10);
      expect(cost('{ page(first: null) { nodes { name } } }')).toBe(1 + 1 + 10);
    });
    it('never goes down: a field costs at least what its selection costs, and a sum at least each of its parts', () => {
      const one = cost('{ items(limit: 1) { children(first: 1000) { name } } }');
      expect(one).toBeGreaterThanOrEqual(cost('{ items(limit: 1) { name } }') + 1000);
      expect(cost('{ a: items(limit: 1) { name } b: items(limit: 1000) { name } }')).toBeGreaterThan(cost('{ items(limit: 1000) { name } }'));
    });
    it('refuses, rather than prices, a size out of range', () => {
      for (const [query, variables] of [
        ['{ items(limit: -5) { name } }', {}],
        ['{ items(limit: 0) { name } }', {}],
        ['{ items(limit: 1001) { name } }', {}],
        ['query ($n: Int) { node { children(first: $n) { name } } }', { n: -1 }],
      ] as const) {
        const error = thrown(() => cost(query, variables));
        expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      }
    });
  });
});

describe('class 9: cheap floods', () => {
  /** Stands in for the three subgraphs: answers /health and counts the calls. */
  async function countingSubgraphs(): Promise<{ urls: Record<SubgraphName, string>; calls: () => number }> {
    let calls = 0;
    const server = http.createServer((request, response) => {
      if (request.url === '/health') calls++;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ready":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    return { urls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, url])) as Record<SubgraphName, string>, calls: () => calls };
  }

  it('answers a flood of /health with one round of subgraph calls, and asks again after the period', async () => {
    const flood = async (url: string) => {
      const answers = await Promise.all(Array.from({ length: 150 }, () => fetch(new URL('/health', url)).then((r) => r.status)));
      expect(answers.every((status) => status === 200)).toBe(true);
    };
    // a period longer than the test: two floods, one round
    const subgraphs = await countingSubgraphs();
    const cached = await gatewayWith({ ratePerSecond: 0, healthCacheMs: 60_000 }, subgraphs.urls);
    await flood(cached.url);
    await flood(cached.url);
    expect(subgraphs.calls()).toBe(SUBGRAPH_NAMES.length);
    // the default period: a call after it asks the subgraphs again
    const again = await countingSubgraphs();
    const gateway = await gatewayWith({ ratePerSecond: 0, healthCacheMs: 1000 }, again.urls);
    await flood(gateway.url);
    const afterFlood = again.calls();
    expect(afterFlood).toBeLessThanOrEqual(2 * SUBGRAPH_NAMES.length);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await fetch(new URL('/health', gateway.url))).status).toBe(200);
    expect(again.calls()).toBe(afterFlood + SUBGRAPH_NAMES.length);
  });

  it('puts /health behind the rate limiter, and keeps /live apart: no subgraph, no database', async () => {
    const subgraphs = await countingSubgraphs();
    const gateway = await gatewayWith({ ratePerSecond: 0.01, rateBurst: 2, healthCacheMs: 0 }, subgraphs.urls);
    const at = (path: string) => fetch(new URL(path, gateway.url));
    expect((await at('/health')).status).toBe(200);
    expect((await at('/health')).status).toBe(200);
    const limited = await at('/health');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    const before = subgraphs.calls();
    for (let i = 0; i < 10; i++) {
      const live = await at('/live');
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ live: true });
    }
    expect(subgraphs.calls()).toBe(before);
  });

  it('limits first, parses later: a request over the limit is refused before its body is parsed', async () => {
    const gateway = await gatewayWith({ ratePerSecond: 0.01, rateBurst: 2 });
    const query = { query: '{ regions(level: PROVINCE) { code } }' };
    expect((await send(gateway.url, query)).status).toBe(200);
    expect((await send(gateway.url, query)).status).toBe(200);
    const third = await send(gateway.url, '{ this is not JSON');
    expect(third.status).toBe(429);
    expect(codeOf(third.body)).toBe('RATE_LIMITED');
  });

  it('limits first, verifies later: made-up tokens stop at the address\'s budget of failures', async () => {
    const gateway = await gatewayWith({ ratePerSecond: 0.01, rateBurst: 2 });
    const query = { query: '{ regions(level: PROVINCE) { code } }' };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await send(gateway.url, query, { authorization: `Bearer made.up.${i}` })).status);
    expect(statuses).toEqual([401, 401, 429, 429, 429, 429]);
    // the same token, over and over, is limited by its own bucket before it is verified again
    const other = await gatewayWith({ ratePerSecond: 0.01, rateBurst: 2 });
    const valid = await token({ sub: 'flood', region: '430000', roles: ['analyst'] });
    const repeated: number[] = [];
    for (let i = 0; i < 3; i++) repeated.push((await send(other.url, query, { authorization: `Bearer ${valid}` })).status);
    expect(repeated).toEqual([200, 200, 429]);
  });

  it('verifies the token before it reads the body', async () => {
    const url = new URL(hub.gatewayUrl);
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024), authorization: 'Bearer made.up.token' } },
        (response) => {
          response.resume();
          resolve(response.statusCode!);
          request.destroy();
        },
      );
      request.on('error', reject);
      request.setTimeout(3000, () => reject(new Error('the gateway waited for the body')));
      request.flushHeaders();
    });
    expect(status).toBe(401);
  });

  it('refuses a public body over its limit (GONGKAI_MAX_PUBLIC_BODY_BYTES), not after buffering 16 MiB', async () => {
    const big = { query: `{ regions(level: PROVINCE) { code } } #${'x'.repeat(1024 * 1024)}` };
    const anonymous = await send(hub.gatewayUrl, big);
    expect(anonymous.status).toBe(413);
    expect(codeOf(anonymous.body)).toBe('PAYLOAD_TOO_LARGE');
    // a signed-in caller (an editor pushing a document) keeps the larger limit
    expect((await send(hub.gatewayUrl, big, { authorization: `Bearer ${ADMIN}` })).status).toBe(200);
  });

  it('enforces the body limit while reading a body of unknown length', async () => {
    const url = new URL(hub.gatewayUrl);
    const { status, written } = await new Promise<{ status: number; written: number }>((resolve, reject) => {
      let written = 0;
      let stopped = false;
      const request = http.request({ host: '127.0.0.1', port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
        stopped = true;
        response.resume();
        resolve({ status: response.statusCode!, written });
        request.destroy();
      });
      request.on('error', (error) => (stopped ? undefined : reject(error)));
      const chunk = Buffer.alloc(64 * 1024, 'x');
      request.write('{"query":"{ regions { code } } #');
      const pump = () => {
        while (!stopped && written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!request.write(chunk)) return void request.once('drain', pump);
        }
        if (!stopped) request.end('"}');
      };
      pump();
    });
    expect(status).toBe(413);
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });
});
