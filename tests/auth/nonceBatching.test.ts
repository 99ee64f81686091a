// The nonce store shares one insert among the claims of one turn of the event loop
// (lib/auth/nonceStore.ts) and still lets exactly one claim of a nonce succeed, within a batch,
// across batches and across replicas (two stores on the same table).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresNonceStore } from '../../lib/auth/nonceStore.ts';
import { createTestDatabase } from '../support/database.ts';

const fresh = () => randomBytes(16).toString('base64url');
const inAMinute = () => Date.now() + 60_000;

describe('PostgresNonceStore: claims batched per turn of the event loop', () => {
  let url: string;
  let replicaA: PostgresNonceStore;
  let replicaB: PostgresNonceStore;
  beforeAll(async () => {
    url = await createTestDatabase();
    replicaA = new PostgresNonceStore(url, 'reports');
    replicaB = new PostgresNonceStore(url, 'reports');
  });
  afterAll(async () => {
    await replicaA?.close();
    await replicaB?.close();
  });

  it('answers concurrent claims of distinct nonces with one statement, each claimed', async () => {
    const query = vi.spyOn(pg.Pool.prototype, 'query');
    try {
      const claims = await Promise.all(Array.from({ length: 20 }, () => replicaA.claim(fresh(), inAMinute())));
      expect(claims).toEqual(Array(20).fill(true));
      expect(query).toHaveBeenCalledTimes(1);
    } finally {
      query.mockRestore();
    }
  });

  it('lets only the first of two concurrent claims of one nonce succeed', async () => {
    const nonce = fresh();
    expect(await Promise.all([replicaA.claim(nonce, inAMinute()), replicaA.claim(nonce, inAMinute())])).toEqual([true, false]);
  });

  it('refuses a nonce claimed in an earlier batch', async () => {
    const nonce = fresh();
    expect(await replicaA.claim(nonce, inAMinute())).toBe(true);
    expect(await replicaA.claim(nonce, inAMinute())).toBe(false);
  });

  it('lets exactly one replica claim a nonce both claim at once', async () => {
    for (let i = 0; i < 10; i++) {
      const nonce = fresh();
      const [a, b] = await Promise.all([replicaA.claim(nonce, inAMinute()), replicaB.claim(nonce, inAMinute())]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
    }
  });

  it('mixes fresh and replayed nonces in one batch and answers each', async () => {
    const seen = fresh();
    expect(await replicaB.claim(seen, inAMinute())).toBe(true);
    const other = fresh();
    expect(await Promise.all([replicaA.claim(seen, inAMinute()), replicaA.claim(other, inAMinute())])).toEqual([false, true]);
  });

  it('fails every claim of a batch when the database cannot be reached', async () => {
    const away = new PostgresNonceStore('postgres://gongkai:secret@127.0.0.1:1/gongkai', 'reports');
    try {
      const outcomes = await Promise.allSettled([away.claim(fresh(), inAMinute()), away.claim(fresh(), inAMinute())]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await away.close();
    }
  });
});
