// The registry checks every municipal subgraph periodically, at the address pinned when it was
// registered: its /health when it has one, else a `{ __typename }` POST, then its live
// `{ _service { sdl } }`, compared with the SDL it was registered with (gateway/registry/drift.ts).
// UP, DOWN or DRIFTED with the reason in a word (never what the target answered) and how long the
// check took go into registry.subgraph, where `gongkai subgraph list` and Query.subgraphs read
// them, and into this gateway's SubgraphResilience, which refuses a DRIFTED subgraph's
// subrequests at once. A DOWN or DRIFTED subgraph stays in the graph: the gateway answers its
// fields with null and an error until it is back (or matches again).
import type { MikroORM } from '@mikro-orm/postgresql';
import { pinSubgraphAddress, type SubgraphAddressPolicy } from './addresses.ts';
import { municipalTimeoutMs } from './compose.ts';
import { clientTlsFromEnv } from './clientTls.ts';
import { sdlDrifted } from './drift.ts';
import { OutboundError, requestPinned, type OutboundResponse } from './outbound.ts';
import { listSubgraphs, recordHealth, type SubgraphStatus } from './store.ts';
import { SubgraphResilience } from './subgraphLimits.ts';
import { loadSettings } from './subgraphSettings.ts';
import { isDatabaseUnavailable } from '../../lib/database/availability.ts';

export interface Probe {
  status: Exclude<SubgraphStatus, 'UNKNOWN'>;
  /**
   * What admins see (registry.subgraph.last_error): "unreachable", "not a subgraph", "address
   * not allowed" or "schema drifted" — never the target's status, body or error text.
   */
  error: string | null;
  /** Why, for the gateway's log only. */
  detail: string | null;
}

const up: Probe = { status: 'UP', error: null, detail: null };
const down = (error: 'unreachable' | 'not a subgraph' | 'address not allowed', detail: string): Probe => ({ status: 'DOWN', error, detail });
const drifted: Probe = { status: 'DRIFTED', error: 'schema drifted', detail: 'its live { _service { sdl } } differs from the SDL it was registered with' };

/** A check's outcome and how long it took (ms). */
export async function timedProbe(...args: Parameters<typeof probeSubgraph>): Promise<Probe & { latencyMs: number }> {
  const started = performance.now();
  const probe = await probeSubgraph(...args);
  return { ...probe, latencyMs: Math.round(performance.now() - started) };
}

/**
 * Checks one subgraph at its pinned address: GET /health, or `{ __typename }` when it has no such
 * route; then, when `subgraph.sdl` (the registered SDL) is given, whether its live SDL is still it.
 * `headers`: those registered to be sent to it (an Authorization the city asks of the province).
 */
export async function probeSubgraph(
  policy: SubgraphAddressPolicy,
  subgraph: { name: string; url: string; address?: string | null; sdl?: string },
  timeoutMs = municipalTimeoutMs(),
  headers: Record<string, string> = {},
): Promise<Probe> {
  const url = new URL(subgraph.url);
  let address = subgraph.address;
  try {
    // registered before addresses were pinned: resolved (and checked) for this check only
    address ??= await pinSubgraphAddress(policy, subgraph.name, url);
  } catch (error) {
    const code = (error as { extensions?: { code?: string } }).extensions?.code;
    return code === 'SUBGRAPH_ADDRESS_NOT_ALLOWED' ? down('address not allowed', 'its host name resolves to a refused address') : down('unreachable', 'its host name does not resolve');
  }
  const send = (target: URL, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }): Promise<OutboundResponse> =>
    requestPinned(policy, target, address, { ...init, headers: { ...init.headers, ...headers }, timeoutMs, maxBytes: init.body?.includes('_service') ? 4 * 1024 * 1024 : 64 * 1024 });
  const graphql = { 'content-type': 'application/json', accept: 'application/json', 'apollo-require-preflight': 'true' };
  /** UP, or DRIFTED when its live SDL is not the one registered. */
  const compareSdl = async (): Promise<Probe> => {
    if (subgraph.sdl === undefined) return up;
    const response = await send(url, { method: 'POST', headers: graphql, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
    let live: unknown;
    try {
      live = (JSON.parse(response.body.toString('utf8')) as { data?: { _service?: { sdl?: unknown } } } | null)?.data?._service?.sdl;
    } catch {
      // not JSON
    }
    if (response.status < 200 || response.status > 299 || typeof live !== 'string') return down('not a subgraph', `{ _service { sdl } } answered HTTP ${response.status} without an SDL`);
    return sdlDrifted(subgraph.sdl, live) ? drifted : up;
  };
  try {
    const health = await send(new URL('/health', url), { method: 'GET' });
    if (health.status >= 200 && health.status < 300) return await compareSdl();
    // no /health route: ask the GraphQL endpoint itself
    if (health.status !== 404 && health.status !== 405 && health.status !== 400) return down('unreachable', `/health answered HTTP ${health.status}`);
    const response = await send(url, { method: 'POST', headers: graphql, body: JSON.stringify({ query: '{ __typename }' }) });
    let body: { data?: { __typename?: string } } | null = null;
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      // not JSON: not a subgraph
    }
    if (response.status >= 200 && response.status < 300 && body?.data?.__typename) return await compareSdl();
    return down('not a subgraph', `{ __typename } answered HTTP ${response.status}`);
  } catch (error) {
    if (error instanceof OutboundError && error.kind === 'not-allowed') return down('address not allowed', error.message);
    if (error instanceof OutboundError && error.kind === 'too-large') return down('not a subgraph', error.message);
    return down('unreachable', (error as Error).message);
  }
}

export interface HealthChecks {
  /** Checks every registered subgraph now (and records the outcome). */
  checkNow(): Promise<void>;
  stop(): void;
  /** What the checks learnt, for this gateway's subrequests, /health and /metrics. */
  resilience: SubgraphResilience;
}

export function startHealthChecks(orm: MikroORM, intervalMs: number, log: (line: string) => void, policy: SubgraphAddressPolicy): HealthChecks {
  const resilience = new SubgraphResilience();
  // read now: a certificate file that cannot be read stops the gateway at start, not every request later
  log(`municipal subgraphs over https: ${clientTlsFromEnv().description}`);
  let running: Promise<void> | null = null;
  const known = new Map<string, SubgraphStatus>();
  // the registry's database away: said once when it goes, once when it is back
  let databaseAway = false;
  const check = async () => {
    const em = orm.em.fork();
    const subgraphs = await listSubgraphs(em);
    // the settings of each registration (timeout, cap, breaker, headers) reach the gateway here
    const settings = await loadSettings(em);
    resilience.configure(settings);
    await Promise.all(
      subgraphs.map(async (subgraph) => {
        const own = resilience.settingsOf(subgraph.name);
        const probe = await timedProbe(policy, subgraph, own.limits.timeoutMs, own.headers);
        resilience.checked(subgraph.name, { status: probe.status, latencyMs: probe.latencyMs, error: probe.error });
        await recordHealth(em, subgraph.name, probe.status, probe.error, probe.latencyMs);
        if (known.get(subgraph.name) !== probe.status) log(`subgraph ${subgraph.name} is ${probe.status}${probe.error ? ` (${probe.error}: ${probe.detail})` : ''}`);
        known.set(subgraph.name, probe.status);
      }),
    );
    if (databaseAway) log(`the registry's database is back; municipal subgraphs are checked again`);
    databaseAway = false;
  };
  const checkNow = () => {
    running ??= check()
      .catch((error: unknown) => {
        if (!isDatabaseUnavailable(error)) return log(`health check failed: ${(error as Error).message}`);
        if (!databaseAway) log(`the registry's database is unavailable; municipal subgraphs are not checked until it is back`);
        databaseAway = true;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void checkNow(), intervalMs);
  timer.unref();
  void checkNow();
  return { checkNow, stop: () => clearInterval(timer), resilience };
}
