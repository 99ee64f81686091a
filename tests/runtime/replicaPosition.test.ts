// When a read may go to the replica (lib/database/readReplica.ts), with the two servers' answers
// played by functions: shared questions, never an answer from before the read, a bounded wait.
import { describe, expect, it } from 'vitest';
import { ReplicaPosition, parseLsn } from '../../lib/database/readReplica.ts';

/** A promise and its resolver, for a question that answers when the test says so. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('parseLsn', () => {
  it('orders LSNs as WAL positions', () => {
    expect(parseLsn('0/FF') < parseLsn('1/0')).toBe(true);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(() => parseLsn('nonsense')).toThrow(/not an LSN/);
  });
});

describe('ReplicaPosition', () => {
  it('answers 100 concurrent reads with two questions to the primary and one poll of the replica', async () => {
    let asked = 0;
    let polled = 0;
    const position = new ReplicaPosition({
      primaryLsn: async () => (asked++, 100n),
      replayedLsn: async () => (polled++, 100n),
    });
    const answers = await Promise.all(Array.from({ length: 100 }, () => position.caughtUp()));
    expect(answers.every(Boolean)).toBe(true);
    // the first read's question, then one for the 99 that came while it was under way
    expect(asked).toBe(2);
    // the first read's poll found the replica at 100, which answers the other 99 without asking again
    expect(polled).toBe(1);
  });

  it('never lets a read use a question sent before it started: it waits for the next one', async () => {
    const questions: { promise: Promise<bigint>; resolve(value: bigint): void }[] = [];
    const position = new ReplicaPosition({
      primaryLsn: () => {
        const question = deferred<bigint>();
        questions.push(question);
        return question.promise;
      },
      replayedLsn: async () => 150n,
      waitMs: 30,
    });
    const early = position.caughtUp();
    // sent while the first question is under way: the write it follows may be newer than that answer
    const late = position.caughtUp();
    const later = position.caughtUp();
    expect(questions).toHaveLength(1);
    questions[0]!.resolve(100n);
    await expect(early).resolves.toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    // one more question for both reads that came during the first
    expect(questions).toHaveLength(2);
    questions[1]!.resolve(200n);
    // the replica is at 150: not far enough for them, so after the wait they go to the primary
    await expect(late).resolves.toBe(false);
    await expect(later).resolves.toBe(false);
  });

  it('waits for a replica that catches up within the wait, and not longer', async () => {
    let replayed = 90n;
    const catchingUp = new ReplicaPosition({ primaryLsn: async () => 100n, replayedLsn: async () => (replayed += 2n), waitMs: 1000 });
    await expect(catchingUp.caughtUp()).resolves.toBe(true);

    const stuck = new ReplicaPosition({ primaryLsn: async () => 100n, replayedLsn: async () => 90n, waitMs: 40 });
    const started = performance.now();
    await expect(stuck.caughtUp()).resolves.toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('sends the read to the primary when either server does not answer', async () => {
    const replicaAway = new ReplicaPosition({ primaryLsn: async () => 100n, replayedLsn: () => Promise.reject(new Error('connect ECONNREFUSED')) });
    await expect(replicaAway.caughtUp()).resolves.toBe(false);
    const primaryAway = new ReplicaPosition({ primaryLsn: () => Promise.reject(new Error('connect ECONNREFUSED')), replayedLsn: async () => 100n });
    await expect(primaryAway.caughtUp()).resolves.toBe(false);
    // a replica that never answers costs a read the wait, not the connection timeout
    const replicaHangs = new ReplicaPosition({ primaryLsn: async () => 100n, replayedLsn: () => new Promise(() => {}), waitMs: 30 });
    await expect(replicaHangs.caughtUp()).resolves.toBe(false);
  });
});
