// Whether a Postgres streaming replica (DATABASE_READ_URL) may answer a read without reading
// the past: a read that starts after a write was committed on the primary must see that write,
// and a replica replays the primary's WAL some milliseconds behind. So a read first learns how
// far the primary's WAL reaches (pg_current_wal_lsn()) and uses the replica only once the
// replica has replayed that far (pg_last_wal_replay_lsn()); a replica that does not get there
// within a short wait, or does not answer, leaves the read to the primary.
//
// pg_current_wal_lsn() is the position WAL has been written out to. A transaction committed
// with synchronous_commit on (Postgres' default, and every write of the hub but the nonce
// store's, which is never read from a replica) was flushed before its COMMIT returned, so that
// position is at or past its commit record; once the replica's replay passes it, the commit is
// visible to the replica's new snapshots.
//
// Both questions are shared by concurrent reads: one question to the primary answers every read
// that started before it was sent (a question already under way may predate a read's write, so
// a read joins only the next one), and one poll of the replica answers every read waiting on it.

/** An LSN as text ('16/B374D848') → a number that compares as the WAL position does. */
export function parseLsn(text: string): bigint {
  const [high, low] = text.split('/');
  if (high === undefined || low === undefined) throw new Error(`not an LSN: '${text}'`);
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

export interface ReplicaPositionOptions {
  /** The primary's WAL write position now: `select pg_current_wal_lsn()`. */
  primaryLsn(): Promise<bigint>;
  /** How far the replica has replayed: `select pg_last_wal_replay_lsn()`. */
  replayedLsn(): Promise<bigint>;
  /** The longest a read waits for the replica before going to the primary. */
  waitMs?: number;
  /** The pause between two polls of the replica while reads wait. */
  pollMs?: number;
}

interface Waiter {
  target: bigint;
  settle(onReplica: boolean): void;
}

const ignore = () => {};

export class ReplicaPosition {
  readonly #options: Required<ReplicaPositionOptions>;
  /** The highest replay position seen: replay only moves forward, so it is a lower bound of the replica's now. */
  #replayed = -1n;
  #asking: Promise<bigint> | null = null;
  #nextAsk: Promise<bigint> | null = null;
  readonly #waiters = new Set<Waiter>();
  #polling = false;

  constructor(options: ReplicaPositionOptions) {
    this.#options = { waitMs: 50, pollMs: 2, ...options };
  }

  /**
   * True when the replica has replayed everything committed on the primary before this call
   * (so a read may go there); false when it has not within `waitMs`, or either server did not
   * answer (the read goes to the primary, which says so itself if it is away).
   */
  async caughtUp(): Promise<boolean> {
    let target: bigint;
    try {
      target = await this.#primaryPosition();
    } catch {
      return false;
    }
    if (this.#replayed >= target) return true;
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        target,
        settle: (onReplica) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(onReplica);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), this.#options.waitMs);
      this.#waiters.add(waiter);
      void this.#poll();
    });
  }

  #primaryPosition(): Promise<bigint> {
    if (this.#asking === null) return this.#ask();
    this.#nextAsk ??= this.#asking.then(ignore, ignore).then(() => {
      this.#nextAsk = null;
      return this.#ask();
    });
    return this.#nextAsk;
  }

  #ask(): Promise<bigint> {
    const asking = this.#options.primaryLsn();
    this.#asking = asking;
    asking
      .finally(() => {
        if (this.#asking === asking) this.#asking = null;
      })
      .catch(ignore);
    return asking;
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      while (this.#waiters.size > 0) {
        try {
          const replayed = await this.#options.replayedLsn();
          if (replayed > this.#replayed) this.#replayed = replayed;
        } catch {
          // the replica is away: every waiting read goes to the primary
          for (const waiter of [...this.#waiters]) waiter.settle(false);
          return;
        }
        for (const waiter of [...this.#waiters]) if (this.#replayed >= waiter.target) waiter.settle(true);
        if (this.#waiters.size > 0) await new Promise((resolve) => setTimeout(resolve, this.#options.pollMs));
      }
    } finally {
      this.#polling = false;
    }
  }
}
