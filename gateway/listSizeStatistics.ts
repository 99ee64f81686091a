// The gateway reads the list sizes each of the hub's subgraphs observes (their internal field
// Query._listSizes, lib/graphql/listSizeStatistics.ts) — through the subgraph's API, in a
// request signed like every subrequest, never from their tables — when it starts and then every
// GONGKAI_LIST_SIZES_REFRESH_MS (5 minutes). A subgraph that does not answer keeps the
// statistics it gave last; one that never did leaves its lists to the fixed guesses
// (limits/listSizes.ts), and is asked again sooner.
import { PUBLIC } from '../lib/auth/identity.ts';
import { signInternalRequest } from '../lib/auth/internalSignature.ts';
import { LIST_SIZES_QUERY, type ListSizeStatistic } from '../lib/graphql/listSizeStatistics.ts';
import { createLogger } from '../lib/observability/log.ts';
import type { ListSizeSource } from './limits/documentLimits.ts';
import { ListSizes } from './limits/listSizes.ts';

const log = createLogger('gateway');

export interface ListSizeTarget {
  /** The subgraph's name: the audience of the signature. */
  name: string;
  /** Its GraphQL URL. */
  url: string;
}

const TIMEOUT_MS = 2000;
/** After a subgraph did not answer, it is asked again within this time, whatever the refresh interval. */
const RETRY_MS = 30_000;

const isStatistic = (row: unknown): row is ListSizeStatistic => {
  const r = row as Partial<ListSizeStatistic> | null;
  return !!r && typeof r.field === 'string' && typeof r.scope === 'string' && Number.isSafeInteger(r.max) && Number.isSafeInteger(r.p95);
};

/** One subgraph's statistics; throws with the reason when it gives none. */
async function fetchStatistics(target: ListSizeTarget, key: Buffer): Promise<ListSizeStatistic[]> {
  const payload = { query: LIST_SIZES_QUERY };
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signInternalRequest(key, PUBLIC, payload, { audience: target.name }) },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await response.json().catch(() => null)) as { data?: { _listSizes?: unknown }; errors?: { message?: string }[] } | null;
  const rows = body?.data?._listSizes;
  if (!response.ok || !Array.isArray(rows)) {
    throw new Error(`HTTP ${response.status}${body?.errors?.[0]?.message ? `: ${body.errors[0].message}` : ''}`);
  }
  return rows.filter(isStatistic);
}

/**
 * The list sizes of the hub's subgraphs, kept fresh: read once by `start` (the gateway's first
 * estimates are already the data's), then every `refreshMs`; 0 never reads them (fixed guesses).
 */
export function listSizeStatistics(targets: readonly ListSizeTarget[], key: Buffer, refreshMs: number): ListSizeSource {
  const known = new Map<string, ListSizeStatistic[]>();
  const failing = new Set<string>();
  let current = ListSizes.GUESSES;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const refresh = async (): Promise<boolean> => {
    const outcomes = await Promise.all(
      targets.map(async (target) => {
        try {
          known.set(target.name, await fetchStatistics(target, key));
          if (failing.delete(target.name)) log.info(`list sizes of ${target.name} read again: the cost limit estimates its lists from them`);
          return true;
        } catch (error) {
          // said once per outage, not at every retry
          if (!failing.has(target.name)) {
            failing.add(target.name);
            const kept = known.has(target.name) ? 'the cost limit keeps the sizes it read last' : 'the cost limit uses fixed guesses for its lists';
            log.warn(`could not read the list sizes of ${target.name} (${(error as Error).message}): ${kept}`);
          }
          return false;
        }
      }),
    );
    if (known.size > 0) current = new ListSizes([...known.values()].flat());
    return outcomes.every(Boolean);
  };

  const schedule = (allRead: boolean) => {
    if (stopped || refreshMs <= 0) return;
    timer = setTimeout(() => void refresh().then(schedule), allRead ? refreshMs : Math.min(refreshMs, RETRY_MS));
    timer.unref();
  };

  return {
    current: () => current,
    async start() {
      if (refreshMs <= 0) return;
      schedule(await refresh());
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
