// The registry checks every municipal subgraph periodically: its /health when it has one, else a
// `{ __typename }` POST. UP or DOWN with the reason goes into registry.subgraph, where
// `gongkai subgraph list` and Query.subgraphs read it. A DOWN subgraph stays in the graph: the
// gateway answers its fields with null and an error until it is back.
import type { MikroORM } from '@mikro-orm/postgresql';
import { municipalTimeoutMs } from './compose.ts';
import { listSubgraphs, recordHealth, type SubgraphStatus } from './store.ts';

export interface Probe {
  status: Exclude<SubgraphStatus, 'UNKNOWN'>;
  error: string | null;
}

export async function probeSubgraph(url: string, timeoutMs = municipalTimeoutMs()): Promise<Probe> {
  try {
    const health = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    await health.body?.cancel();
    if (health.ok) return { status: 'UP', error: null };
    // no /health route: ask the GraphQL endpoint itself
    if (health.status !== 404 && health.status !== 405 && health.status !== 400) return { status: 'DOWN', error: `/health answered HTTP ${health.status}` };
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    const body = (await response.json().catch(() => null)) as { data?: { __typename?: string } } | null;
    if (response.ok && body?.data?.__typename) return { status: 'UP', error: null };
    return { status: 'DOWN', error: `{ __typename } answered HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    return { status: 'DOWN', error: cause?.message ? `${(error as Error).message}: ${cause.message}` : (error as Error).message };
  }
}

export interface HealthChecks {
  /** Checks every registered subgraph now (and records the outcome). */
  checkNow(): Promise<void>;
  stop(): void;
}

export function startHealthChecks(orm: MikroORM, intervalMs: number, log: (line: string) => void): HealthChecks {
  let running: Promise<void> | null = null;
  const known = new Map<string, SubgraphStatus>();
  const check = async () => {
    const em = orm.em.fork();
    const subgraphs = await listSubgraphs(em);
    await Promise.all(
      subgraphs.map(async (subgraph) => {
        const probe = await probeSubgraph(subgraph.url);
        await recordHealth(em, subgraph.name, probe.status, probe.error);
        if (known.get(subgraph.name) !== probe.status) log(`subgraph ${subgraph.name} is ${probe.status}${probe.error ? ` (${probe.error})` : ''}`);
        known.set(subgraph.name, probe.status);
      }),
    );
  };
  const checkNow = () => {
    running ??= check()
      .catch((error: unknown) => log(`health check failed: ${(error as Error).message}`))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void checkNow(), intervalMs);
  timer.unref();
  void checkNow();
  return { checkNow, stop: () => clearInterval(timer) };
}
