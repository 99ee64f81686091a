// A bad city system cannot slow the province (issue 16): a municipal subgraph registered with a
// timeout, a concurrency cap, a circuit breaker and an Authorization header of its own. When it
// sleeps, queries touching it answer within its timeout and, once its breaker is open, without
// calling it at all — with the hub's fields intact; it comes back through a half-open probe; the
// excess over its cap is refused at once; a redeploy with another SDL shows DRIFTED and its
// fields answer SUBGRAPH_DRIFTED; its errors reach clients as stable codes without its URLs or
// traces; /health and /metrics show it. Timings are asserted loosely (the machine is shared):
// the city's own request log proves what was, and was not, sent to it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/auth.ts';
import { eventually } from '../support/eventually.ts';
import { startTestHub, type GraphQLResponse, type TestHub } from '../support/hub.ts';

const HEADER = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
const V1 = `${HEADER}
type Region @key(fields: "code") {
  code: ID!
  "政务服务好差评 of the region"
  cityReview: CityReview
}
"Ratings of the city's government services."
type CityReview {
  "share of good ratings"
  rating: Float
  "share of bad ratings rectified"
  rectifiedRate: Float
}`;
// the city redeploys without rectifiedRate
const V2 = V1.replace(/\s*"share of bad ratings rectified"\s*rectifiedRate: Float/, '');
const SECRET = 'Bearer city-secret-4d8f1c';

type Mode = 'ok' | 'sleep' | 'slow' | 'drift' | 'leak400' | 'throw';

interface FakeCity {
  url: string;
  mode: Mode;
  /** Every request it received: path, the Authorization header, whether it was a query for entities. */
  log: { path: string; authorization: string | undefined; entities: boolean }[];
  stop(): Promise<void>;
}

async function startFakeCity(): Promise<FakeCity> {
  const servers = await Promise.all(
    [V1, V2].map(async (sdl) => {
      const apollo = new ApolloServer({
        schema: buildSubgraphSchema({
          typeDefs: parse(sdl),
          resolvers: {
            Region: {
              __resolveReference: (reference: { code: string }) => ({ code: reference.code }),
              cityReview: () => {
                if (city.mode === 'throw') throw new Error('connect ECONNREFUSED 10.9.8.7:5432 (postgres://review:pw@10.9.8.7/review) at /srv/review/app.js:12');
                return { rating: 0.93, rectifiedRate: 0.81 };
              },
            },
          } as never,
        }),
        plugins: [ApolloServerPluginInlineTraceDisabled()],
      });
      await apollo.start();
      return apollo;
    }),
  );
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) => new Promise<void>((resolve) => timers.add(setTimeout(resolve, ms)));
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString('utf8');
    const entities = raw.includes('_entities');
    city.log.push({ path: request.url ?? '', authorization: request.headers.authorization, entities });
    // the city answers the province only: its SDL, health and data alike
    if (request.headers.authorization !== SECRET) return void response.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"message":"who are you?"}]}');
    if (city.mode === 'sleep') await sleep(10_000);
    if (city.mode === 'slow' && entities) await sleep(800);
    if (response.destroyed) return;
    if (request.url === '/health') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"ready":true}');
    if (city.mode === 'leak400' && entities) {
      // what a careless city's server answers: its address and stack trace
      const body = { errors: [{ message: 'Cannot query field "rectifiedRate" on http://10.9.8.7:4100/graphql', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['GraphQLError: at /srv/review/node_modules/graphql/validate.js:135'] } }] };
      return void response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(key, value);
    const apollo = servers[city.mode === 'drift' ? 1 : 0]!;
    const result = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: 'POST', headers, search: '', body: JSON.parse(raw || '{}') }, context: async () => ({}) });
    if (response.destroyed) return;
    response.writeHead(result.status ?? 200, { 'content-type': 'application/json' });
    response.end(result.body.kind === 'complete' ? result.body.string : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const city: FakeCity = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    mode: 'ok',
    log: [],
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
  return city;
}

let hub: TestHub;
let city: FakeCity;
const TIMEOUT_MS = 1500;
const COOLDOWN_MS = 5000;

beforeAll(async () => {
  hub = await startTestHub({ registry: { pollMs: 200, healthMs: 300 } });
  city = await startFakeCity();
});
afterAll(async () => {
  await city?.stop();
});

const QUERY = `{ region(code: "430100") { name cityReview { rating rectifiedRate } } }`;
const SUBGRAPHS = `{ subgraphs { name status lastError latencyMs timeoutMs maxConcurrency breakerFailures breakerCooldownMs breakerState outboundHeaders } }`;
const REGISTER = `mutation ($url: String!, $headers: [SubgraphHeaderInput!]) {
  registerSubgraph(name: "city_review", url: $url, ownerRegion: "430100", timeoutMs: ${TIMEOUT_MS}, maxConcurrency: 2,
    breakerFailures: 3, breakerCooldownMs: ${COOLDOWN_MS}, outboundHeaders: $headers) { version }
}`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}
const codeOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;
const cityReview = async () => (await hub.query(SUBGRAPHS, {}, ADMIN)).data.subgraphs.find((s: { name: string }) => s.name === 'city_review');
const entityRequests = () => city.log.filter((r) => r.entities).length;
const metricsText = async () => (await fetch(new URL('/metrics', hub.gatewayUrl))).text();
const healthReport = async () => (await fetch(new URL('/health', hub.gatewayUrl))).json() as Promise<any>;

describe('a slow, failing or drifting municipal subgraph', () => {
  it('registers with its timeout, cap, breaker and an Authorization header that is never shown back', async () => {
    const registered = await hub.query(REGISTER, { url: city.url, headers: [{ name: 'Authorization', value: SECRET }] }, ADMIN);
    expect(registered.errors).toBeUndefined();
    const answered = await eventually(() => hub.query(QUERY), (r) => r.data?.region?.cityReview != null);
    expect(answered.data.region).toEqual({ name: '长沙市', cityReview: { rating: 0.93, rectifiedRate: 0.81 } });
    const listed = await eventually(cityReview, (s) => s?.status === 'UP' && s.latencyMs !== null);
    expect(listed).toMatchObject({ timeoutMs: TIMEOUT_MS, maxConcurrency: 2, breakerFailures: 3, breakerCooldownMs: COOLDOWN_MS, breakerState: 'CLOSED', outboundHeaders: ['Authorization: ***'] });
    expect(listed.latencyMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(await hub.query(SUBGRAPHS, {}, ADMIN))).not.toContain('city-secret');
    // the province authenticates itself: on queries and health checks alike
    expect(city.log.filter((r) => r.entities).every((r) => r.authorization === SECRET)).toBe(true);
    expect(city.log.filter((r) => r.path === '/health').every((r) => r.authorization === SECRET)).toBe(true);
    // without the header the city refuses even its SDL: registering needs it
    const anonymous = await hub.query(`mutation ($url: String!) { registerSubgraph(name: "city_review_anonymous", url: $url, ownerRegion: "430100") { version } }`, { url: city.url }, ADMIN);
    expect(codeOf(anonymous)).toBe('NOT_A_SUBGRAPH');
    // a check of the registered subgraph fetches its SDL with the header the province sends it
    const check = await hub.query(`query ($url: String!) { checkSubgraph(name: "city_review", url: $url) { passed summary } }`, { url: city.url }, ADMIN);
    expect(check.errors).toBeUndefined();
    expect(check.data.checkSubgraph.passed).toBe(true);
    // a bad setting is refused before anything is written, without repeating a header's value
    const refused = await hub.query(REGISTER.replace('maxConcurrency: 2', 'maxConcurrency: 0'), { url: city.url }, ADMIN);
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    const badHeader = await hub.query(REGISTER, { url: city.url, headers: [{ name: 'Authorization', value: 'x\ny' }] }, ADMIN);
    expect(codeOf(badHeader)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(badHeader)).not.toContain('x\\ny');
  });

  it('answers within its timeout while it sleeps, then at once without calling it once the breaker is open', async () => {
    city.mode = 'sleep';
    const slow: { ms: number; code: unknown }[] = [];
    let answer: { value: GraphQLResponse<any>; ms: number };
    // three failures in a row open it
    for (let i = 0; i < 3; i++) {
      answer = await timed(() => hub.query(QUERY));
      expect(answer.value.data.region).toEqual({ name: '长沙市', cityReview: null });
      slow.push({ ms: answer.ms, code: codeOf(answer.value) });
    }
    expect(slow.map((s) => s.code)).toEqual(['SUBGRAPH_UNREACHABLE', 'SUBGRAPH_UNREACHABLE', 'SUBGRAPH_UNREACHABLE']);
    // it waited for the timeout, not for the city's 10 s
    for (const { ms } of slow) expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    for (const { ms } of slow) expect(ms).toBeLessThan(TIMEOUT_MS + 4000);
    const sent = entityRequests();
    const open: number[] = [];
    for (let i = 0; i < 5; i++) {
      answer = await timed(() => hub.query(QUERY));
      expect(answer.value.data.region).toEqual({ name: '长沙市', cityReview: null });
      expect(answer.value.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBGRAPH_CIRCUIT_OPEN', serviceName: 'city_review' }) })]);
      open.push(answer.ms);
    }
    // not one of them reached the city, and none waited for a timeout
    expect(entityRequests()).toBe(sent);
    expect(Math.max(...open)).toBeLessThan(TIMEOUT_MS / 2);
    // an operator sees it
    expect((await cityReview()).breakerState).toBe('OPEN');
    expect((await healthReport()).municipal.city_review).toMatchObject({ breaker: 'open' });
    expect(await metricsText()).toMatch(/gongkai_subgraph_breaker_state\{service="gateway",subgraph="city_review"\} 1\n/);
  });

  it('half-opens after its cool-down and closes on the first success', async () => {
    city.mode = 'ok';
    const back = await eventually(() => hub.query(QUERY), (r) => r.data?.region?.cityReview != null, COOLDOWN_MS + 10_000);
    expect(back.errors).toBeUndefined();
    expect(back.data.region.cityReview).toEqual({ rating: 0.93, rectifiedRate: 0.81 });
    expect((await cityReview()).breakerState).toBe('CLOSED');
    expect(await metricsText()).toMatch(/gongkai_subgraph_breaker_state\{service="gateway",subgraph="city_review"\} 0\n/);
  });

  it('refuses subrequests over its concurrency cap at once, without failing the hub', async () => {
    city.mode = 'slow';
    const children: string[] = (await hub.query(`{ region(code: "430100") { children { code } } }`)).data.region.children.map((c: { code: string }) => c.code);
    const codes = [...new Set(['430100', ...children])].slice(0, 8);
    expect(codes.length).toBeGreaterThanOrEqual(5);
    const answers = await Promise.all(codes.map((code) => hub.query(`{ region(code: "${code}") { code cityReview { rating } } }`)));
    for (const [i, answer] of answers.entries()) expect(answer.data.region.code).toBe(codes[i]);
    const outcomes = answers.map((a) => codeOf(a) ?? 'ok');
    expect(outcomes).toContain('SUBGRAPH_BUSY');
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.every((o) => o === 'ok' || o === 'SUBGRAPH_BUSY')).toBe(true);
    // being busy is not failing: the breaker stays closed
    city.mode = 'ok';
    expect((await cityReview()).breakerState).toBe('CLOSED');
  });

  it('shows a redeploy with another SDL as DRIFTED, answers its fields SUBGRAPH_DRIFTED, and UP again when it matches', async () => {
    city.mode = 'drift';
    const drifted = await eventually(cityReview, (s) => s.status === 'DRIFTED');
    expect(drifted).toMatchObject({ status: 'DRIFTED', lastError: 'schema drifted' });
    const sent = entityRequests();
    const answer = await hub.query(QUERY);
    expect(answer.data.region).toEqual({ name: '长沙市', cityReview: null });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_DRIFTED', serviceName: 'city_review' });
    expect(entityRequests()).toBe(sent);
    city.mode = 'ok';
    expect((await eventually(cityReview, (s) => s.status === 'UP')).status).toBe('UP');
    expect((await eventually(() => hub.query(QUERY), (r) => r.data?.region?.cityReview != null)).errors).toBeUndefined();
  });

  it("maps a city's 400 and its internal errors to stable codes, without its URLs or stack traces", async () => {
    const leaks = ['10.9.8.7', '/srv/review', 'stacktrace', 'postgres://', 'ECONNREFUSED', '127.0.0.1', String(new URL(city.url).port)];
    city.mode = 'leak400';
    const bad = await hub.query(QUERY);
    expect(bad.data.region).toEqual({ name: '长沙市', cityReview: null });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_BAD_REQUEST', serviceName: 'city_review' });
    city.mode = 'throw';
    const failed = await hub.query(QUERY);
    expect(failed.data.region).toEqual({ name: '长沙市', cityReview: null });
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_ERROR', serviceName: 'city_review' });
    expect(failed.errors?.[0]?.message).toContain('city_review');
    for (const text of [JSON.stringify(bad), JSON.stringify(failed)]) for (const leak of leaks) expect(text).not.toContain(leak);
    city.mode = 'ok';
  });

  it("shows the subgraph's requests, errors, latency, breaker and refusals in /metrics and its state in /health", async () => {
    const text = await metricsText();
    expect(text).toMatch(/gongkai_subgraph_fetches_total\{service="gateway",subgraph="city_review",outcome="ok"\} \d+/);
    expect(text).toMatch(/gongkai_subgraph_fetches_total\{service="gateway",subgraph="city_review",outcome="error"\} \d+/);
    expect(text).toMatch(/gongkai_subgraph_fetch_duration_seconds_bucket\{service="gateway",subgraph="city_review",le="0\.5"\} \d+/);
    expect(text).toMatch(/gongkai_subgraph_refusals_total\{service="gateway",subgraph="city_review",reason="SUBGRAPH_CIRCUIT_OPEN"\} [1-9]/);
    expect(text).toMatch(/gongkai_subgraph_refusals_total\{service="gateway",subgraph="city_review",reason="SUBGRAPH_BUSY"\} [1-9]/);
    expect(text).toMatch(/gongkai_subgraph_refusals_total\{service="gateway",subgraph="city_review",reason="SUBGRAPH_DRIFTED"\} [1-9]/);
    expect(text).toMatch(/gongkai_subgraph_breaker_state\{service="gateway",subgraph="city_review"\} 0/);
    expect(text).toMatch(/gongkai_subgraph_health_latency_seconds\{service="gateway",subgraph="city_review"\} /);
    expect(text).not.toContain('city-secret');
    const health = await healthReport();
    expect(health.municipal.city_review).toMatchObject({ breaker: 'closed', inFlight: 0 });
    expect(['UP', 'DRIFTED', 'DOWN']).toContain(health.municipal.city_review.status);
    // a municipal subgraph never makes the hub unready
    expect(health.down).not.toContain('city_review');
  });
});
