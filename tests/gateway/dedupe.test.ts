// In-flight deduplication of subgraph requests (gateway/dedupe.ts): identical queries in flight
// share one request, each caller reads its own answer, and nothing else is ever shared — not
// across identities, not a mutation, not after the answer has arrived.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayDedupeFromEnv, inFlightDeduplication, isQueryRequest, type FetcherInit } from '../../gateway/dedupe.ts';
import { startGateway } from '../../gateway/server.ts';
import { IDENTITY_HEADER, SIGNATURE_HEADER } from '../../lib/auth/internalSignature.ts';
import type { RunningHttpServer } from '../../lib/graphql/httpServer.ts';
import { ADMIN, token } from '../support/auth.ts';
import { postGraphQL, startTestHub, type TestHub } from '../support/hub.ts';

const URL_A = 'http://agencies.test/graphql';
const QUERY = JSON.stringify({ query: '{ region(code: "430000") { name } }', variables: {} });

/** A subgraph that answers only when told to, counting the requests it receives. */
function fakeSubgraph() {
  const calls: { url: string; init?: FetcherInit }[] = [];
  /** by call number (1, 2, …), until answered */
  const pending = new Map<number, { resolve: (r: Response) => void; reject: (e: unknown) => void }>();
  const fetcher = (url: string, init?: FetcherInit) => {
    calls.push({ url, init });
    const call = calls.length;
    return new Promise<Response>((resolve, reject) => pending.set(call, { resolve, reject }));
  };
  const answer = (call: number, status = 200) => {
    pending.get(call)!.resolve(new Response(JSON.stringify({ data: { call } }), { status, headers: { 'content-type': 'application/json', 'x-subgraph': 'a' } }));
    pending.delete(call);
  };
  const answerAll = (status = 200) => {
    for (const call of [...pending.keys()]) answer(call, status);
  };
  const failAll = (error: unknown) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  return { fetcher, calls, answer, answerAll, failAll };
}

const init = (body: string, identity = 'public', signature = `sig-${Math.random()}`): FetcherInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity, [SIGNATURE_HEADER]: signature },
  body,
});
/** Lets the wrapper's promise chains run (a join happens synchronously, a forget one tick later). */
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('deduplicated(fetcher)', () => {
  it('sends N concurrent identical queries once; each caller reads its own body, status and headers', async () => {
    const subgraph = fakeSubgraph();
    const fetch = inFlightDeduplication()(subgraph.fetcher);
    // each with its own signature (timestamp, nonce): it is not part of the key
    const answers = Array.from({ length: 10 }, () => fetch(URL_A, init(QUERY)));
    await tick();
    expect(subgraph.calls).toHaveLength(1);
    subgraph.answerAll();
    const responses = await Promise.all(answers);
    expect(new Set(responses).size).toBe(10);
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.headers.get('x-subgraph')).toBe('a');
      expect(await response.json()).toEqual({ data: { call: 1 } });
    }
  });

  it('keeps the answer of an error status for every caller', async () => {
    const subgraph = fakeSubgraph();
    const fetch = inFlightDeduplication()(subgraph.fetcher);
    const answers = [fetch(URL_A, init(QUERY)), fetch(URL_A, init(QUERY))];
    await tick();
    subgraph.answerAll(401);
    for (const response of await Promise.all(answers)) {
      expect(response.status).toBe(401);
      expect(response.ok).toBe(false);
      expect(await response.text()).toBe('{"data":{"call":1}}');
    }
    expect(subgraph.calls).toHaveLength(1);
  });

  it('never shares between identities, subgraphs or different bodies', async () => {
    const subgraph = fakeSubgraph();
    const fetch = inFlightDeduplication()(subgraph.fetcher);
    const other = JSON.stringify({ query: '{ region(code: "430000") { name } }', variables: { x: 1 } });
    const answers = [
      fetch(URL_A, init(QUERY, 'public')),
      fetch(URL_A, init(QUERY, 'analyst-of-430000')),
      fetch(URL_A, init(QUERY, 'analyst-of-430000')),
      fetch('http://reports.test/graphql', init(QUERY, 'public')),
      fetch(URL_A, init(other, 'public')),
    ];
    await tick();
    expect(subgraph.calls.map((c) => [c.url, c.init?.headers?.[IDENTITY_HEADER]])).toEqual([
      [URL_A, 'public'],
      [URL_A, 'analyst-of-430000'],
      ['http://reports.test/graphql', 'public'],
      [URL_A, 'public'],
    ]);
    subgraph.answerAll();
    await Promise.all(answers);
  });

  it('never shares a mutation', async () => {
    const subgraph = fakeSubgraph();
    const fetch = inFlightDeduplication()(subgraph.fetcher);
    const mutation = JSON.stringify({ query: '# creates\nmutation { createAgency(input: $input) { id } }', variables: {} });
    const answers = Array.from({ length: 3 }, () => fetch(URL_A, init(mutation)));
    await tick();
    expect(subgraph.calls).toHaveLength(3);
    subgraph.answerAll();
    await Promise.all(answers);
  });

  it('goes to the subgraph again once the answer has arrived: not a cache', async () => {
    const subgraph = fakeSubgraph();
    const fetch = inFlightDeduplication()(subgraph.fetcher);
    const first = fetch(URL_A, init(QUERY));
    await tick();
    subgraph.answerAll();
    expect(await (await first).json()).toEqual({ data: { call: 1 } });
    await tick();
    const second = fetch(URL_A, init(QUERY));
    await tick();
    subgraph.answerAll();
    expect(await (await second).json()).toEqual({ data: { call: 2 } });
    expect(subgraph.calls).toHaveLength(2);
  });

  it('gives a failure to every caller that waited for it, and does not keep it', async () => {
    const subgraph = fakeSubgraph();
    const fetch = inFlightDeduplication()(subgraph.fetcher);
    const failure = new Error('connect ECONNREFUSED');
    const answers = Array.from({ length: 4 }, () => fetch(URL_A, init(QUERY)));
    await tick();
    subgraph.failAll(failure);
    const settled = await Promise.allSettled(answers);
    expect(settled).toEqual(Array.from({ length: 4 }, () => ({ status: 'rejected', reason: failure })));
    expect(subgraph.calls).toHaveLength(1);
    const again = fetch(URL_A, init(QUERY));
    await tick();
    expect(subgraph.calls).toHaveLength(2);
    subgraph.answerAll();
    expect((await again).status).toBe(200);
  });

  it('joins nothing sent before a write once the write is answered, in any subgraph', async () => {
    const subgraph = fakeSubgraph();
    const deduplicated = inFlightDeduplication();
    const agencies = deduplicated(subgraph.fetcher);
    const reports = deduplicated(subgraph.fetcher);
    const before = agencies(URL_A, init(QUERY)); // call 1
    const mutation = reports('http://reports.test/graphql', init(JSON.stringify({ query: 'mutation { submit }' }))); // call 2
    await tick();
    // concurrent with the write: may share the query sent before it
    const during = agencies(URL_A, init(QUERY));
    await tick();
    expect(subgraph.calls).toHaveLength(2);
    subgraph.answer(2);
    await mutation;
    // the earlier query is still in flight, but was sent before the write: not joined
    const after = agencies(URL_A, init(QUERY)); // call 3
    await tick();
    expect(subgraph.calls).toHaveLength(3);
    subgraph.answer(1);
    expect(await Promise.all([before, during].map(async (r) => (await r).json()))).toEqual([{ data: { call: 1 } }, { data: { call: 1 } }]);
    await tick();
    // the earlier one's end does not end the sharing of the one that replaced it
    const later = agencies(URL_A, init(QUERY));
    await tick();
    expect(subgraph.calls).toHaveLength(3);
    subgraph.answer(3);
    expect(await Promise.all([after, later].map(async (r) => (await r).json()))).toEqual([{ data: { call: 3 } }, { data: { call: 3 } }]);
  });

  it('sends alone what it cannot tell is a query', async () => {
    const subgraph = fakeSubgraph();
    const fetch = inFlightDeduplication()(subgraph.fetcher);
    const odd: FetcherInit[] = [
      { ...init(QUERY), signal: AbortSignal.timeout(10_000) },
      { ...init(QUERY), method: 'GET', body: undefined },
      { ...init(QUERY), body: Buffer.from(QUERY) },
      init('not json'),
    ];
    const answers = [...odd, ...odd].map((i) => fetch(URL_A, i));
    await tick();
    expect(subgraph.calls).toHaveLength(8);
    subgraph.answerAll();
    await Promise.all(answers);
  });
});

describe('isQueryRequest', () => {
  const body = (query: unknown, operationName?: unknown) => JSON.stringify({ query, variables: {}, operationName });
  it.each([
    ['shorthand', body('{ a }'), true],
    ['named query', body('query Q($x: Int) { a(x: $x) }'), true],
    ['comments and whitespace first', body('\n  # query? no:\n  query Q { a }'), true],
    ['the gateway\'s entity fetch', body('query Q__agencies__1($representations:[_Any!]!){_entities(representations:$representations){...on Region{name}}}', 'Q__agencies__1'), true],
    ['mutation', body('mutation { a }'), false],
    ['mutation after a comment', body('# just a read\nmutation M { a }'), false],
    ['mutation named like a query', body('mutation query { a }'), false],
    ['subscription', body('subscription { a }'), false],
    ['multi-operation, the query selected', body('mutation M { a } query Q { b }', 'Q'), true],
    ['multi-operation, the mutation selected', body('query Q { b } mutation M { a }', 'M'), false],
    ['multi-operation, none selected', body('query Q { b } query R { a }'), false],
    ['an operation name that is not there', body('query Q { b }', 'M'), false],
    ['an operation name that is not a string', body('query Q { b }', 1), false],
    ['a fragment defined before the query', body('fragment F on Query { a } query Q { ...F }'), true],
    ['unparseable', body('query {'), false],
    ['no document (a persisted-query hash)', JSON.stringify({ extensions: { persistedQuery: { sha256Hash: 'ab' } } }), false],
    ['not JSON', 'mutation { a }', false],
    ['JSON, not an object', '"{ a }"', false],
  ])('%s', (_, request, expected) => {
    expect(isQueryRequest(request)).toBe(expected);
  });
});

describe('GONGKAI_GATEWAY_DEDUPE', () => {
  it('is on unless 0, and refuses anything else', () => {
    expect(gatewayDedupeFromEnv({})).toBe(true);
    expect(gatewayDedupeFromEnv({ GONGKAI_GATEWAY_DEDUPE: '1' })).toBe(true);
    expect(gatewayDedupeFromEnv({ GONGKAI_GATEWAY_DEDUPE: '0' })).toBe(false);
    expect(() => gatewayDedupeFromEnv({ GONGKAI_GATEWAY_DEDUPE: 'false' })).toThrow(/must be 1 .* or 0/);
  });
});

/**
 * Between a gateway and the agencies subgraph: counts the requests and holds each a while before
 * passing it on, so that concurrent client requests are certainly in flight together.
 */
async function countingProxy(target: string, holdMs: number) {
  const seen: { identity: string | undefined; body: string }[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    seen.push({ identity: request.headers[IDENTITY_HEADER] as string | undefined, body });
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
    const answer = await fetch(target, { method: request.method, headers, body });
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    response.end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('through the gateway', () => {
  let hub: TestHub;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let withDedupe: RunningHttpServer;
  let without: RunningHttpServer;
  const REGION = '{ region(code: "430100") { code name } }';

  beforeAll(async () => {
    hub = await startTestHub();
    proxy = await countingProxy(hub.subgraphs.agencies.url, 400);
    const subgraphUrls = { ...hub.gatewayOptions.subgraphUrls, agencies: proxy.url };
    // without the answer cache: every request must reach the subgraph for the proxy to count it
    withDedupe = await startGateway({ ...hub.gatewayOptions, port: 0, subgraphUrls, answerCache: null });
    without = await startGateway({ ...hub.gatewayOptions, port: 0, subgraphUrls, dedupe: false, answerCache: null });
    // plans cached, connections open: the timed requests below go out together
    for (const gateway of [withDedupe, without]) expect((await postGraphQL<any>(gateway.url, REGION)).data.region.name).toBe('长沙市');
  });
  afterAll(async () => {
    await withDedupe?.close();
    await without?.close();
    await proxy?.close();
  });

  const concurrently = async (url: string, requests: { query: string; token?: string }[]) => {
    proxy.seen.length = 0;
    const answers = await Promise.all(requests.map((r) => postGraphQL<any>(url, r.query, undefined, r.token)));
    return { answers, seen: [...proxy.seen] };
  };

  it('costs the subgraph one request for 10 concurrent identical queries', async () => {
    const { answers, seen } = await concurrently(withDedupe.url, Array.from({ length: 10 }, () => ({ query: REGION })));
    // each with its own request id (extensions.requestId)
    expect(answers).toEqual(Array.from({ length: 10 }, () => ({ data: { region: { code: '430100', name: '长沙市' } }, extensions: { requestId: expect.any(String) } })));
    expect(new Set(answers.map((a: any) => a.extensions.requestId)).size).toBe(10);
    expect(seen).toHaveLength(1);
  });

  it('costs 10 requests with GONGKAI_GATEWAY_DEDUPE=0', async () => {
    const { answers, seen } = await concurrently(without.url, Array.from({ length: 10 }, () => ({ query: REGION })));
    expect(answers.every((a) => a.data?.region?.name === '长沙市')).toBe(true);
    expect(seen).toHaveLength(10);
  });

  it('asks once per identity', async () => {
    const analyst = await token({ sub: 'changsha-analyst', region: '430100', roles: ['analyst'] });
    const { seen } = await concurrently(withDedupe.url, [
      ...Array.from({ length: 4 }, () => ({ query: REGION })),
      ...Array.from({ length: 4 }, () => ({ query: REGION, token: analyst })),
    ]);
    expect(seen).toHaveLength(2);
    const identities = seen.map((s) => JSON.parse(Buffer.from(s.identity!, 'base64url').toString('utf8')).subject).sort();
    expect(identities).toEqual(['changsha-analyst', null]);
  });

  it('sends every mutation', async () => {
    const mutation = 'mutation { createAgency(input: { name: "长沙市去重测试局", regionCode: "430100", sector: "OTHER" }) { name } }';
    const { answers, seen } = await concurrently(withDedupe.url, Array.from({ length: 3 }, () => ({ query: mutation, token: ADMIN })));
    expect(seen).toHaveLength(3);
    expect(seen.every((s) => s.body.includes('createAgency'))).toBe(true);
    expect(answers.filter((a) => a.data?.createAgency?.name === '长沙市去重测试局').length).toBeGreaterThan(0);
  });
});
