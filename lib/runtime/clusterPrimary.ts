// One service of `gongkai start --replicas N` (lib/runtime/services.ts): this process forks N
// workers of the service's ordinary entry point with node:cluster, and they all listen on the
// service's one port: this process opens the listening socket once and every worker accepts from
// it, so the kernel gives each new connection to a worker waiting for one and no balancer is
// needed in front. Not Node's default round robin, where this process accepts and hands each
// connection to a worker: a connection handed to a worker that had just died was never answered
// (9 of 200 requests sent right after a kill -9 hung; none with the kernel's accept, and it spread
// 50 busy keep-alive connections 1004/996 where round robin gave 1235/765). Each worker keeps its own
// connections to Postgres, and what replicas must share lives there (nonces, the registry, the
// answer cache's change logs). A worker that dies after it served is replaced; one that dies
// before it ever listened means the service cannot start, and this process ends with it so that
// the supervisor's backoff applies (lib/runtime/supervisor.ts). SIGTERM or SIGINT stops them all.
//
// Usage (by services.ts): node [service flags] clusterPrimary.ts NAME ENTRY_POINT REPLICAS
import cluster, { type Worker } from 'node:cluster';
import { createLogger } from '../observability/log.ts';

/** A worker that served and then died is replaced after this pause (no tight loop if it dies at once again). */
const REPLACE_AFTER_MS = 500;
/** Workers that have not stopped this long after SIGTERM are killed. */
const STOP_GRACE_MS = 10_000;

const [name = 'service', entry, replicasText] = process.argv.slice(2);
const replicas = Number(replicasText);
const log = createLogger(name);
if (!entry || !Number.isInteger(replicas) || replicas < 1) {
  log.error('usage: clusterPrimary.ts NAME ENTRY_POINT REPLICAS (REPLICAS a whole number ≥ 1)');
  process.exit(2);
}

// the workers run the service itself, with this process's Node flags and environment
cluster.schedulingPolicy = cluster.SCHED_NONE;
cluster.setupPrimary({ exec: entry, execArgv: process.execArgv });

const workers = new Set<Worker>();
const served = new WeakSet<Worker>();
let stopping = false;
let exitCode = 0;

function fork(): void {
  const worker = cluster.fork();
  workers.add(worker);
  worker.once('listening', () => served.add(worker));
  worker.once('exit', (code, signal) => {
    workers.delete(worker);
    if (stopping) {
      if (workers.size === 0) process.exit(exitCode);
      return;
    }
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    if (!served.has(worker)) {
      log.error(`replica (pid ${worker.process.pid}) ${how} before it listened; stopping the other replicas`);
      stop(code || 1);
      return;
    }
    log.warn(`replica (pid ${worker.process.pid}) ${how}; starting another`);
    setTimeout(() => {
      if (!stopping) fork();
    }, REPLACE_AFTER_MS);
  });
}

function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  if (workers.size === 0) process.exit(exitCode);
  for (const worker of workers) worker.process.kill('SIGTERM');
  setTimeout(() => {
    for (const worker of workers) worker.process.kill('SIGKILL');
  }, STOP_GRACE_MS).unref();
}

process.once('SIGTERM', () => stop(0));
process.once('SIGINT', () => stop(0));
log.info(`${replicas} replicas on one port (pid ${process.pid} keeps them running)`);
for (let i = 0; i < replicas; i++) fork();
