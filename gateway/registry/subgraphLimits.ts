// What keeps a bad municipal subgraph from slowing the province: each gateway process holds, per
// subgraph, its limits (gateway/registry/subgraphSettings.ts), its circuit breaker, the number of
// its subrequests in flight and whether its schema has drifted. Every subrequest to it passes
// through `run`, which refuses at once — its fields null, a stable code naming it — when it has
// drifted (SUBGRAPH_DRIFTED), has as many subrequests in flight as it may (SUBGRAPH_BUSY), or has
// failed repeatedly (SUBGRAPH_CIRCUIT_OPEN). The health checks (gateway/registry/health.ts) keep
// the settings, the drift and the last check here; /health and /metrics read them.
import { clientError } from '../../lib/graphql/errors.ts';
import { Counter, type MetricsRegistry } from '../../lib/observability/metrics.ts';
import { CircuitBreaker, type BreakerState } from './circuitBreaker.ts';
import type { SubgraphStatus } from './store.ts';
import { BREAKER_WINDOW_MS, defaultLimits, type SubgraphSettings } from './subgraphSettings.ts';

export type RefusalCode = 'SUBGRAPH_DRIFTED' | 'SUBGRAPH_BUSY' | 'SUBGRAPH_CIRCUIT_OPEN';

interface Guarded {
  settings: SubgraphSettings;
  breaker: CircuitBreaker;
  inFlight: number;
  drifted: boolean;
  health: { status: SubgraphStatus; latencyMs: number | null; checkedAt: string | null; error: string | null };
}

/** What /health shows of a municipal subgraph. */
export interface MunicipalHealth {
  status: SubgraphStatus;
  breaker: BreakerState;
  inFlight: number;
  latencyMs: number | null;
  lastCheckedAt: string | null;
  lastError: string | null;
}

const BREAKER_GAUGE: Record<BreakerState, number> = { closed: 0, open: 1, 'half-open': 0.5 };

export function refusal(code: RefusalCode, name: string, limit?: number): Error {
  const message =
    code === 'SUBGRAPH_DRIFTED'
      ? `the municipal subgraph ${name} serves another schema than the one it was registered with; its fields are null until it serves that one again or is re-registered`
      : code === 'SUBGRAPH_BUSY'
        ? `the municipal subgraph ${name} has ${limit} requests in flight, as many as it may; its fields are null — retry shortly`
        : `the municipal subgraph ${name} failed repeatedly and is not called for now (circuit breaker open); its fields are null until it recovers`;
  return clientError(code, message, { serviceName: name });
}

export class SubgraphResilience {
  readonly #subgraphs = new Map<string, Guarded>();
  readonly #refusals = new Counter('gongkai_subgraph_refusals_total', 'Subrequests to a municipal subgraph the gateway refused without sending, by reason (SUBGRAPH_CIRCUIT_OPEN, SUBGRAPH_BUSY, SUBGRAPH_DRIFTED)', ['subgraph', 'reason']);

  #of(name: string): Guarded {
    let guarded = this.#subgraphs.get(name);
    if (!guarded) {
      const limits = defaultLimits();
      guarded = {
        settings: { limits, headers: {} },
        breaker: new CircuitBreaker({ failures: limits.breakerFailures, cooldownMs: limits.breakerCooldownMs, windowMs: BREAKER_WINDOW_MS }),
        inFlight: 0,
        drifted: false,
        health: { status: 'UNKNOWN', latencyMs: null, checkedAt: null, error: null },
      };
      this.#subgraphs.set(name, guarded);
    }
    return guarded;
  }

  /** The registered subgraphs' settings, as the registry holds them now; the others are forgotten. */
  configure(all: ReadonlyMap<string, SubgraphSettings>): void {
    for (const name of this.#subgraphs.keys()) if (!all.has(name)) this.#subgraphs.delete(name);
    for (const [name, settings] of all) {
      const guarded = this.#of(name);
      guarded.settings = settings;
      // the breaker keeps its state: new thresholds apply from the next request
      guarded.breaker.settings = { failures: settings.limits.breakerFailures, cooldownMs: settings.limits.breakerCooldownMs, windowMs: BREAKER_WINDOW_MS };
    }
  }

  /** The outcome of a health check. */
  checked(name: string, health: { status: SubgraphStatus; latencyMs: number | null; error: string | null }): void {
    const guarded = this.#of(name);
    guarded.drifted = health.status === 'DRIFTED';
    guarded.health = { ...health, checkedAt: new Date().toISOString() };
  }

  /**
   * Just (re-)registered: it answered with the SDL now registered, so it has not drifted, and the
   * failures of its previous address or schema no longer count.
   */
  registered(name: string): void {
    const guarded = this.#of(name);
    guarded.drifted = false;
    guarded.breaker = new CircuitBreaker(guarded.breaker.settings);
    guarded.health = { status: 'UNKNOWN', latencyMs: null, checkedAt: null, error: null };
  }

  settingsOf(name: string): SubgraphSettings {
    return this.#of(name).settings;
  }

  breakerState(name: string): BreakerState {
    return this.#of(name).breaker.state;
  }

  /**
   * Sends one subrequest through the subgraph's guards. `send` rejecting with an error for which
   * `isFailure` holds (no answer, a timeout, a 5xx) counts against the breaker; anything else it
   * answered, even an error of its own, shows it is there.
   */
  async run<T>(name: string, send: (settings: SubgraphSettings) => Promise<T>, isFailure: (error: unknown) => boolean): Promise<T> {
    const guarded = this.#of(name);
    const refuse = (code: RefusalCode, limit?: number) => {
      this.#refusals.inc({ subgraph: name, reason: code });
      return refusal(code, name, limit);
    };
    if (guarded.drifted) throw refuse('SUBGRAPH_DRIFTED');
    const { maxConcurrency } = guarded.settings.limits;
    if (guarded.inFlight >= maxConcurrency) throw refuse('SUBGRAPH_BUSY', maxConcurrency);
    if (!guarded.breaker.admit()) throw refuse('SUBGRAPH_CIRCUIT_OPEN');
    guarded.inFlight++;
    try {
      const result = await send(guarded.settings);
      guarded.breaker.succeeded();
      return result;
    } catch (error) {
      if (isFailure(error)) guarded.breaker.failed();
      else guarded.breaker.succeeded();
      throw error;
    } finally {
      guarded.inFlight--;
    }
  }

  /** For /health: each municipal subgraph's state in this gateway process. */
  report(): Record<string, MunicipalHealth> {
    const out: Record<string, MunicipalHealth> = {};
    for (const [name, g] of [...this.#subgraphs].sort(([a], [b]) => a.localeCompare(b))) {
      out[name] = { status: g.health.status, breaker: g.breaker.state, inFlight: g.inFlight, latencyMs: g.health.latencyMs, lastCheckedAt: g.health.checkedAt, lastError: g.health.error };
    }
    return out;
  }

  /** Shows the breakers, the subrequests in flight, the last checks and the refusals in the gateway's /metrics. */
  observe(metrics: MetricsRegistry): void {
    metrics.register(this.#refusals);
    const breaker = metrics.gauge('gongkai_subgraph_breaker_state', 'The circuit breaker of a municipal subgraph in this gateway: 0 closed, 0.5 half-open (probing), 1 open (its fields answer null at once)', ['subgraph']);
    const inFlight = metrics.gauge('gongkai_subgraph_in_flight', 'Subrequests to a municipal subgraph in flight now', ['subgraph']);
    const up = metrics.gauge('gongkai_subgraph_health_up', 'Whether a municipal subgraph passed its last health check (1 UP; 0 DOWN, DRIFTED or not yet checked)', ['subgraph']);
    const latency = metrics.gauge('gongkai_subgraph_health_latency_seconds', 'How long the last health check of a municipal subgraph took', ['subgraph']);
    metrics.collect(() => {
      for (const gauge of [breaker, inFlight, up, latency]) gauge.clear();
      for (const [name, g] of this.#subgraphs) {
        breaker.set({ subgraph: name }, BREAKER_GAUGE[g.breaker.state]);
        inFlight.set({ subgraph: name }, g.inFlight);
        up.set({ subgraph: name }, g.health.status === 'UP' ? 1 : 0);
        if (g.health.latencyMs !== null) latency.set({ subgraph: name }, g.health.latencyMs / 1000);
      }
    });
  }
}
