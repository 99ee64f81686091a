// Keeps the parts of `gongkai start` running: a part whose process ends without being asked to
// (a crash, a kill -9) is started again after a pause, while the other parts go on answering.
// The pause doubles after each quick failure up to a cap, and a part that stayed up a while
// starts over from the shortest pause; a part that keeps failing keeps being tried at the cap.

export interface PartExit {
  code: number | null;
  signal: string | null;
  /** Why the part could not be started at all, when that is how it ended. */
  failure?: string;
}

/** One run of a part: its end, and how to ask it to stop. */
export interface PartRun {
  /** Its process, for the log. */
  pid?: number | undefined;
  exited: Promise<PartExit>;
  stop(): Promise<void>;
}

export interface SupervisedPart {
  name: string;
  start(): Promise<PartRun>;
}

export interface Backoff {
  /** The first pause before a restart. */
  initialMs: number;
  /** The longest pause: a part that crash-loops is tried this often. */
  maxMs: number;
  /** A part that ran this long before it ended starts over from `initialMs`. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 10_000, resetAfterMs: 30_000 };

interface Entry {
  part: SupervisedPart;
  run: PartRun;
  startedAt: number;
  starting: Promise<unknown> | null;
}

const seconds = (ms: number): string => String(Math.round(ms / 100) / 10);

function describeExit(exit: PartExit): string {
  if (exit.failure) return `could not be started (${exit.failure})`;
  if (exit.signal) return `was killed (${exit.signal})`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}

const failedRun = (error: unknown): PartRun => ({
  exited: Promise.resolve({ code: null, signal: null, failure: error instanceof Error ? error.message : String(error) }),
  stop: async () => {},
});

export class Supervisor {
  readonly #log: (line: string) => void;
  readonly #backoff: Backoff;
  readonly #entries: Entry[] = [];
  readonly #pauses = new Set<() => void>();
  #supervising = false;
  #stopping = false;

  constructor(log: (line: string) => void, backoff: Backoff = DEFAULT_BACKOFF) {
    this.#log = log;
    this.#backoff = backoff;
  }

  /** A part started by the caller: stopped by stop(), restarted once supervise() was called. */
  track(part: SupervisedPart, run: PartRun): void {
    const entry: Entry = { part, run, startedAt: Date.now(), starting: null };
    this.#entries.push(entry);
    if (this.#supervising) void this.#keepRunning(entry);
  }

  /** From now on every tracked part that ends is started again (not during start-up, whose failures are final). */
  supervise(): void {
    if (this.#supervising) return;
    this.#supervising = true;
    for (const entry of this.#entries) void this.#keepRunning(entry);
  }

  /** Stops every part, waiting for a restart under way to finish first; nothing is restarted after. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const wake of this.#pauses) wake();
    await Promise.all(this.#entries.map((entry) => entry.starting?.catch(() => {})));
    await Promise.all(this.#entries.map((entry) => entry.run.stop()));
  }

  async #keepRunning(entry: Entry): Promise<void> {
    let pauseMs = this.#backoff.initialMs;
    let inARow = 0;
    for (;;) {
      const exit = await entry.run.exited;
      if (this.#stopping) return;
      if (Date.now() - entry.startedAt >= this.#backoff.resetAfterMs) {
        pauseMs = this.#backoff.initialMs;
        inARow = 0;
      }
      inARow += 1;
      const loop = inARow > 1 ? ` (failure ${inARow} in a row${pauseMs >= this.#backoff.maxMs ? ', retrying at the longest pause' : ''})` : '';
      this.#log(`${entry.part.name} ${describeExit(exit)}${loop}; next try in ${seconds(pauseMs)} s`);
      await this.#pause(pauseMs);
      if (this.#stopping) return;
      pauseMs = Math.min(pauseMs * 2, this.#backoff.maxMs);
      entry.startedAt = Date.now();
      const starting = entry.part.start();
      entry.starting = starting;
      try {
        entry.run = await starting;
        if (this.#stopping) return void (await entry.run.stop());
        this.#log(`${entry.part.name} started again${entry.run.pid ? ` (pid ${entry.run.pid})` : ''}`);
      } catch (error) {
        entry.run = failedRun(error);
      } finally {
        entry.starting = null;
      }
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#pauses.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#pauses.add(wake);
    });
  }
}
