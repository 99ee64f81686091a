// A slow city (`npm run bench -- slow-city`, issue 16): the hub's services as separate processes
// on a scratch database with the sample data, the gateway with its registry, and a municipal
// subgraph registered with a 1 s timeout and a breaker that opens after 3 failures. An open-loop
// load of hub-only queries runs throughout, and one client asks, one query after another, for a
// region with the city's field. First the city answers at once (baseline); then it sleeps 10 s on
// every request. Measured: the hub-only queries' p50 in both phases (goal: unchanged), each query
// touching the city before its breaker opens (goal: within the timeout), and after (goal: at once).
//
//   BENCH_SLOW_RATE (20)        hub-only queries per second
//   BENCH_SLOW_PHASE_MS (15000) each phase
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';

import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { HUB_ONLY_QUERIES, startScratchHub } from './scratchHub.ts';
import { previousSection, writeSection } from './resultsSection.ts';
import { quantile } from './statistics.ts';

const RATE = Number(process.env.BENCH_SLOW_RATE || 20);
const PHASE_MS = Number(process.env.BENCH_SLOW_PHASE_MS || 15_000);
const TIMEOUT_MS = 1000;
const BREAKER_FAILURES = 3;
const MARK_START = '<!-- slow-city:start -->';
const MARK_END = '<!-- slow-city:end -->';
const MARKERS = { start: MARK_START, end: MARK_END };

// the first two: the slow-city measurement has always used these
const HUB_QUERIES = HUB_ONLY_QUERIES.slice(0, 2);
const CITY_QUERY = `{ region(code: "430100") { name cityPulse { value } } }`;

export interface SlowCityResult {
  label: string;
  rate: number;
  hubHealthy: number[];
  hubSlow: number[];
  cityHealthy: number[];
  /** Queries touching the city while it sleeps, in order, with the code of their error. */
  citySlow: { ms: number; code: string | null }[];
  failed: number;
  loadAverage: number;
}


/** A municipal subgraph that answers at once, or sleeps 10 s on every request. */
async function startCity(host: string): Promise<{ url: string; sleep: { on: boolean }; stop(): Promise<void> }> {
  const sleep = { on: false };
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Region @key(fields: "code") {
  code: ID!
  cityPulse: CityPulse
}
type CityPulse {
  value: Int
}`),
      resolvers: { Region: { __resolveReference: (r: { code: string }) => r, cityPulse: () => ({ value: 1 }) } } as never,
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    if (sleep.on) await new Promise<void>((resolve) => timers.add(setTimeout(resolve, 10_000)));
    if (response.destroyed) return;
    if (new URL(request.url ?? '/', 'http://x').pathname === '/health') return void response.writeHead(200).end('{"ready":true}');
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(key, value);
    const raw = Buffer.concat(chunks).toString('utf8');
    const result = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: 'POST', headers, search: '', body: raw ? JSON.parse(raw) : undefined }, context: async () => ({}) });
    if (response.destroyed) return;
    response.writeHead(result.status ?? 200, { 'content-type': 'application/json' }).end(result.body.kind === 'complete' ? result.body.string : '');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}/graphql`,
    sleep,
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}


export async function measureSlowCity(serverDatabaseUrl: string, options: { basePort: number; log: (line: string) => void; label: string }): Promise<SlowCityResult> {
  const { log } = options;
  const scratchHub = await startScratchHub(serverDatabaseUrl, 'gongkai_bench_slow_city', options.basePort);
  const city = await startCity(scratchHub.cityHost);
  try {
    const admin = scratchHub.adminToken;
    const post = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
      const answer = await scratchHub.post(query, variables, token);
      return { status: answer.status, body: JSON.parse(answer.text) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
    };
    const registered = await post(
      `mutation ($url: String!) { registerSubgraph(name: "bench_slow_city", url: $url, ownerRegion: "430100", timeoutMs: ${TIMEOUT_MS}, breakerFailures: ${BREAKER_FAILURES}, breakerCooldownMs: 600000) { version } }`,
      { url: city.url },
      admin,
    );
    if (registered.body.errors) throw new Error(`registration refused: ${registered.body.errors[0]!.message}`);
    for (let i = 0; i < 100; i++) {
      const answer = await post(CITY_QUERY);
      if (answer.body.data?.region?.cityPulse) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (let i = 0; i < 60; i++) await post(HUB_QUERIES[i % HUB_QUERIES.length]!);

    const hub: { started: number; ms: number }[] = [];
    let failed = 0;
    let running = true;
    const inFlight = new Set<Promise<void>>();
    const t0 = performance.now();
    const load = (async () => {
      for (let i = 0; running; i++) {
        const wait = t0 + (i * 1000) / RATE - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const started = performance.now();
        const request = post(HUB_QUERIES[i % HUB_QUERIES.length]!)
          .then((answer) => {
            if (answer.status !== 200 || answer.body.errors) failed++;
            hub.push({ started: started - t0, ms: performance.now() - started });
          })
          .catch(() => void failed++);
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
      }
    })();
    /** One client asking for the city's field, one query after another, for `ms`. */
    const cityClient = async (ms: number) => {
      const out: { ms: number; code: string | null }[] = [];
      const until = performance.now() + ms;
      while (performance.now() < until) {
        const started = performance.now();
        const answer = await post(CITY_QUERY);
        if (answer.body.data?.region?.name !== '长沙市') failed++;
        out.push({ ms: performance.now() - started, code: answer.body.errors?.[0]?.extensions?.code ?? null });
        await new Promise((r) => setTimeout(r, 100));
      }
      return out;
    };
    const healthyFrom = performance.now() - t0;
    const cityHealthy = await cityClient(PHASE_MS);
    const healthyTo = performance.now() - t0;
    city.sleep.on = true;
    log('the city sleeps 10 s on every request now');
    const citySlow = await cityClient(PHASE_MS);
    const slowTo = performance.now() - t0;
    running = false;
    await load;
    await Promise.all(inFlight);
    const within = (from: number, to: number) => hub.filter((s) => s.started >= from && s.started < to).map((s) => s.ms);
    return {
      label: options.label,
      rate: RATE,
      hubHealthy: within(healthyFrom, healthyTo),
      hubSlow: within(healthyTo, slowTo),
      cityHealthy: cityHealthy.map((c) => c.ms),
      citySlow,
      failed,
      loadAverage: os.loadavg()[0]!,
    };
  } finally {
    await scratchHub.stop();
    await city.stop();
  }
}

const fmt = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'n/a');

export function slowCitySection(r: SlowCityResult): string[] {
  const beforeOpen = r.citySlow.filter((c) => c.code !== 'SUBGRAPH_CIRCUIT_OPEN');
  const open = r.citySlow.filter((c) => c.code === 'SUBGRAPH_CIRCUIT_OPEN');
  const p50 = (xs: number[]) => quantile(xs, 0.5);
  const ratio = p50(r.hubSlow) / p50(r.hubHealthy);
  return [
    MARK_START,
    `## 9. A slow municipal subgraph`,
    '',
    `Written by \`npm run bench -- slow-city\` (bench/slowCity.ts), run ${r.label}; ${os.cpus().length} cores shared with other work (load average ${r.loadAverage.toFixed(1)}).`,
    `The hub with its sample data, services as separate processes, a municipal subgraph registered with \`timeoutMs: ${TIMEOUT_MS}\` and \`breakerFailures: ${BREAKER_FAILURES}\`.`,
    `An open-loop load of hub-only queries at ${r.rate}/s throughout; one client asks for the city's field one query after another. For ${PHASE_MS / 1000} s the`,
    `city answers at once, then for ${PHASE_MS / 1000} s it sleeps 10 s on every request.`,
    '',
    `| | requests | p50 | max | goal |`,
    `|---|---|---|---|---|`,
    `| hub-only, city healthy | ${r.hubHealthy.length} | ${fmt(p50(r.hubHealthy))} | ${fmt(Math.max(...r.hubHealthy))} | |`,
    `| hub-only, city sleeping | ${r.hubSlow.length} | ${fmt(p50(r.hubSlow))} | ${fmt(Math.max(...r.hubSlow))} | p50 unchanged: ${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(0)} % |`,
    `| touching the city, healthy | ${r.cityHealthy.length} | ${fmt(p50(r.cityHealthy))} | ${fmt(Math.max(...r.cityHealthy))} | |`,
    `| touching the city, sleeping, breaker closed | ${beforeOpen.length} (${beforeOpen.map((c) => c.code ?? 'ok').join(', ')}) | ${fmt(p50(beforeOpen.map((c) => c.ms)))} | ${fmt(Math.max(...beforeOpen.map((c) => c.ms)))} | within the ${TIMEOUT_MS} ms timeout (+ the hub's own time) |`,
    `| touching the city, sleeping, breaker open | ${open.length} | ${fmt(p50(open.map((c) => c.ms)))} | ${fmt(Math.max(...open.map((c) => c.ms)))} | at once: ${p50(open.map((c) => c.ms)) < TIMEOUT_MS / 4 ? 'met' : 'NOT met'} |`,
    '',
    `Requests whose hub fields failed: ${r.failed}.`,
    MARK_END,
  ];
}

/** Replaces the section of an existing RESULTS.md (or adds it before the goals), keeping the rest. */
export function writeSlowCitySection(file: string, result: SlowCityResult): void {
  writeSection(file, MARKERS, slowCitySection(result).join('\n'));
}

/** The section as the last `npm run bench -- slow-city` wrote it, for the whole benchmark to keep. */
export function previousSlowCitySection(file: string): string[] {
  return previousSection(file, MARKERS);
}
