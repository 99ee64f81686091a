// `npm run bench`: the national-scale benchmark. Runs the hub's services as separate processes
// on the database of DATABASE_URL (or the embedded Postgres under GONGKAI_DATA_DIR) holding the
// national synthetic set (`gongkai seed --synthetic --scale national`), measures, and writes
// bench/RESULTS.md. Nothing here runs in `npm test`; Hive Gateway and autocannon are installed on
// demand into bench/tools/node_modules.
//
//   BENCH_RUNS (30)          repetitions of each timed query
//   BENCH_LOAD_SECONDS (20)  duration of each load test (concurrency 20, loopback only)
//   BENCH_PROVINCE (430000)  the province of the dashboard; BENCH_SMALL_PROVINCE (640000) a second load test
//   BENCH_YEAR (2024)
//
// `npm run bench -- dashboard` measures only the dashboard in Chromium (bench/dashboardPage.ts)
// and replaces its section of an existing RESULTS.md, leaving the other figures as they were.
// `npm run bench -- reloads` measures only hot reloads under load (bench/reloads.ts), on a scratch
// database with the sample data, and replaces its section likewise (BENCH_RELOAD_LABEL names the row);
// the whole benchmark keeps that section as it was.
// `npm run bench -- slow-city` measures only a municipal subgraph that sleeps 10 s (bench/slowCity.ts).
// `npm run bench -- mixed` measures only a mixed workload of many users against the hub and Hive
// Gateway (bench/mixedLoad.ts; BENCH_MIXED_SECONDS, default 60) and replaces its section likewise.
// `npm run bench -- ingest` measures only `gongkai ingest` of 1,000 documents (bench/ingestSpeed.ts).
// `npm run bench -- queries` measures only sections 1–2 (gateway against the SQL floor) and replaces them
// and the goals they decide (bench/queriesSection.ts).
// `npm run bench -- replicas` measures only the mixed workload against 1 and 2 gateway replicas
// (bench/replicas.ts; BENCH_REPLICA_SECONDS, default 30) and replaces its section likewise.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { provisionDatabase } from '../lib/database/provision.ts';
import { dropDatabase, ensureDatabase } from '../lib/database/createDatabase.ts';
import { databaseUrl } from '../lib/database/urls.ts';
import { NODE_FLAGS, SERVICE_NODE_FLAGS, spawnService, stopService, waitUntilHealthy, type ServiceProcess } from '../lib/runtime/services.ts';
import { newInternalKey } from '../lib/auth/internalSignature.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { spawn } from 'node:child_process';
import {
  NATIONAL_OVERVIEW,
  PROVINCE_DASHBOARD,
  compareDashboards,
  dashboardOfResponse,
  floorDashboard,
  nationalScope,
  provinceScope,
} from './dashboard.ts';
import { measureReloads, previousReloadSection, writeReloadSection } from './reloads.ts';
import { measureSlowCity, previousSlowCitySection, writeSlowCitySection } from './slowCity.ts';
import { measureMixed, previousMixedSection, writeMixedSection } from './mixedLoad.ts';
import { measureIngestSpeed, previousIngestSpeedSection, writeIngestSpeedSection } from './ingestSpeed.ts';
import { measureReplicas, previousReplicasSection, writeReplicasSection } from './replicas.ts';
import { dashboardPageSection, dashboardPageUnavailable, measureDashboardPage, writeDashboardPageSection } from './dashboardPage.ts';
import { quantile, waitUntilDatabaseIdle } from './statistics.ts';
import { queriesSection, queryGoalRows, writeQueriesSection, type QueriesResult } from './queriesSection.ts';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
/** Benchmark-only packages (Hive Gateway, autocannon): bench/tools/node_modules, installed on demand. */
const toolsDir = join(benchDir, 'tools');
const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS || 30);
/** The national overview reads every ticket of the year: fewer runs. */
const NATIONAL_RUNS = Number(process.env.BENCH_NATIONAL_RUNS || 5);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS || 20);
const PROVINCE = process.env.BENCH_PROVINCE || '430000';
const SMALL_PROVINCE = process.env.BENCH_SMALL_PROVINCE || '640000';
const YEAR = Number(process.env.BENCH_YEAR || 2024);
const BASE_PORT = Number(process.env.BENCH_PORT || 4600);
const log = (line: string) => console.error(`[bench] ${line}`);
const ONLY_DASHBOARD = process.argv.slice(2).includes('dashboard');
const ONLY_RELOADS = process.argv.slice(2).includes('reloads');
const ONLY_SLOW_CITY = process.argv.slice(2).includes('slow-city');
const ONLY_MIXED = process.argv.slice(2).includes('mixed');
const ONLY_INGEST = process.argv.slice(2).includes('ingest');
const ONLY_QUERIES = process.argv.slice(2).includes('queries');
const ONLY_REPLICAS = process.argv.slice(2).includes('replicas');
const out = resolve(benchDir, process.env.BENCH_RESULTS || 'RESULTS.md');

// ---------------------------------------------------------------- helpers

const median = (xs: number[]) => quantile(xs, 0.5);
const ms = (x: number) => `${x.toFixed(1)} ms`;
/** a / b as "1.23×", or n/a when b is 0 (nothing completed within the load test) */
const times = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a (no request of the second completed)');

async function timed<T>(runs: number, work: () => Promise<T>): Promise<{ times: number[]; last: T }> {
  const times: number[] = [];
  let last!: T;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await work();
    times.push(performance.now() - started);
  }
  return { times, last };
}

async function post(url: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (!response.ok || body.errors) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

function peakRss(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

function installBenchDependencies(): string | null {
  const marker = join(toolsDir, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(toolsDir, 'package.json')).mtimeMs) return null;
  log('installing benchmark-only dependencies into bench/tools/node_modules …');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: toolsDir, encoding: 'utf8' });
  if (result.status !== 0) return `${result.stdout}\n${result.stderr}`.trim();
  return null;
}

// ---------------------------------------------------------------- main

const results: string[] = [];
const goals: string[][] = [];
const started = new Date();
const installError = ONLY_DASHBOARD || ONLY_RELOADS || ONLY_SLOW_CITY || ONLY_INGEST || ONLY_QUERIES ? null : installBenchDependencies();
const database = await provisionDatabase(log);
const client = new pg.Client({ connectionString: database.url });
await client.connect();
const internalKey = newInternalKey();
const ports = { gateway: BASE_PORT, agencies: BASE_PORT + 1, reports: BASE_PORT + 2, hotline: BASE_PORT + 3 };
const urls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, `http://127.0.0.1:${ports[n]}/graphql`])) as Record<SubgraphName, string>;
const env = {
  DATABASE_URL: database.url,
  GONGKAI_INTERNAL_KEY: internalKey,
  GONGKAI_SAMPLE_DATA: '0',
  PORT: String(ports.gateway),
  AGENCIES_PORT: String(ports.agencies),
  REPORTS_PORT: String(ports.reports),
  HOTLINE_PORT: String(ports.hotline),
  AGENCIES_URL: urls.agencies,
  REPORTS_URL: urls.reports,
  HOTLINE_URL: urls.hotline,
  // The benchmark measures the hub, not its abuse limits: the per-client rate limit is off.
  GONGKAI_RATE_LIMIT: '0',
  // HS256 bearer tokens of this run only (the mixed workload's analysts)
  GONGKAI_JWT_SECRET: newInternalKey(),
  NODE_ENV: 'production',
  // Per-request costs (sections 1–7, 10) are measured on misses, the gateway's answer cache off;
  // the mixed workload and the replicas measure many users, whom the cache serves.
  ...(ONLY_MIXED || ONLY_REPLICAS ? {} : { GONGKAI_ANSWER_CACHE_MB: '0' }),
};
const services: ServiceProcess[] = [];
const stopAll = async () => {
  for (const s of services.reverse()) await stopService(s).catch(() => {});
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

bench: try {
  if (ONLY_INGEST) {
    const label = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
    writeIngestSpeedSection(out, await measureIngestSpeed(database.url, { basePort: BASE_PORT + 30, log, label }));
    log(`wrote the ingest speed's section of ${out}`);
    break bench;
  }
  if (ONLY_SLOW_CITY) {
    const label = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
    writeSlowCitySection(out, await measureSlowCity(database.url, { basePort: BASE_PORT + 20, log, label }));
    log(`wrote the slow city's section of ${out}`);
    break bench;
  }
  if (ONLY_RELOADS) {
    const label = process.env.BENCH_RELOAD_LABEL || spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
    const result = await measureReloads(database.url, { basePort: BASE_PORT + 10, log, label });
    writeReloadSection(out, [result]);
    log(`wrote the reloads' section of ${out}`);
    break bench;
  }
  const [counts] = (
    await client.query(`select (select count(*) from agencies.agency)::int as agencies,
        (select count(*) from reports.annual_report)::int as reports, (select count(*) from reports.figure)::bigint as figures,
        (select count(*) from hotline.ticket)::int as tickets,
        (select count(*) from agencies.agency where data_origin = 'SYNTHETIC')::int as synthetic,
        (select version()) as pg, pg_size_pretty(pg_database_size(current_database())) as size`)
  ).rows;
  log(`dataset: ${JSON.stringify(counts)}`);

  // Whole past years are read from the hotline year rollup: bring it up to date first, as
  // `gongkai hotline import` and `gongkai seed` leave it (nothing to do after a seed).
  const refresh = gongkai(['hotline', 'refresh-rollups'], database.url, { progress: true });
  if (refresh.status !== 0) throw new Error(`gongkai hotline refresh-rollups failed: ${refresh.stdout}`);
  const rollupRefresh = { summary: refresh.stdout.trim(), seconds: refresh.seconds };
  log(rollupRefresh.summary);

  for (const name of SUBGRAPH_NAMES) {
    const s = spawnService(name, env);
    services.push(s);
    await waitUntilHealthy(s, `http://127.0.0.1:${ports[name]}/health`);
  }
  const subgraphByName = Object.fromEntries(services.map((s) => [s.name, s]));
  if (ONLY_REPLICAS) {
    const dataset = `${counts.agencies.toLocaleString('en-US')} agencies, ${counts.reports.toLocaleString('en-US')} report versions, ${counts.tickets.toLocaleString('en-US')} tickets (${counts.size})`;
    writeReplicasSection(out, await measureReplicas({ client, env, port: BASE_PORT + 40, dataset, log }));
    log(`wrote the gateway replicas' section of ${out}`);
    break bench;
  }
  // the hub's gateway as it runs: in-flight deduplication of subgraph requests on (gateway/dedupe.ts)
  const hubGateway = spawnService('gateway', env);
  services.push(hubGateway);
  await waitUntilHealthy(hubGateway, `http://127.0.0.1:${ports.gateway}/health`);
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
  if (ONLY_MIXED) {
    const dataset = `${counts.agencies.toLocaleString('en-US')} agencies, ${counts.reports.toLocaleString('en-US')} report versions, ${counts.tickets.toLocaleString('en-US')} tickets (${counts.size})`;
    const mixed = await measureMixed({ hubUrl: gatewayUrl, client, env, urls, hivePort: BASE_PORT + 5, dataset, log });
    writeMixedSection(out, mixed);
    log(`wrote the mixed workload's section of ${out}`);
    break bench;
  }

  const { rows: subtreeRows } = await client.query<{ code: string }>(
    `select code from directory.region where code like $1 order by code`,
    [`${PROVINCE.slice(0, 2)}%`],
  );
  const { rows: provinceRows } = await client.query<{ code: string }>(`select code from directory.region where level = 'PROVINCE' order by code`);
  const dashboardVars = { code: PROVINCE, year: YEAR };

  // ---- 7: the dashboard in Chromium, against the hub's gateway (which serves dashboard/dist)
  const dataset = `${counts.agencies.toLocaleString('en-US')} agencies, ${counts.reports.toLocaleString('en-US')} report versions, ${counts.tickets.toLocaleString('en-US')} tickets (${counts.size})`;
  const pageUnavailable = dashboardPageUnavailable();
  const dashboardPage = ONLY_QUERIES ? [] : dashboardPageSection(
    pageUnavailable
      ? { unavailable: pageUnavailable }
      : await measureDashboardPage(`http://127.0.0.1:${ports.gateway}`, { province: PROVINCE, log }).catch((error: Error) => ({ unavailable: error.message.split('\n')[0]! })),
    { dataset, measuredAt: new Date() },
  );
  if (ONLY_DASHBOARD) {
    writeDashboardPageSection(out, dashboardPage);
    log(`wrote the dashboard's section of ${out}`);
    break bench;
  }

  // ---- 1 and 2: gateway vs floor, median and p95
  const measure = async (label: string, query: string, variables: Record<string, unknown>, scope: Parameters<typeof floorDashboard>[1], runs: number) => {
    for (let i = 0; i < 2; i++) await post(gatewayUrl, query, variables); // warm-up (plans, pools, caches)
    for (let i = 0; i < 2; i++) await floorDashboard(client, scope, 'year-rollup');
    await floorDashboard(client, scope, 'tickets');
    const hub = await timed(runs, () => post(gatewayUrl, query, variables));
    const floor = await timed(runs, () => floorDashboard(client, scope, 'year-rollup'));
    // the same statement computing the hotline figures from every ticket instead (fewer runs: seconds each)
    const fromTickets = await timed(Math.min(runs, 10), () => floorDashboard(client, scope, 'tickets'));
    const differences = [
      ...compareDashboards(dashboardOfResponse(hub.last), floor.last),
      ...compareDashboards(floor.last, fromTickets.last).map((d) => `year rollup vs tickets: ${d}`),
    ];
    const row = { label, regions: scope.codes.length, hub: hub.times, floor: floor.times, fromTickets: fromTickets.times, differences, floorNumbers: floor.last };
    log(`${label}: gateway p50 ${ms(median(hub.times))}, floor p50 ${ms(median(floor.times))}, from tickets ${ms(median(fromTickets.times))}, ${differences.length} differences`);
    return row;
  };
  const dashboard = await measure('Province dashboard', PROVINCE_DASHBOARD, dashboardVars, provinceScope(PROVINCE, subtreeRows.map((r) => r.code), YEAR), RUNS);
  const national = await measure('National overview', NATIONAL_OVERVIEW, { year: YEAR }, nationalScope(provinceRows.map((r) => r.code), YEAR), NATIONAL_RUNS);
  // A period the year rollup does not hold (any but a whole past calendar year): computed from the tickets.
  const PERIOD = `from: "${YEAR}-01-01", to: "${YEAR}-12-30"`;
  const periodDashboard = PROVINCE_DASHBOARD.replaceAll('hotline(year: $year)', `hotline(${PERIOD})`);
  await post(gatewayUrl, periodDashboard, dashboardVars);
  const periodTimes = (await timed(Math.min(RUNS, 10), () => post(gatewayUrl, periodDashboard, dashboardVars))).times;
  log(`Province dashboard, hotline(${PERIOD}): gateway p50 ${ms(median(periodTimes))}`);
  const queries: QueriesResult = {
    dashboard,
    national,
    period: { times: periodTimes, label: PERIOD.replaceAll('"', '') },
    runs: { fromTickets: Math.min(RUNS, 10), national: Math.min(NATIONAL_RUNS, 10) },
    rollupRefresh,
  };
  if (ONLY_QUERIES) {
    const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
    const note = `Measured alone (\`npm run bench -- queries\`, ${RUNS} runs; national ${NATIONAL_RUNS}), every request a cache miss (GONGKAI_ANSWER_CACHE_MB=0), on ${new Date().toISOString()} at ${commit}; load average (1 min) at the end ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores.`;
    writeQueriesSection(out, { ...queries, note });
    log(`wrote the queries' section and their goals in ${out}`);
    break bench;
  }

  // ---- 3: SQL statements per request, per subgraph (the subgraphs' /health reports their counters)
  const statementCounts = async () =>
    Object.fromEntries(
      await Promise.all(
        SUBGRAPH_NAMES.map(async (name) => {
          const health = (await (await fetch(`http://127.0.0.1:${ports[name]}/health`)).json()) as { statements?: number };
          return [name, health.statements ?? NaN] as const;
        }),
      ),
    ) as Record<SubgraphName, number>;
  const probeA = await statementCounts();
  const probeB = await statementCounts();
  const probeCost = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, probeB[n] - probeA[n]])) as Record<SubgraphName, number>;
  const countedRequest = async (query: string, variables: Record<string, unknown>) => {
    const before = await statementCounts();
    await post(gatewayUrl, query, variables);
    const after = await statementCounts();
    return Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, after[n] - before[n] - probeCost[n]])) as Record<SubgraphName, number>;
  };
  const regionsOf = async (code: string) => (await client.query(`select count(*)::int as n from directory.region where code like $1`, [`${code.slice(0, 2)}%`])).rows[0].n as number;
  const statementRows: { label: string; regions: number; counts: Record<SubgraphName, number> }[] = [];
  for (const code of ['640000', PROVINCE, '510000']) {
    statementRows.push({ label: `Province dashboard ${code}`, regions: await regionsOf(code), counts: await countedRequest(PROVINCE_DASHBOARD, { code, year: YEAR }) });
  }
  statementRows.push({ label: 'National overview', regions: provinceRows.length, counts: await countedRequest(NATIONAL_OVERVIEW, { year: YEAR }) });

  // ---- 4: throughput and latency under load
  const loadTest = async (url: string, variables: Record<string, unknown>) => {
    const { default: autocannon } = await import(join(toolsDir, 'node_modules', 'autocannon', 'autocannon.js'));
    const result = await autocannon({
      url,
      method: 'POST',
      connections: 20,
      duration: LOAD_SECONDS,
      // a dashboard waits for the database: give it time rather than count it as an error
      timeout: 120,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: PROVINCE_DASHBOARD, variables }),
    });
    return {
      rps: result.requests.average as number,
      p50: result.latency.p50 as number,
      p97_5: result.latency.p97_5 as number,
      p99: result.latency.p99 as number,
      total: result.requests.total as number,
      non2xx: result.non2xx as number,
      errors: result.errors as number,
    };
  };
  type Load = Awaited<ReturnType<typeof loadTest>>;
  // the dashboard's province, and a small one (宁夏) where the database does less and the gateway more
  const loadScenarios = [dashboardVars, { code: SMALL_PROVINCE, year: YEAR }];
  const hubLoad: Load[] = [];
  const hubNoDedupeLoad: Load[] = [];
  const hiveLoad: Load[] = [];
  const hiveNoDedupeLoad: Load[] = [];
  let hiveError: string | null = installError;
  const rss: Record<string, number | null> = {};
  /** Every load scenario against whatever gateway listens on the gateway's port now. */
  const loadAll = async (into: Load[]) => {
    for (const vars of loadScenarios) {
      await waitUntilDatabaseIdle(client);
      await post(gatewayUrl, PROVINCE_DASHBOARD, vars);
      into.push(await loadTest(gatewayUrl, vars));
    }
    await waitUntilDatabaseIdle(client);
  };
  if (!installError) await loadAll(hubLoad);
  rss['the hub\'s gateway'] = peakRss(hubGateway.child.pid);
  await stopService(hubGateway);
  services.splice(services.indexOf(hubGateway), 1);

  // The same gateway with its deduplication off (GONGKAI_GATEWAY_DEDUPE=0): twenty identical
  // dashboards are the best case for deduplication; this is what the gateway does when they differ.
  if (!installError) {
    const variant = spawnService('gateway', { ...env, GONGKAI_GATEWAY_DEDUPE: '0' });
    services.push(variant);
    await waitUntilHealthy(variant, `http://127.0.0.1:${ports.gateway}/health`);
    const answer = await post(gatewayUrl, PROVINCE_DASHBOARD, dashboardVars);
    const differences = compareDashboards(dashboardOfResponse(answer), dashboard.floorNumbers);
    if (differences.length) throw new Error(`the gateway without deduplication differs from the floor: ${differences.join('; ')}`);
    await loadAll(hubNoDedupeLoad);
    rss['the hub\'s gateway, deduplication off'] = peakRss(variant.child.pid);
    await stopService(variant);
    services.splice(services.indexOf(variant), 1);
  }

  if (!installError) {
    const supergraph = readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8').replace(
      /(@join__graph\(name: "(\w+)", url: ")[^"]*"/g,
      (_, head: string, name: SubgraphName) => `${head}${urls[name]}"`,
    );
    const file = join(mkdtempSync(join(os.tmpdir(), 'gongkai-bench-')), 'supergraph.graphql');
    writeFileSync(file, supergraph);
    // Hive Gateway as it comes (it deduplicates identical in-flight subgraph requests), then without that
    for (const [dedupe, into] of [['1', hiveLoad], ['0', hiveNoDedupeLoad]] as const) {
      const hive = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(benchDir, 'hiveGateway.ts'), file, String(ports.gateway)], {
        env: { ...process.env, ...env, HIVE_DEDUPE: dedupe },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      const hiveService: ServiceProcess = { name: 'gateway', child: hive, exited: new Promise((r) => hive.once('exit', (code) => r(code))) };
      services.push(hiveService);
      try {
        await waitUntilHealthy(hiveService, `http://127.0.0.1:${ports.gateway}/healthcheck`, 60_000);
        const hiveAnswer = await post(gatewayUrl, PROVINCE_DASHBOARD, dashboardVars);
        const differences = compareDashboards(dashboardOfResponse(hiveAnswer), dashboard.floorNumbers);
        if (differences.length) throw new Error(`Hive Gateway's answer differs from the floor: ${differences.join('; ')}`);
        await loadAll(into);
        rss[dedupe === '1' ? 'Hive Gateway' : 'Hive Gateway (no deduplication)'] = peakRss(hive.pid);
      } catch (error) {
        hiveError = (error as Error).message;
      }
      await stopService(hiveService);
      services.splice(services.indexOf(hiveService), 1);
    }
  }
  for (const name of SUBGRAPH_NAMES) rss[`${name} subgraph`] = peakRss(subgraphByName[name]!.child.pid);
  await stopAll();

  // ---- 6: ingest throughput, in a scratch database on the same server
  const ingest = await measureIngest(database.url);

  // ---------------------------------------------------------------- RESULTS.md
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  const pkg = (name: string, dir = root) => {
    try {
      return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version as string;
    } catch {
      return 'not installed';
    }
  };
  results.push(
    `# Benchmark results`,
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${started.toISOString()}. Every figure is the median and the 95th`,
    `percentile of ${RUNS} sequential runs (national overview: ${NATIONAL_RUNS}) after 2 warm-up runs, unless said otherwise.`,
    '',
    `## Machine and versions`,
    '',
    `| | |`,
    `|---|---|`,
    `| CPU | ${cpu}, ${os.cpus().length} cores |`,
    `| memory | ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB |`,
    `| OS | ${os.type()} ${os.release()} |`,
    `| Node | ${process.version} |`,
    `| Postgres | ${String(counts.pg).split(',')[0]} (${database.description}) |`,
    `| @apollo/gateway | ${pkg('@apollo/gateway')} |`,
    `| @graphql-hive/gateway | ${pkg('@graphql-hive/gateway', toolsDir)} (runtime ${pkg('@graphql-hive/gateway-runtime', toolsDir)}) |`,
    `| autocannon | ${pkg('autocannon', toolsDir)} |`,
    '',
    `## Dataset`,
    '',
    `${counts.agencies.toLocaleString('en-US')} agencies (${counts.synthetic.toLocaleString('en-US')} synthetic), ${counts.reports.toLocaleString('en-US')} report versions, ${Number(counts.figures).toLocaleString('en-US')} figures, ${counts.tickets.toLocaleString('en-US')} tickets; database ${counts.size}.`,
    `Dashboard province ${PROVINCE} (${dashboard.regions} regions), year ${YEAR}.`,
    '',
    ...queriesSection(queries),
    '',
    `## 3. SQL statements per GraphQL request`,
    '',
    `| request | regions | agencies | reports | hotline | total |`,
    `|---|---|---|---|---|---|`,
    ...statementRows.map((r) => `| ${r.label} | ${r.regions} | ${r.counts.agencies} | ${r.counts.reports} | ${r.counts.hotline} | ${r.counts.agencies + r.counts.reports + r.counts.hotline} |`),
    '',
    `## 4. Throughput under load (province dashboard, 20 connections, ${LOAD_SECONDS} s each, loopback)`,
    '',
    `| gateway | province | requests/s | latency p50 | p97.5 | p99 | requests | non-2xx | errors |`,
    `|---|---|---|---|---|---|---|---|---|`,
    ...loadScenarios.flatMap((vars, i) =>
      ([
        ['the hub (Apollo Gateway, in-flight deduplication)', hubLoad[i]],
        ['the hub, deduplication off (GONGKAI_GATEWAY_DEDUPE=0)', hubNoDedupeLoad[i]],
        ['Hive Gateway', hiveLoad[i]],
        ['Hive Gateway, in-flight deduplication off', hiveNoDedupeLoad[i]],
      ] as const).map(([name, l]) =>
        l
          ? `| ${name} | ${vars.code} | ${l.rps.toFixed(2)} | ${l.p50} ms | ${l.p97_5} ms | ${l.p99} ms | ${l.total} | ${l.non2xx} | ${l.errors} |`
          : `| ${name} | ${vars.code} | not measured | | | | | | |`,
      ),
    ),
    ...(hiveError ? ['', `Hive Gateway: ${'```'}\n${hiveError}\n${'```'}`] : []),
    '',
    ...loadScenarios.flatMap((vars, i) =>
      hubLoad[i] && hiveLoad[i]
        ? [
            `- ${vars.code}: hub / Hive Gateway throughput ${times(hubLoad[i]!.rps, hiveLoad[i]!.rps)}` +
              (hubNoDedupeLoad[i] && hiveNoDedupeLoad[i] ? `; both without deduplication ${times(hubNoDedupeLoad[i]!.rps, hiveNoDedupeLoad[i]!.rps)}.` : '.'),
          ]
        : [],
    ),
    '',
    `## 5. Peak memory (VmHWM of each process, over the whole run)`,
    '',
    `| process | peak RSS |`,
    `|---|---|`,
    ...Object.entries(rss).map(([name, mb]) => `| ${name} | ${mb === null ? 'n/a' : `${mb.toFixed(0)} MiB`} |`),
    '',
    `## 6. Ingest`,
    '',
    ...ingest,
    '',
    ...dashboardPage,
    '',
    // measured only by `npm run bench -- reloads` (a scratch database of its own): kept as it was
    ...previousReloadSection(out),
    // measured only by `npm run bench -- slow-city`: kept as it was
    ...previousSlowCitySection(out),
    // measured only by `npm run bench -- ingest`: kept as it was
    ...previousIngestSpeedSection(out),
    // measured only by `npm run bench -- mixed`: kept as it was
    ...previousMixedSection(out),
    // measured only by `npm run bench -- replicas`: kept as it was
    ...previousReplicasSection(out),
    `## Goals`,
    '',
    `| goal | measured | met |`,
    `|---|---|---|`,
    ...queryGoalRows(queries),
    `| statements constant in the number of regions | ${statementRows.map((r) => `${r.regions} regions: ${r.counts.agencies + r.counts.reports + r.counts.hotline}`).join(', ')} | ${new Set(statementRows.slice(0, 3).map((r) => r.counts.agencies + r.counts.reports + r.counts.hotline)).size === 1 ? 'yes' : 'no'} |`,
    ...loadScenarios.map((vars, i) => {
      const [a, h] = [hubLoad[i], hiveLoad[i]];
      const [an, hn] = [hubNoDedupeLoad[i], hiveNoDedupeLoad[i]];
      return `| gateway throughput ≥ Hive Gateway's (${vars.code}) | ${a && h ? `${a.rps.toFixed(2)} vs ${h.rps.toFixed(2)} req/s (both without deduplication: ${an ? an.rps.toFixed(2) : '?'} vs ${hn ? hn.rps.toFixed(2) : '?'})` : 'not measured'} | ${a && h ? (a.rps >= h.rps ? 'yes' : `no (${((100 * (h.rps - a.rps)) / h.rps).toFixed(0)} % less)`) : '—'} |`;
    }),
    '',
  );
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : '';
  const notes = previous.includes('<!-- notes -->') ? previous.slice(previous.indexOf('<!-- notes -->')) : '<!-- notes -->\n';
  writeFileSync(out, `${results.join('\n')}\n${notes}`);
  log(`wrote ${out}`);
} finally {
  await stopAll();
  await client.end();
  await database.stop();
}

/** Runs a gongkai command on a database, timed (process start included); `progress`: its stderr shown live. */
function gongkai(args: string[], databaseUrl: string, options: { progress?: boolean } = {}) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [...NODE_FLAGS, join(root, 'bin', 'gongkai.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl },
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', options.progress ? 'inherit' : 'pipe'],
  });
  return { seconds: (performance.now() - t) / 1000, ...r };
}

/** Exit 1 is documents that failed (a fixture names no region), said as such; anything else as it came. */
function ingestOutcome(run: { status: number | null; stdout: string; stderr: string }): string {
  if (run.status === 0) return '';
  if (run.status === 1) return ` ${JSON.parse(run.stdout).summary.failedDocuments.length} document(s) not stored (exit 1).`;
  return ` Exit ${run.status}: ${run.stderr.trim().split('\n').at(-1)?.slice(0, 300) ?? ''}`;
}

/** Reports extracted and stored per second (the shared fixtures), tickets imported per second. */
async function measureIngest(serverDatabaseUrl: string): Promise<string[]> {
  const scratch = databaseUrl(serverDatabaseUrl, 'gongkai_bench_ingest');
  await dropDatabase(scratch);
  await ensureDatabase(scratch);
  const lines: string[] = [];
  try {
    const cli = (args: string[]) => gongkai(args, scratch);
    // migrations and the region registry first, so that the timed runs measure the work alone
    cli(['seed', '--synthetic', '--scale', 'tiny', '--tickets', '0']);
    const fixtures = join(root, '..', 'shared', 'fixtures', 'reports');
    if (existsSync(fixtures)) {
      const run = cli(['ingest', fixtures, '--json']);
      const stored = (run.stdout.match(/"outcome":\s*"(CREATED|NEW_VERSION)"/g) ?? []).length;
      const reports = (run.stdout.match(/"outcome":/g) ?? []).length;
      lines.push(
        `- Report documents: \`gongkai ingest ../shared/fixtures/reports\` (${readdirCount(fixtures)} documents) read, extracted and stored ${reports} reports (${stored} new) in ${run.seconds.toFixed(1)} s ` +
          `(process start and migrations check included): **${(reports / run.seconds).toFixed(1)} reports/s**.${ingestOutcome(run)}`,
      );
    }
    const csv = join(mkdtempSync(join(os.tmpdir(), 'gongkai-bench-')), 'tickets.csv');
    const n = Number(process.env.BENCH_IMPORT_TICKETS || 100_000);
    const scratchClient = new pg.Client({ connectionString: scratch });
    await scratchClient.connect();
    const counties = (await scratchClient.query<{ code: string }>(`select code from directory.region where level = 'COUNTY' order by code`)).rows.map((r) => r.code);
    await scratchClient.end();
    const rows = ['工单编号,热线,受理时间,区划代码,诉求类型,来源渠道,办结时间,回访满意度,来电人,来电号码,诉求内容'];
    for (let i = 0; i < n; i++) {
      const day = 1 + (i % 28);
      rows.push(`B${i},12345,2024-03-${String(day).padStart(2, '0')} 09:${String(i % 60).padStart(2, '0')},${counties[i % counties.length]},投诉,电话,2024-03-${String(day).padStart(2, '0')} 17:00,满意,测试${i % 100},138${String(i).padStart(8, '0')},合成测试数据`);
    }
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const run = cli(['hotline', 'import', csv, '--json']);
    lines.push(
      `- Tickets: \`gongkai hotline import\` of a ${n.toLocaleString('en-US')}-row CSV (personal data encrypted row by row) in ${run.seconds.toFixed(1)} s: **${(n / run.seconds).toFixed(0)} tickets/s**.${run.status !== 0 ? ` Exit ${run.status}: ${run.stderr.slice(0, 300)}` : ''}`,
    );
  } finally {
    await dropDatabase(scratch).catch(() => {});
  }
  return lines;
}

function readdirCount(dir: string): number {
  return (spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n') as string[]).filter((f) => /\.(txt|html?|pdf)$/.test(f)).length;
}
