// Scale out (`npm run bench -- replicas`, issue 17): the mixed workload of bench/mixedLoad.ts
// against the hub's gateway run as one process, then as two replicas sharing its port
// (`gongkai start --replicas 2` runs them alike: lib/runtime/clusterPrimary.ts), then as one again
// (the first run meets a colder database cache than the later ones), on the same subgraph
// processes, for BENCH_REPLICA_SECONDS (30) each after the mixed workload's warm-up.
import os from 'node:os';
import { spawnService, stopService, waitUntilHealthy, type ServiceProcess } from '../lib/runtime/services.ts';
import type { Queryable } from './dashboard.ts';
import { KINDS, mixedWorkload, runMixedLoad, type MixedResult } from './mixedLoad.ts';
import { previousSection, writeSection } from './resultsSection.ts';
import { quantile, waitUntilDatabaseIdle } from './statistics.ts';

const SECONDS = Number(process.env.BENCH_REPLICA_SECONDS || 30);
const MARKERS = { start: '<!-- replicas:start -->', end: '<!-- replicas:end -->' };

export interface ReplicaRun {
  replicas: number;
  label: string;
  result: MixedResult;
}

export interface ReplicasMeasurement {
  runs: ReplicaRun[];
  dataset: string;
  measuredAt: Date;
  cores: number;
}

/** The gateway as `replicas` processes on `port`, in front of the subgraphs `env` names, ready. */
async function startGateway(env: NodeJS.ProcessEnv, port: number, replicas: number): Promise<ServiceProcess> {
  const gateway = spawnService('gateway', { ...env, PORT: String(port) }, replicas);
  try {
    await waitUntilHealthy(gateway, `http://127.0.0.1:${port}/health`);
  } catch (error) {
    await stopService(gateway);
    throw error;
  }
  return gateway;
}

/** The subgraphs already listening where `env` says; each gateway started and stopped in turn on `port`. */
export async function measureReplicas(options: {
  client: Queryable;
  env: NodeJS.ProcessEnv;
  port: number;
  dataset: string;
  log: (line: string) => void;
}): Promise<ReplicasMeasurement> {
  const workload = await mixedWorkload(options.client, options.env);
  const url = `http://127.0.0.1:${options.port}/graphql`;
  const runs: ReplicaRun[] = [];
  for (const [replicas, label] of [[1, '1 gateway process'], [2, '2 gateway replicas'], [1, '1 gateway process again, measured last']] as const) {
    await waitUntilDatabaseIdle(options.client);
    const gateway = await startGateway(options.env, options.port, replicas);
    try {
      runs.push({ replicas, label, result: await runMixedLoad(url, workload, label, null, options.log, SECONDS) });
    } finally {
      await stopService(gateway);
    }
  }
  return { runs, dataset: options.dataset, measuredAt: new Date(), cores: os.cpus().length };
}

// ---------------------------------------------------------------- RESULTS.md

const ms = (x: number) => (Number.isNaN(x) ? '—' : `${x.toFixed(0)} ms`);
const latencies = (r: MixedResult) => [...r.byKind.values()].flatMap((k) => k.latencies);
const rps = (r: MixedResult) => latencies(r).length / r.seconds;
const errors = (r: MixedResult) => [...r.errors.values()].reduce((n, k) => n + k, 0);

export function replicasSection(m: ReplicasMeasurement): string[] {
  const one = m.runs.filter((r) => r.replicas === 1).map((r) => r.result);
  const two = m.runs.find((r) => r.replicas === 2)?.result;
  // against the better of the two single-process runs: the second replica gets no credit for a cache the first run warmed
  const bestOne = one.reduce<MixedResult | undefined>((best, r) => (!best || rps(r) > rps(best) ? r : best), undefined);
  return [
    MARKERS.start,
    `## 12. Scale out: gateway replicas`,
    '',
    `Written by \`npm run bench -- replicas\` (bench/replicas.ts) on ${m.measuredAt.toISOString()}; ${m.dataset}; ${m.cores} cores.`,
    `The mixed workload of §11 (same users, operations and seeded draws; ${one[0]?.concurrency ?? two?.concurrency ?? '?'} concurrent loops, warm-up not counted, then ${SECONDS} s)`,
    `against the hub's gateway as one process, as two replicas on one port (node:cluster, as \`gongkai start --replicas 2\` runs them), and as one process again,`,
    `each in front of the same single process per subgraph; the load generator runs on the same machine.`,
    '',
    `| gateway | requests/s | p50 | p95 | p99 | requests | errors | load average (1 min) after |`,
    `|---|---|---|---|---|---|---|---|`,
    ...m.runs.map(({ label, result: r }) => {
      const xs = latencies(r);
      return `| ${label} | ${rps(r).toFixed(1)} | ${ms(quantile(xs, 0.5))} | ${ms(quantile(xs, 0.95))} | ${ms(quantile(xs, 0.99))} | ${xs.length} | ${errors(r)} | ${r.loadAverage[0]!.toFixed(1)} |`;
    }),
    '',
    `Per query kind, requests/s · p50 / p99:`,
    '',
    `| kind | ${m.runs.map((r) => r.label).join(' | ')} |`,
    `|---|${m.runs.map(() => '---|').join('')}`,
    ...KINDS.map(
      (kind) =>
        `| ${kind} | ${m.runs
          .map(({ result: r }) => {
            const k = r.byKind.get(kind)!;
            return `${(k.latencies.length / r.seconds).toFixed(1)} · ${ms(quantile(k.latencies, 0.5))} / ${ms(quantile(k.latencies, 0.99))}`;
          })
          .join(' | ')} |`,
    ),
    '',
    ...m.runs.flatMap(({ label, result: r }) =>
      r.errors.size ? [`Errors of ${label}: ${[...r.errors].map(([code, n]) => `${code} × ${n} (e.g. ${r.examples.get(code)})`).join('; ')}`, ''] : [],
    ),
    ...(two && bestOne ? reading(two, bestOne, m.cores) : ['Not measured.']),
    MARKERS.end,
  ];
}

/** What the figures say, in words that follow them (the section is rewritten by every run). */
function reading(two: MixedResult, one: MixedResult, cores: number): string[] {
  const ratio = rps(two) / rps(one);
  const verdict = ratio >= 1.1 ? 'more' : ratio <= 0.9 ? 'less' : 'no more';
  const p50 = quantile(latencies(one), 0.5);
  return [
    `Two replicas against the better single-process run: **${ratio.toFixed(2)}×** the throughput (${verdict} than one process), p99 ${ms(quantile(latencies(two), 0.99))} against ${ms(quantile(latencies(one), 0.99))}.`,
    '',
    `Reading: on ${cores} cores shared by the gateway, the subgraphs, Postgres and the load generator, a second gateway process can only add`,
    `throughput while the gateway process is what saturates; once Postgres, the subgraphs or the cores are, it adds memory, connections`,
    `and context switches and nothing else. Here the median request took ${ms(p50)} with one process, the machine's load average was`,
    `${one.loadAverage[0]!.toFixed(1)} after it (other work besides the benchmark counts there too)${
      ratio < 1.1
        ? `, and a second process did not raise the throughput: the time goes to waiting on Postgres, the subgraphs and the cores, not to the`
        : `, and a second process raised the throughput: the gateway's one event loop was a bottleneck, and more`
    }`,
    ratio < 1.1
      ? `gateway's one event loop. More database (a read replica: DATABASE_READ_URL, docs/operations.md) or less work per request would help; more gateways would not.`
      : `gateway replicas help as long as cores are left for them.`,
  ];
}

export function writeReplicasSection(file: string, m: ReplicasMeasurement): void {
  writeSection(file, MARKERS, replicasSection(m).join('\n'));
}

/** The section as the last `npm run bench -- replicas` wrote it, for the whole benchmark to keep. */
export function previousReplicasSection(file: string): string[] {
  return previousSection(file, MARKERS);
}
