// DATABASE_READ_URL against a real streaming replica (./streamingReplica.ts): a subgraph's
// queries go to the replica once it has replayed the primary's latest commit, and a read that
// starts after a write sees it, every time — also while the replica's replay is paused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Identity } from '../../lib/auth/identity.ts';
import { newInternalKey, signInternalRequest } from '../../lib/auth/internalSignature.ts';
import { ensureDatabase } from '../../lib/database/createDatabase.ts';
import { databaseUrl } from '../../lib/database/urls.ts';
import { startSubgraph, type RunningSubgraph } from '../../lib/runtime/subgraph.ts';
import { agenciesSubgraph } from '../../subgraphs/agencies/subgraph.ts';
import { eventually } from '../support/eventually.ts';
import { startPrimaryWithReplica, type PrimaryAndReplica } from './streamingReplica.ts';

const DATABASE = 'gongkai_replica_test';
const ADMIN: Identity = { subject: 'test-admin', region: '000000', roles: ['admin'] };
const PUBLIC: Identity = { subject: null, region: null, roles: [] };

let servers: PrimaryAndReplica;
let subgraph: RunningSubgraph;
const internalKey = Buffer.from(newInternalKey(), 'base64');

beforeAll(async () => {
  servers = await startPrimaryWithReplica();
  await ensureDatabase(databaseUrl(servers.primaryUrl, DATABASE));
  subgraph = await startSubgraph(agenciesSubgraph, {
    databaseUrl: databaseUrl(servers.primaryUrl, DATABASE),
    readDatabaseUrl: databaseUrl(servers.replicaUrl, DATABASE),
    port: 0,
    internalKey,
    log: () => {},
  });
  // the subgraph started on the primary; the replica replays its migrations a moment later
  await eventually(() => onReplica<{ ready: boolean }>(`select to_regclass('agencies.agency') is not null as ready`), (row) => row.ready, 30_000);
});

afterAll(async () => {
  await subgraph?.close();
  await servers?.stop();
});

async function ask<T = any>(identity: Identity, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: T; errors?: unknown[] }> {
  const payload = { query, variables };
  const response = await fetch(subgraph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signInternalRequest(internalKey, identity, payload, { audience: 'agencies' }) },
    body: JSON.stringify(payload),
  });
  return (await response.json()) as { data?: T; errors?: unknown[] };
}

async function onReplica<Row>(text: string, params: unknown[] = []): Promise<Row> {
  const client = new pg.Client({ connectionString: databaseUrl(servers.replicaUrl, DATABASE) });
  await client.connect();
  try {
    return (await client.query(text, params)).rows[0] as Row;
  } finally {
    await client.end();
  }
}

/**
 * Scans of the agency table on the replica: only the subgraph's reads make them (the position
 * polls read no table, and the replica's own statistics count only its own queries).
 */
const replicaScans = async (): Promise<number> =>
  Number(
    (await onReplica<{ n: string }>(`select coalesce(seq_scan, 0) + coalesce(idx_scan, 0) as n from pg_stat_user_tables where relid = 'agencies.agency'::regclass`)).n,
  );

const CREATE = 'mutation ($name: String!) { createAgency(input: { name: $name, regionCode: "430102", sector: "COMMERCE" }) { id } }';
const READ = 'query ($id: ID!) { agency(id: $id) { id name } }';

async function writeThenRead(name: string): Promise<{ id: string; seen: string | null }> {
  const created = await ask<{ createAgency: { id: string } }>(ADMIN, CREATE, { name });
  expect(created.errors).toBeUndefined();
  const id = created.data!.createAgency.id;
  const read = await ask<{ agency: { name: string } | null }>(PUBLIC, READ, { id });
  expect(read.errors).toBeUndefined();
  return { id, seen: read.data!.agency?.name ?? null };
}

describe('reads from a streaming replica (DATABASE_READ_URL)', () => {
  it('the replica is a standby that replays the primary', async () => {
    expect(await onReplica<{ standby: boolean }>('select pg_is_in_recovery() as standby')).toEqual({ standby: true });
  });

  it('writes, and the reads of callers whose reads are audited, stay on the primary', { timeout: 120_000 }, async () => {
    const before = await replicaScans();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const created = await ask<{ createAgency: { id: string } }>(ADMIN, CREATE, { name: `主库测试局${i}` });
      const id = created.data!.createAgency.id;
      // an admin may read personal data (every such read is a write to the audit log): primary
      const read = await ask<{ agency: { name: string } }>(ADMIN, READ, { id });
      expect(read.data!.agency.name).toBe(`主库测试局${i}`);
      ids.push(id);
    }
    // then 20 public reads, which may go to the replica: once their scans show, an admin read
    // sent there before them (by the same pooled connections) would show too (this test runs
    // first: the replica's statistics have nothing else pending)
    for (const id of ids) expect((await ask(PUBLIC, READ, { id })).errors).toBeUndefined();
    const after = await eventually(replicaScans, (n) => n - before >= ids.length, 15_000);
    expect(after - before).toBeLessThanOrEqual(ids.length);
  });

  // a write and a read each way: seconds on a quiet machine, a minute or more on a busy one
  it('a read right after a write sees it, 300 times in a row, and the reads ran on the replica', { timeout: 240_000 }, async () => {
    // the replica's statistics reach pg_stat_database within a second or so of a transaction
    const before = await replicaScans();
    const tries = 300;
    for (let i = 0; i < tries; i++) {
      const { seen } = await writeThenRead(`读写一致测试局${i}`);
      expect(seen).toBe(`读写一致测试局${i}`);
    }
    const after = await eventually(replicaScans, (n) => n - before >= tries / 2, 20_000);
    // every read that found the replica caught up within 50 ms ran there; most do on a quiet machine
    expect(after - before).toBeGreaterThanOrEqual(tries / 2);
  });

  it('reads go to the primary while the replica lags (its replay paused), and still see every write', async () => {
    await onReplica('select pg_wal_replay_pause()');
    try {
      const { id, seen } = await writeThenRead('回放暂停测试局');
      expect(seen).toBe('回放暂停测试局');
      // the replica does not have the agency: the answer came from the primary
      expect(await onReplica('select count(*)::int as n from agencies.agency where id = $1', [Number(id)])).toEqual({ n: 0 });
    } finally {
      await onReplica('select pg_wal_replay_resume()');
    }
  });

});
