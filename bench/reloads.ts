// Hot reloads under load (`npm run bench -- reloads`, issue 16): the hub's services as separate
// processes on a scratch database with the sample data, the gateway with its registry, and a
// steady open-loop load of hub-only queries (a fixed rate, so that a stalled gateway shows as
// latency instead of as fewer requests). Six times: a quiet period without changes, then an
// admin registers (first) or re-registers (then) a small municipal subgraph through the gateway's
// mutation — six new supergraph versions, each a real schema change (one nullable field more),
// so that every one is checked, composed and swapped in by the gateway that also serves the
// load. Quiet periods and reloads alternate so that the machine's other work weighs on both
// alike. Every answer is compared with the answer before any change.
//
//   BENCH_RELOAD_RATE (20)         hub-only queries per second
//   BENCH_RELOAD_QUIET_MS (5000)   each quiet period
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';

import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { HUB_ONLY_QUERIES, startScratchHub } from './scratchHub.ts';
import { existingSection, previousSection, resultsText, writeSection } from './resultsSection.ts';
import { quantile } from './statistics.ts';

const RATE = Number(process.env.BENCH_RELOAD_RATE || 20);
const QUIET_MS = Number(process.env.BENCH_RELOAD_QUIET_MS || 5000);
/** A reload's window runs from its mutation to this long after the answer (the first requests replan). */
const TAIL_MS = 1000;
const RELOADS = 6;
const MARK_START = '<!-- reloads:start -->';
const MARK_END = '<!-- reloads:end -->';
const MARKERS = { start: MARK_START, end: MARK_END };


export interface ReloadBenchResult {
  rate: number;
  /** Requests sent in the quiet periods. */
  quiet: Sample[];
  /** Requests sent from a mutation until TAIL_MS after its answer. */
  during: Sample[];
  reloads: { ms: number; version: number | null; error: string | null }[];
  /** Answers that were not the one given before any change (data or errors). */
  changed: number;
  failed: number;
  failures: string[];
  label: string;
  loadAverage: number;
}

interface Sample {
  started: number;
  ms: number;
  ok: boolean;
}


/** A municipal subgraph whose schema grows by one nullable field per generation (a non-breaking change). */
async function startGrowingSubgraph(host: string): Promise<{ url: string; setGeneration(n: number): Promise<void>; stop(): Promise<void> }> {
  let apollo: ApolloServer | null = null;
  const build = async (generation: number) => {
    const fields = Array.from({ length: generation }, (_, i) => `  f${i + 1}: Int`).join('\n');
    const sdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Region @key(fields: "code") {
  code: ID!
  benchFigures: BenchFigures
}
type BenchFigures {
  generation: Int
${fields}
}`;
    const next = new ApolloServer({
      schema: buildSubgraphSchema({
        typeDefs: parse(sdl),
        resolvers: { Region: { __resolveReference: (r: { code: string }) => r, benchFigures: () => ({ generation }) } } as never,
      }),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    await next.start();
    const previous = apollo;
    apollo = next;
    await previous?.stop();
  };
  await build(1);
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    if (new URL(request.url ?? '/', 'http://x').pathname === '/health') return void response.writeHead(200).end('{"ready":true}');
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(key, value);
    const raw = Buffer.concat(chunks).toString('utf8');
    const result = await apollo!.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method ?? 'POST', headers, search: '', body: raw ? JSON.parse(raw) : undefined },
      context: async () => ({}),
    });
    response.statusCode = result.status ?? 200;
    for (const [key, value] of result.headers) response.setHeader(key, value);
    response.end(result.body.kind === 'complete' ? result.body.string : '');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/graphql`,
    setGeneration: build,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo?.stop();
    },
  };
}


export async function measureReloads(serverDatabaseUrl: string, options: { basePort: number; log: (line: string) => void; label: string }): Promise<ReloadBenchResult> {
  const { log } = options;
  const hub = await startScratchHub(serverDatabaseUrl, 'gongkai_bench_reloads', options.basePort);
  const city = await startGrowingSubgraph(hub.cityHost);
  try {
    const admin = hub.adminToken;
    const post = hub.post;
    const canonical = (text: string) => {
      const body = JSON.parse(text) as { data?: unknown; errors?: unknown };
      return JSON.stringify({ data: body.data ?? null, errors: body.errors ?? null });
    };
    const expected: string[] = [];
    for (const query of HUB_ONLY_QUERIES) {
      const answer = await post(query);
      const body = JSON.parse(answer.text);
      if (answer.status !== 200 || body.errors) throw new Error(`the hub query failed before any change: ${answer.text.slice(0, 300)}`);
      expected.push(canonical(answer.text));
    }
    // warm-up: plans, pools, JIT
    for (let i = 0; i < 60; i++) await post(HUB_ONLY_QUERIES[i % HUB_ONLY_QUERIES.length]!);

    const samples: Sample[] = [];
    const failures: string[] = [];
    const changes: string[] = [];
    let running = true;
    const inFlight = new Set<Promise<void>>();
    const t0 = performance.now();
    const one = async (i: number) => {
      const q = i % HUB_ONLY_QUERIES.length;
      const started = performance.now();
      let ok = false;
      try {
        const answer = await post(HUB_ONLY_QUERIES[q]!);
        if (answer.status !== 200) failures.push(`HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
        else if (canonical(answer.text) !== expected[q]) changes.push(answer.text.slice(0, 200));
        else ok = true;
      } catch (error) {
        failures.push(String(error));
      }
      samples.push({ started: started - t0, ms: performance.now() - started, ok });
    };
    // open loop: request i is sent at i / RATE seconds, whether the earlier ones answered or not
    const load = (async () => {
      for (let i = 0; running; i++) {
        const due = t0 + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const request = one(i);
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
      }
    })();

    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await sleep(3000); // the open loop settles
    const reloads: ReloadBenchResult['reloads'] = [];
    const quietWindows: [number, number][] = [];
    const reloadWindows: [number, number][] = [];
    const REGISTER = `mutation ($url: String!) { registerSubgraph(name: "bench_city", url: $url, ownerRegion: "430100") { version } }`;
    for (let n = 1; n <= RELOADS; n++) {
      const quietFrom = performance.now() - t0;
      await sleep(QUIET_MS);
      quietWindows.push([quietFrom, performance.now() - t0]);
      await city.setGeneration(n);
      const started = performance.now();
      const answer = await post(REGISTER, { url: city.url }, admin);
      const body = JSON.parse(answer.text) as { data?: { registerSubgraph?: { version: number } }; errors?: { message: string }[] };
      const ms = performance.now() - started;
      reloads.push({ ms, version: body.data?.registerSubgraph?.version ?? null, error: body.errors?.[0]?.message.split('\n')[0] ?? null });
      log(`reload ${n}: ${ms.toFixed(0)} ms, version ${body.data?.registerSubgraph?.version ?? '-'}${body.errors ? ` (${body.errors[0]!.message.split('\n')[0]})` : ''}`);
      await sleep(TAIL_MS);
      reloadWindows.push([started - t0, performance.now() - t0]);
    }
    running = false;
    await load;
    await Promise.all(inFlight);
    const within = (windows: [number, number][]) => samples.filter((s) => windows.some(([from, to]) => s.started >= from && s.started < to));
    return {
      rate: RATE,
      quiet: within(quietWindows),
      during: within(reloadWindows),
      reloads,
      changed: changes.length,
      failed: failures.length,
      failures: [...failures, ...changes.map((c) => `changed: ${c}`)],
      label: options.label,
      loadAverage: os.loadavg()[0]!,
    };
  } finally {
    await hub.stop();
    await city.stop();
  }
}

const fmt = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'n/a');

export function reloadSection(results: ReloadBenchResult[]): string[] {
  const row = (r: ReloadBenchResult) => {
    const at = (xs: Sample[], q: number) => quantile(xs.map((x) => x.ms), q);
    const ratio = at(r.during, 0.99) / at(r.quiet, 0.99);
    return `| ${r.label} | ${r.quiet.length} / ${r.during.length} | ${fmt(at(r.quiet, 0.5))} | ${fmt(at(r.quiet, 0.99))} | ${fmt(at(r.quiet, 1))} | ${fmt(at(r.during, 0.5))} | ${fmt(at(r.during, 0.99))} | ${fmt(at(r.during, 1))} | ${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(0)} % ${ratio <= 1.2 ? '(met)' : '(NOT met)'} | ${r.failed} | ${r.changed} | ${r.reloads.map((x) => (x.error ? 'refused' : `${x.ms.toFixed(0)}`)).join(', ')} | ${r.loadAverage.toFixed(1)} |`;
  };
  return [
    MARK_START,
    `## 8. Hot reloads under load`,
    '',
    `Written by \`npm run bench -- reloads\` (bench/reloads.ts); ${os.cpus().length} cores, shared with other work (the load average is the machine's, 1 minute). The hub`,
    `with its sample data on a scratch database, services as separate processes (NODE_ENV=production), the gateway with its registry.`,
    `An open-loop load of three hub-only queries at ${results[0]?.rate ?? RATE} requests/s (sent on time, whether earlier ones answered or not);`,
    `six times a quiet period of ${QUIET_MS / 1000} s, then an admin registers (first) or re-registers (then) a small municipal subgraph through`,
    `the same gateway: six new versions, each one nullable field more, each checked, composed and swapped in by the gateway serving`,
    `the load. *During* is every request sent from a mutation until ${TAIL_MS / 1000} s after its answer; *quiet* every request of the quiet`,
    `periods. Every answer is compared with the one before any change.`,
    '',
    `| code | requests quiet / during | p50 quiet | p99 quiet | max quiet | p50 during | p99 during | max during | p99 during vs quiet (goal ≤ +20 %) | failed | answers changed | each reload (mutation, ms) | load average |`,
    `|---|---|---|---|---|---|---|---|---|---|---|---|---|`,
    ...results.map(row),
    ...results.flatMap((r) => (r.failures.length ? ['', `${r.label}: ${r.failures.slice(0, 5).join('; ')}`] : [])),
    MARK_END,
  ];
}

/** The section as an earlier `npm run bench -- reloads` wrote it (the whole benchmark keeps it as it was), or nothing. */
export function previousReloadSection(file: string): string[] {
  return previousSection(file, MARKERS);
}

/**
 * Replaces the section of an existing RESULTS.md (or adds it before the goals), keeping the rest
 * and the rows of earlier runs under other labels (a measurement before a change stays beside
 * the one after it).
 */
export function writeReloadSection(file: string, results: ReloadBenchResult[]): void {
  const previous = existingSection(resultsText(file), MARKERS);
  const labels = new Set(results.map((r) => r.label));
  const earlier =
    previous !== null
      ? previous
          .split('\n')
          .filter((line) => /^\| (?!code |---)/.test(line) && !labels.has(line.split('|')[1]!.trim()))
      : [];
  const section = reloadSection(results);
  section.splice(section.indexOf('|---|---|---|---|---|---|---|---|---|---|---|---|---|') + 1, 0, ...earlier);
  writeSection(file, MARKERS, section.join('\n'));
}
