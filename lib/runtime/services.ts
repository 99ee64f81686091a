// Runs gongkai's services (three subgraphs and the gateway) as child processes of `gongkai start`:
// each is the same entry point an operator runs alone, with its output prefixed by its name
// (lines of JSON left as they are). lib/runtime/supervisor.ts restarts them.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export type ServiceName = 'agencies' | 'reports' | 'hotline' | 'gateway';

const ENTRY_POINTS: Record<ServiceName, string> = {
  agencies: '../../subgraphs/agencies/main.ts',
  reports: '../../subgraphs/reports/main.ts',
  hotline: '../../subgraphs/hotline/main.ts',
  gateway: '../../gateway/main.ts',
};

export const entryPoint = (name: ServiceName): string => fileURLToPath(new URL(ENTRY_POINTS[name], import.meta.url));

/** The process that runs several replicas of a service on its one port (node:cluster). */
const CLUSTER_PRIMARY = fileURLToPath(new URL('./clusterPrimary.ts', import.meta.url));

/** Node flags for running the project's TypeScript directly (see bin/gongkai.js). */
export const NODE_FLAGS = ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'];

/**
 * And for the long-running services: a GraphQL answer allocates many short-lived objects, and
 * a larger young generation collects them less often (the province dashboard: −5 to −10 % at
 * the gateway, which spent ~7 % of its time in GC, the subgraphs ~10 %; docs/performance.md).
 */
export const SERVICE_NODE_FLAGS = [...NODE_FLAGS, '--max-semi-space-size=64'];

export interface ServiceProcess {
  name: ServiceName;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * The service as a child process; with `replicas` > 1, a cluster primary whose workers are that
 * many copies of it sharing its port (./clusterPrimary.ts), stopped and restarted as one.
 */
export function spawnService(name: ServiceName, env: NodeJS.ProcessEnv, replicas = 1): ServiceProcess {
  const args = replicas > 1 ? [CLUSTER_PRIMARY, name, entryPoint(name), String(replicas)] : [entryPoint(name)];
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      // a JSON log line stays JSON; it names its service itself
      console.log(line.startsWith('{') || line.startsWith(`[${name}]`) ? line : `[${name}] ${line}`);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, exited };
}

/** Polls a /health URL until it answers 200; fails early if the service's process dies. */
export async function waitUntilHealthy(service: ServiceProcess, healthUrl: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let died = false;
  void service.exited.then(() => {
    died = true;
  });
  while (Date.now() < deadline) {
    if (died) throw new Error(`${service.name} exited during start-up (see its output above)`);
    try {
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} did not become healthy at ${healthUrl} within ${timeoutMs / 1000}s`);
}

/** SIGTERM, then SIGKILL for a process that has not exited after `graceMs`. */
export async function stopService(service: ServiceProcess, graceMs = 10_000): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), graceMs);
  await service.exited;
  clearTimeout(timer);
}
