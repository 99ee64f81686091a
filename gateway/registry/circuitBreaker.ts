// A circuit breaker for one municipal subgraph: after `failures` failures in a row (no answer,
// a timeout, a 5xx), each within `windowMs` of the one before, it opens, and for `cooldownMs` the
// subgraph is not called at all: its fields answer null at once instead of costing every query
// the timeout. Then one request at a time is let through (half-open); the first that succeeds
// closes it, one that fails opens it for another cool-down.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  failures: number;
  cooldownMs: number;
  /** Failures further apart than this do not add up: a subgraph failing once an hour stays closed. */
  windowMs: number;
}

export class CircuitBreaker {
  settings: BreakerSettings;
  readonly #now: () => number;
  #streak = 0;
  #lastFailureAt = -Infinity;
  #openedAt: number | null = null;
  /** A half-open probe is out: the others wait for its outcome (refused meanwhile). */
  #probing = false;

  constructor(settings: BreakerSettings, now: () => number = () => performance.now()) {
    this.settings = settings;
    this.#now = now;
  }

  get state(): BreakerState {
    if (this.#openedAt === null) return 'closed';
    return this.#now() - this.#openedAt >= this.settings.cooldownMs ? 'half-open' : 'open';
  }

  /**
   * Whether a request may go now. A `true` in half-open is the probe: its outcome must be
   * reported (succeeded / failed / abandoned).
   */
  admit(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#probing) return false;
    this.#probing = true;
    return true;
  }

  succeeded(): void {
    this.#streak = 0;
    this.#openedAt = null;
    this.#probing = false;
  }

  failed(): void {
    const now = this.#now();
    this.#streak = now - this.#lastFailureAt <= this.settings.windowMs ? this.#streak + 1 : 1;
    this.#lastFailureAt = now;
    // a failed probe, or the streak reached: (re)open for a full cool-down
    if (this.#probing || this.#openedAt !== null || this.#streak >= this.settings.failures) this.#openedAt = now;
    this.#probing = false;
  }

  /** A request let through that ended neither way (refused before sending): the next may probe. */
  abandoned(): void {
    this.#probing = false;
  }
}
