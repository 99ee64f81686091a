// A realistic load (`npm run bench -- mixed`, issue 17): many users at once — a third anonymous,
// the rest analysts of provinces and cities, each with a token of their own — sending the
// reference dashboard's own operations (dashboard/src/gql/persisted-documents.json) with the
// variables the dashboard sends: a province, city or county page (RegionViewPage), a switch of
// year on a page already open (RegionViewYear: the panels, hotline byMonth included), the ranking
// re-sorted (RegionViewRanking), the national overview (HomeViewProvinces), and, for analysts
// within their own region only, the flags' counts and first page (FlagsCounts, FlagsPage).
// Provinces and years are drawn with a Zipf-like skew (a few provinces and the latest year most
// often), from a seeded generator: every gateway gets the same sequence of requests.
//
// Closed loop: BENCH_MIXED_CONCURRENCY (50) loops, each sending its next request when the last
// one answered, for BENCH_MIXED_SECONDS (60) after BENCH_MIXED_WARMUP_SECONDS (5) not counted,
// against the hub, Hive Gateway with the Rust query planner of Hive Router
// (@graphql-hive/router-runtime), and plain Hive Gateway, on the same subgraph processes.
// An answer with `errors` counts as an error by its code; every request is one a permitted user
// may send, so any error is a finding.
import { probeReadAfterWrite, type ReadAfterWriteResult } from './readAfterWrite.ts';
import { answerCacheEvents, describeEvents, eventsBetween, type AnswerCacheEvents } from './answerCacheEvents.ts';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom, pick, weighted } from '../lib/random.ts';
import { SERVICE_NODE_FLAGS, stopService, waitUntilHealthy, type ServiceProcess } from '../lib/runtime/services.ts';
import type { SubgraphName } from '../lib/config.ts';
import { benchToken } from './benchTokens.ts';
import type { Queryable } from './dashboard.ts';
import { previousSection, writeSection } from './resultsSection.ts';
import { quantile, waitUntilDatabaseIdle } from './statistics.ts';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.env.BENCH_MIXED_SECONDS || 60);
const WARMUP_SECONDS = Number(process.env.BENCH_MIXED_WARMUP_SECONDS || 5);
const CONCURRENCY = Number(process.env.BENCH_MIXED_CONCURRENCY || 50);
const USERS = Number(process.env.BENCH_MIXED_USERS || 200);
const MARKERS = { start: '<!-- mixed:start -->', end: '<!-- mixed:end -->' };
/** Writes followed by a read during the hub's last run (BENCH_MIXED_WRITES). */
const READ_AFTER_WRITE_TRIES = Number(process.env.BENCH_MIXED_WRITES || 1000);
/** The longest the load goes on while editors write (BENCH_MIXED_WRITE_SECONDS): it ends when they are done. */
const WRITING_SECONDS = Number(process.env.BENCH_MIXED_WRITE_SECONDS || 600);
/** Editors writing at once, one per popular province (BENCH_MIXED_WRITERS). */
const READ_AFTER_WRITE_WRITERS = Number(process.env.BENCH_MIXED_WRITERS || 10);
/** The dashboard's page sizes (RegionView.vue, ranking.ts, FlagsView.vue). */
const AGENCY_PAGE = 20;
const RANKING_PAGE = 20;
const FLAGS_PAGE = 50;
const FIRST_REPORT_YEAR = 2008;
/** Years drawn: the latest and the nine before it. */
const YEARS_DRAWN = 10;
const METRICS = ['FILING_RATE', 'DENIAL_RATE', 'CORRECTION_RATE', 'LATE_COUNT', 'MISSING_COUNT', 'FLAGGED_COUNT', 'APPLICATIONS_RECEIVED'] as const;
const SEVERITIES = [null, null, 'ERROR', 'WARNING', 'INFO'] as const;

export const KINDS = [
  'province page',
  'city page',
  'county page',
  'year switch (hotline byMonth)',
  'ranking re-sorted',
  'national overview',
  'flags counts',
  'flags list',
] as const;
export type Kind = (typeof KINDS)[number];
const OPERATION: Record<Kind, string> = {
  'province page': 'RegionViewPage',
  'city page': 'RegionViewPage',
  'county page': 'RegionViewPage',
  'year switch (hotline byMonth)': 'RegionViewYear',
  'ranking re-sorted': 'RegionViewRanking',
  'national overview': 'HomeViewProvinces',
  'flags counts': 'FlagsCounts',
  'flags list': 'FlagsPage',
};

interface User {
  token: string | null;
  /** An analyst's jurisdiction: a province or a city. */
  region: string | null;
}
interface Request {
  kind: Kind;
  user: User;
  body: string;
}

interface Regions {
  provinces: string[];
  cities: string[];
  counties: string[];
}

/** Zipf-like weights: the item of rank r (from 1) weighs 1 / r^s. */
const zipf = <T>(items: readonly T[], s: number): (readonly [T, number])[] => items.map((item, i) => [item, 1 / (i + 1) ** s] as const);

/** The dashboard's operations by name, as it sends them. */
function dashboardDocuments(): Map<string, string> {
  const documents = Object.values(JSON.parse(readFileSync(join(root, 'dashboard', 'src', 'gql', 'persisted-documents.json'), 'utf8')) as Record<string, string>);
  const byName = new Map<string, string>();
  for (const name of new Set(Object.values(OPERATION))) {
    const document = documents.find((text) => text.includes(`query ${name}(`));
    if (!document) throw new Error(`bench mixed: the dashboard has no operation ${name} (dashboard/src/gql/persisted-documents.json): update KINDS`);
    byName.set(name, document);
  }
  return byName;
}

export interface Workload {
  users: User[];
  latestYear: number;
  /** The next request of a loop, drawn from `random`. */
  next(random: () => number): Request;
  /** Provinces in order of popularity (the first drawn most often). */
  provincesByPopularity: string[];
}

/** Users, their tokens (HS256 with GONGKAI_JWT_SECRET, as the gateway verifies them), and the request mix. */
export async function mixedWorkload(client: Queryable, env: NodeJS.ProcessEnv, seed = 17): Promise<Workload> {
  const documents = dashboardDocuments();
  const { rows } = await client.query(`select code, level from directory.region order by code`);
  const regions: Regions = { provinces: [], cities: [], counties: [] };
  for (const row of rows as { code: string; level: string }[]) {
    if (row.level === 'PROVINCE') regions.provinces.push(row.code);
    else if (row.level === 'CITY') regions.cities.push(row.code);
    else regions.counties.push(row.code);
  }
  const latestYear = Number((await client.query(`select max(year) as y from reports.annual_report where superseded_at is null`)).rows[0].y);
  const random = seededRandom(seed);
  // popularity: a seeded permutation of the provinces, weighted 1/r
  const provincesByPopularity = [...regions.provinces].sort(() => random() - 0.5);
  const provinceWeights = zipf(provincesByPopularity, 1);
  const yearWeights = zipf(Array.from({ length: Math.min(YEARS_DRAWN, latestYear - FIRST_REPORT_YEAR + 1) }, (_, i) => latestYear - i), 1.2);
  const within = (list: string[], prefix: string) => list.filter((code) => code.startsWith(prefix));
  const citiesOf = new Map(regions.provinces.map((p) => [p, within(regions.cities, p.slice(0, 2))]));
  const countiesOf = (code: string) => within(regions.counties, code.endsWith('0000') ? code.slice(0, 2) : code.slice(0, 4));

  const users: User[] = [];
  for (let i = 0; i < USERS; i++) {
    if (i % 3 === 0) {
      users.push({ token: null, region: null });
      continue;
    }
    // two in three analysts work for a province, one for a city of one; the popular provinces have more
    const province = weighted(random, provinceWeights);
    const cities = citiesOf.get(province)!;
    const region = i % 3 === 2 && cities.length ? pick(random, cities) : province;
    users.push({ token: await benchToken(env, { subject: `bench-analyst-${i}`, region, roles: ['analyst'] }), region });
  }

  const body = (kind: Kind, variables: Record<string, unknown>) => JSON.stringify({ query: documents.get(OPERATION[kind]), variables });
  const ranking = (random: () => number) => ({ rankingMetric: pick(random, METRICS), rankingLevel: null, ascending: random() < 0.3, rankingFirst: RANKING_PAGE });
  /** A region page as a first visit sends it: the trend over every year that can hold reports. */
  const page = (kind: Kind, code: string, year: number, random: () => number) =>
    body(kind, { code, year, previousYear: year - 1, trendFrom: FIRST_REPORT_YEAR, trendTo: latestYear, agencyFirst: AGENCY_PAGE, ...ranking(random), rankingMetric: 'FILING_RATE', ascending: false });
  const next = (random: () => number): Request => {
    const user = pick(random, users);
    const year = weighted(random, yearWeights);
    // Analysts mostly look at their own region; anybody may look at any region's public figures.
    const ownRegion = user.region !== null && random() < 0.7;
    const province = ownRegion ? `${user.region!.slice(0, 2)}0000` : weighted(random, provinceWeights);
    const city = ownRegion && !user.region!.endsWith('0000') ? user.region! : (pick(random, citiesOf.get(province)!.length ? citiesOf.get(province)! : [province]));
    const county = () => pick(random, countiesOf(city).length ? countiesOf(city) : countiesOf(province));
    const kind = weighted<Kind>(random, [
      ['province page', 20],
      ['city page', 16],
      ['county page', 10],
      ['year switch (hotline byMonth)', 16],
      ['ranking re-sorted', 10],
      ['national overview', 10],
      ...(user.region ? ([['flags counts', 9], ['flags list', 9]] as const) : []),
    ]);
    switch (kind) {
      case 'province page':
        return { kind, user, body: page(kind, province, year, random) };
      case 'city page':
        return { kind, user, body: page(kind, city, year, random) };
      case 'county page':
        return { kind, user, body: page(kind, county(), year, random) };
      case 'year switch (hotline byMonth)': {
        const code = random() < 0.5 ? province : city;
        return { kind, user, body: body(kind, { code, year, previousYear: year - 1, agencyFirst: AGENCY_PAGE, ...ranking(random), rankingMetric: 'FILING_RATE', ascending: false }) };
      }
      case 'ranking re-sorted':
        return { kind, user, body: body(kind, { code: random() < 0.6 ? province : city, year, ...ranking(random), after: null }) };
      case 'national overview':
        // the home page: the last three years, or the year shown and the one before it
        return { kind, user, body: body(kind, random() < 0.6 ? { from: latestYear - 2, to: latestYear } : { from: year - 1, to: year }) };
      case 'flags counts':
      case 'flags list': {
        // an analyst's flags: their region or, for a province's analyst, one of its cities
        const cities = citiesOf.get(user.region!) ?? [];
        const regionCode = user.region!.endsWith('0000') && cities.length && random() < 0.4 ? pick(random, cities) : user.region!;
        return kind === 'flags counts'
          ? { kind, user, body: body(kind, { regionCode, year }) }
          : { kind, user, body: body(kind, { regionCode, year, code: null, severity: pick(random, SEVERITIES), first: FLAGS_PAGE, after: null }) };
      }
    }
  };
  return { users, latestYear, next, provincesByPopularity };
}

export interface KindResult {
  latencies: number[];
  errors: number;
}
export interface MixedResult {
  gateway: string;
  /** From the end of the warm-up to the last answer to a request sent before the end of the window. */
  seconds: number;
  concurrency: number;
  byKind: Map<Kind, KindResult>;
  /** Errors by code (the first error of an answer; HTTP_<status> or NETWORK when there was no GraphQL answer). */
  errors: Map<string, number>;
  /** One example message per error code. */
  examples: Map<string, string>;
  /** Whether the answers to one request of each kind equal the hub's, data for data. */
  sameAnswers: string;
  loadAverage: number[];
}

/** Node's fetch keeps connections alive (its global pool): one per loop once they are all busy. */
async function send(url: string, request: Request): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(request.user.token ? { authorization: `Bearer ${request.user.token}` } : {}) },
      body: request.body,
    });
    const text = await response.text();
    let answer: { errors?: { message: string; extensions?: { code?: string } }[] } | null = null;
    try {
      answer = JSON.parse(text);
    } catch {
      // not JSON: counted by its status below
    }
    const error = answer?.errors?.[0];
    if (error) return { ok: false, code: error.extensions?.code ?? 'NO_CODE', message: error.message };
    if (!response.ok || !answer) return { ok: false, code: `HTTP_${response.status}`, message: text.slice(0, 200) };
    return { ok: true };
  } catch (error) {
    return { ok: false, code: 'NETWORK', message: (error as Error).message };
  }
}

/** The data of one request of each kind (drawn with a fixed seed), to compare gateways. */
async function answersOf(url: string, workload: Workload): Promise<Map<Kind, string>> {
  const random = seededRandom(99);
  const out = new Map<Kind, string>();
  for (let i = 0; out.size < KINDS.length && i < 1000; i++) {
    const request = workload.next(random);
    if (out.has(request.kind)) continue;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(request.user.token ? { authorization: `Bearer ${request.user.token}` } : {}) },
      body: request.body,
    });
    const answer = (await response.json()) as { data?: unknown; errors?: { path?: unknown; extensions?: { code?: string } }[] };
    out.set(request.kind, JSON.stringify({ data: answer.data, errors: answer.errors?.map((e) => [e.path, e.extensions?.code]) }));
  }
  return out;
}

/** Closed-loop load: `concurrency` loops, each with its own seeded sequence of requests, for `windowSeconds` after the warm-up. */
export async function runMixedLoad(
  url: string,
  workload: Workload,
  gateway: string,
  reference: Map<Kind, string> | null,
  log: (line: string) => void,
  windowSeconds = SECONDS,
  /** Ends the window early once true (the editors' writes are done). */
  done: () => boolean = () => false,
): Promise<MixedResult> {
  const answers = await answersOf(url, workload);
  const differing = reference ? KINDS.filter((kind) => answers.get(kind) !== reference.get(kind)) : [];
  const sameAnswers = reference ? (differing.length ? `no: ${differing.join(', ')}` : 'yes') : '(the reference)';
  // BENCH_MIXED_DUMP=DIR: the differing answers as files, to see how they differ
  if (process.env.BENCH_MIXED_DUMP) {
    for (const kind of differing) {
      writeFileSync(join(process.env.BENCH_MIXED_DUMP, `${gateway}-${kind}.json`.replaceAll(/[^\w.-]+/g, '_')), answers.get(kind)!);
      writeFileSync(join(process.env.BENCH_MIXED_DUMP, `hub-${kind}.json`.replaceAll(/[^\w.-]+/g, '_')), reference!.get(kind)!);
    }
  }
  const byKind = new Map<Kind, KindResult>(KINDS.map((kind) => [kind, { latencies: [], errors: 0 }]));
  const errors = new Map<string, number>();
  const examples = new Map<string, string>();
  const started = performance.now();
  const measureFrom = started + WARMUP_SECONDS * 1000;
  const end = measureFrom + windowSeconds * 1000;
  let lastAnswer = measureFrom;
  log(`mixed load against ${gateway}: ${CONCURRENCY} loops, ${WARMUP_SECONDS} s warm-up + ${windowSeconds} s …`);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, loop) => {
      const random = seededRandom(1000 + loop);
      while (performance.now() < end && !done()) {
        const request = workload.next(random);
        const sent = performance.now();
        const outcome = await send(url, request);
        const answered = performance.now();
        // every request sent within the window counts, however long it takes: the slowest kinds too
        if (sent < measureFrom) continue;
        lastAnswer = Math.max(lastAnswer, answered);
        const entry = byKind.get(request.kind)!;
        entry.latencies.push(answered - sent);
        if (!outcome.ok) {
          entry.errors++;
          errors.set(outcome.code, (errors.get(outcome.code) ?? 0) + 1);
          if (!examples.has(outcome.code)) examples.set(outcome.code, `${request.kind}: ${outcome.message.slice(0, 200)}`);
        }
      }
    }),
  );
  const total = [...byKind.values()].reduce((n, k) => n + k.latencies.length, 0);
  const failed = [...errors.values()].reduce((n, k) => n + k, 0);
  const seconds = (lastAnswer - measureFrom) / 1000;
  log(`${gateway}: ${(total / seconds).toFixed(1)} requests/s, ${failed} errors${differing.length ? `, answers differ from the hub's: ${differing.join(', ')}` : ''}`);
  return { gateway, seconds, concurrency: CONCURRENCY, byKind, errors, examples, sameAnswers, loadAverage: os.loadavg() };
}

/** Hive Gateway on the hub's supergraph (its subgraph URLs replaced by the running subgraphs'), ready. */
export async function startHiveGateway(options: { urls: Record<SubgraphName, string>; port: number; env: NodeJS.ProcessEnv; routerRuntime: boolean }): Promise<ServiceProcess> {
  // a gateway left over from an interrupted run would answer the health check for this one, with another key
  const taken = await fetch(`http://127.0.0.1:${options.port}/healthcheck`, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`port ${options.port} already answers (a Hive Gateway left over from an interrupted run?): stop it and run the benchmark again`);
  const supergraph = readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8').replace(
    /(@join__graph\(name: "(\w+)", url: ")[^"]*"/g,
    (_, head: string, name: SubgraphName) => `${head}${options.urls[name]}"`,
  );
  const file = join(mkdtempSync(join(os.tmpdir(), 'gongkai-bench-')), 'supergraph.graphql');
  writeFileSync(file, supergraph);
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(benchDir, 'hiveGateway.ts'), file, String(options.port)], {
    env: { ...process.env, ...options.env, HIVE_ROUTER_RUNTIME: options.routerRuntime ? '1' : '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const service: ServiceProcess = { name: 'gateway', child, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
  try {
    await waitUntilHealthy(service, `http://127.0.0.1:${options.port}/healthcheck`, 60_000);
  } catch (error) {
    await stopService(service);
    throw error;
  }
  return service;
}

// ---------------------------------------------------------------- RESULTS.md

const ms = (x: number) => (Number.isNaN(x) ? '—' : `${x.toFixed(0)} ms`);
const all = (r: MixedResult) => [...r.byKind.values()].flatMap((k) => k.latencies);
const rps = (r: MixedResult) => all(r).length / r.seconds;
const errorCount = (r: MixedResult) => [...r.errors.values()].reduce((n, k) => n + k, 0);

export interface MixedRun {
  results: MixedResult[];
  /** Writes each followed by a read, during the hub's last run (bench/readAfterWrite.ts). */
  readAfterWrite: ReadAfterWriteResult | null;
  /** The hub's answer cache during its last run (bench/answerCacheEvents.ts). */
  answerCache: AnswerCacheEvents | null;
  /** Gateways that could not run, with why. */
  unavailable: { gateway: string; reason: string }[];
  workload: Workload;
  dataset: string;
  measuredAt: Date;
}

export function mixedSection(run: MixedRun): string[] {
  // the goals are judged on the hub's last run, which found the database's cache as warm as the Hive runs did
  const [hub, rust] = [run.results.find((r) => r.gateway === HUB_AGAIN) ?? run.results.find((r) => r.gateway === HUB), run.results.find((r) => r.gateway === HIVE_RUST)];
  const p99 = hub ? quantile(all(hub), 0.99) : NaN;
  const raw = run.readAfterWrite;
  const writing = run.results.find((r) => r.gateway === HUB_WRITING);
  const lines = [
    MARKERS.start,
    `## 11. Mixed workload`,
    '',
    `Written by \`npm run bench -- mixed\` (bench/mixedLoad.ts) on ${run.measuredAt.toISOString()}; ${run.dataset}.`,
    `${run.workload.users.length} users (${run.workload.users.filter((u) => !u.token).length} anonymous, the others analysts of a province or a city with a token each)`,
    `send the reference dashboard's operations (dashboard/src/gql/persisted-documents.json) with its variables; provinces`,
    `drawn 1/rank (most popular first: ${run.workload.provincesByPopularity.slice(0, 5).join(', ')} …), years ${run.workload.latestYear} back ${YEARS_DRAWN - 1} years drawn 1/rank^1.2;`,
    `flags only by analysts within their region. Closed loop: ${run.results[0]?.concurrency ?? CONCURRENCY} concurrent loops, ${WARMUP_SECONDS} s warm-up not counted, then requests sent for ${SECONDS} s (each counted`,
    `when it answers, however late; requests/s over the time to its last answer) against each gateway in turn, on the same subgraph processes (loopback; the load generator shares the machine).`,
    '',
    `| gateway | requests/s | p50 | p95 | p99 | requests | errors | answers equal to the hub's | load average (1 min) after |`,
    `|---|---|---|---|---|---|---|---|---|`,
    ...run.results.map((r) => {
      const xs = all(r);
      return `| ${r.gateway} | ${rps(r).toFixed(1)} | ${ms(quantile(xs, 0.5))} | ${ms(quantile(xs, 0.95))} | ${ms(quantile(xs, 0.99))} | ${xs.length} | ${errorCount(r)} | ${r.sameAnswers} | ${r.loadAverage[0]!.toFixed(1)} |`;
    }),
    ...run.unavailable.map((u) => `| ${u.gateway} | not measured: ${u.reason.split('\n')[0]!.slice(0, 300)} | | | | | | | |`),
    '',
    `Per query kind (requests/s · p50 / p95 / p99 · errors):`,
    '',
    `| kind (operation) | ${run.results.map((r) => r.gateway).join(' | ')} |`,
    `|---|${run.results.map(() => '---|').join('')}`,
    ...KINDS.map(
      (kind) =>
        `| ${kind} (${OPERATION[kind]}) | ${run.results
          .map((r) => {
            const k = r.byKind.get(kind)!;
            return `${(k.latencies.length / r.seconds).toFixed(1)} · ${ms(quantile(k.latencies, 0.5))} / ${ms(quantile(k.latencies, 0.95))} / ${ms(quantile(k.latencies, 0.99))}${k.errors ? ` · **${k.errors} errors**` : ''}`;
          })
          .join(' | ')} |`,
    ),
    '',
    ...run.results.flatMap((r) =>
      r.errors.size ? [`Errors of ${r.gateway}: ${[...r.errors].map(([code, n]) => `${code} × ${n} (e.g. ${r.examples.get(code)})`).join('; ')}`, ''] : [],
    ),
    `The hub's answer cache during its run after the Hive runs (warm from its first): ${run.answerCache ? describeEvents(run.answerCache) : 'not on'}.`,
    ...(writing
      ? ['', `The run while editors write lasted ${writing.seconds.toFixed(0)} s after its warm-up: ${raw && raw.duringLoad >= raw.tries ? 'until their writes were done' : `its limit of ${WRITING_SECONDS} s (BENCH_MIXED_WRITE_SECONDS) came first, the rest of their tries were made after it`}.`]
      : []),
    '',
    `Goals judged on the hub's run after the Hive runs (${hub?.gateway ?? 'not measured'}), which found the database's cache as warm as they did; the read-after-write goal on the run while editors write.`,
    '',
    `| goal | measured | met |`,
    `|---|---|---|`,
    `| throughput ≥ 2× Hive Gateway with the Rust planner | ${hub && rust ? `${rps(hub).toFixed(1)} vs ${rps(rust).toFixed(1)} req/s: ${(rps(hub) / rps(rust)).toFixed(2)}×` : 'not measured'} | ${hub && rust ? (rps(hub) >= 2 * rps(rust) ? 'yes' : 'no') : '—'} |`,
    `| p99 ≤ 250 ms (the hub) | ${ms(p99)} | ${hub ? (p99 <= 250 ? 'yes' : 'no') : '—'} |`,
    `| 0 errors (the hub) | ${hub ? errorCount(hub) : 'not measured'} | ${hub ? (errorCount(hub) === 0 ? 'yes' : 'no') : '—'} |`,
    `| a write followed by a read returns the new figures in 100 % of ${READ_AFTER_WRITE_TRIES} tries during the load | ${
      raw
        ? `${raw.fresh} of ${raw.tries} fresh (${raw.writers} editors at once; ${raw.duringLoad} answered while the load ran)${raw.stale.length ? `; ${raw.stale.join('; ')}` : ''}; write p50 ${ms(raw.writeP50)}, read p50 ${ms(raw.readP50)}, p99 ${ms(raw.readP99)}`
        : 'not measured'
    } | ${raw ? (raw.fresh === raw.tries && raw.duringLoad >= READ_AFTER_WRITE_TRIES ? 'yes' : raw.fresh === raw.tries ? `all fresh; ${raw.duringLoad} of them during the load` : 'no') : '—'} |`,
    MARKERS.end,
  ];
  return lines;
}

export function writeMixedSection(file: string, run: MixedRun): void {
  writeSection(file, MARKERS, mixedSection(run).join('\n'));
}

/** The section as the last `npm run bench -- mixed` wrote it, for the whole benchmark to keep. */
export function previousMixedSection(file: string): string[] {
  return previousSection(file, MARKERS);
}

export const HUB = 'the hub (Apollo Gateway, deduplication)';
export const HIVE_RUST = 'Hive Gateway, Rust query planner';
export const HIVE_PLAIN = 'Hive Gateway';
export const HIVE_RUST_NO_DEDUPE = 'Hive Gateway, Rust query planner, deduplication off';
export const HUB_AGAIN = 'the hub again, after the Hive runs';
export const HUB_WRITING = `the hub again, while ${READ_AFTER_WRITE_WRITERS} editors write`;


/** The hub already listening at `hubUrl`; then each Hive Gateway on `hivePort`, started and stopped in turn; then the hub again. */
export async function measureMixed(options: {
  hubUrl: string;
  client: Queryable;
  env: NodeJS.ProcessEnv;
  urls: Record<SubgraphName, string>;
  hivePort: number;
  dataset: string;
  log: (line: string) => void;
}): Promise<MixedRun> {
  const workload = await mixedWorkload(options.client, options.env);
  const results: MixedResult[] = [];
  const unavailable: MixedRun['unavailable'] = [];
  const hub = await runMixedLoad(options.hubUrl, workload, HUB, null, options.log);
  results.push(hub);
  const reference = await answersOf(options.hubUrl, workload);
  // Hive Gateway's in-flight deduplication keys a subgraph request on its URL and body only, before
  // hiveGateway.ts signs it with the caller's identity: callers of different identities share
  // answers, which the hub never does (gateway/dedupe.ts). The Rust planner also runs without it.
  const variants = [[HIVE_RUST, true, '1'], [HIVE_RUST_NO_DEDUPE, true, '0'], [HIVE_PLAIN, false, '1']] as const;
  for (const [gateway, routerRuntime, dedupe] of variants) {
    await waitUntilDatabaseIdle(options.client);
    let hive: ServiceProcess | null = null;
    try {
      hive = await startHiveGateway({ urls: options.urls, port: options.hivePort, env: { ...options.env, HIVE_DEDUPE: dedupe }, routerRuntime });
      results.push(await runMixedLoad(`http://127.0.0.1:${options.hivePort}/graphql`, workload, gateway, reference, options.log));
    } catch (error) {
      unavailable.push({ gateway, reason: (error as Error).message });
      options.log(`${gateway}: ${(error as Error).message}`);
    } finally {
      if (hive) await stopService(hive);
    }
  }
  // The hub first met a cold cache of an 18 GB database the gateways after it found warm: measured again last.
  await waitUntilDatabaseIdle(options.client);
  const cacheBefore = await answerCacheEvents(options.hubUrl);
  results.push(await runMixedLoad(options.hubUrl, workload, HUB_AGAIN, reference, options.log));
  const cacheAfter = await answerCacheEvents(options.hubUrl);
  const answerCache = cacheBefore && cacheAfter ? eventsBetween(cacheBefore, cacheAfter) : null;
  // and once more while editors write: what their writes cost the readers, and whether every read after a write sees it
  await waitUntilDatabaseIdle(options.client);
  // editors write and read back all along the hub's last run: their own agencies, in the most popular provinces
  const { rows } = await options.client.query(
    `select distinct on (left(code, 2)) code from directory.region where level = 'COUNTY' and left(code, 2) = any($1::text[]) order by left(code, 2), code`,
    [workload.provincesByPopularity.slice(0, READ_AFTER_WRITE_WRITERS).map((code) => code.slice(0, 2))],
  );
  // the load goes on until the editors are done (at most BENCH_MIXED_WRITE_SECONDS), so that every try is made under it
  let loading = true;
  let writesDone = false;
  const [writing, readAfterWrite] = await Promise.all([
    runMixedLoad(options.hubUrl, workload, HUB_WRITING, reference, options.log, WRITING_SECONDS, () => writesDone).finally(() => (loading = false)),
    probeReadAfterWrite({
      url: options.hubUrl,
      env: options.env,
      counties: rows.map((row: { code: string }) => row.code),
      year: workload.latestYear,
      tries: READ_AFTER_WRITE_TRIES,
      loading: () => loading,
      startAfterMs: WARMUP_SECONDS * 1000,
      log: options.log,
    }).finally(() => (writesDone = true)),
  ]);
  results.push(writing);
  return { results, readAfterWrite, answerCache, unavailable, workload, dataset: options.dataset, measuredAt: new Date() };
}
