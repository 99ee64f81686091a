// The gateway's reading of the change logs: which answers a change makes stale (its subtrees and
// years, no other), and that a log with a gap, or another log in the same place (a restored
// database), makes every answer stale.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { ChangeFeed, type Generations } from '../../gateway/cache/changeFeed.ts';
import { recordChangesOnClient } from '../../lib/cache/changeLog.ts';
import { keysCheckedFor, regionChange, subtreeDependency, EVERYTHING } from '../../lib/cache/changes.ts';

let hub: TestHub;
let feed: ChangeFeed;
beforeAll(async () => {
  hub = await startTestHub({ answerCache: false });
  feed = new ChangeFeed(hub.databaseUrl, ['agencies', 'reports', 'hotline']);
});
afterAll(async () => {
  await feed?.close();
});

async function inTransaction(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: hub.databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    await work(client);
    await client.query('commit');
  } finally {
    await client.end();
  }
}

const record = (schema: string, ...changes: string[]) => inTransaction((client) => recordChangesOnClient(client, schema, changes));

/** What is current now, after every committed change has been read. */
async function stamp(): Promise<Generations> {
  await feed.barrier();
  return feed.generations()!;
}

const stale = (at: Generations, dependency: string) => feed.isStale(at, keysCheckedFor(dependency));

describe('the change feed', () => {
  it('makes stale what a change reaches: its subtrees in its year, and every-year answers of them', async () => {
    const before = await stamp();
    await record('reports', regionChange('430102', 2024));
    // not read yet by this gateway: the barrier reads it
    await feed.barrier();
    for (const reached of ['430102', '430100', '430000', '000000']) {
      expect(stale(before, subtreeDependency(reached, 2024)), reached).toBe(true);
      expect(stale(before, subtreeDependency(reached, null)), `${reached} every year`).toBe(true);
    }
    expect(stale(before, subtreeDependency('430102', 2023))).toBe(false);
    expect(stale(before, subtreeDependency('430103', 2024))).toBe(false);
    expect(stale(before, subtreeDependency('320000', 2024))).toBe(false);
    // an answer fetched after the change is current
    expect(stale(await stamp(), subtreeDependency('430000', 2024))).toBe(false);
  });

  it('reaches every year with an every-year change, and everything with EVERYTHING, from any subgraph', async () => {
    const before = await stamp();
    await record('agencies', regionChange('320811', null));
    await feed.barrier();
    expect(stale(before, subtreeDependency('320800', 2015))).toBe(true);
    expect(stale(before, subtreeDependency('430000', 2015))).toBe(false);
    const next = await stamp();
    await record('hotline', EVERYTHING);
    await feed.barrier();
    expect(stale(next, subtreeDependency('430000', 2015))).toBe(true);
    expect(feed.isStale(next, [EVERYTHING])).toBe(true);
  });

  it('shares one read among concurrent callers, each read started after the caller arrived', async () => {
    await stamp();
    const before = feed.generations()!;
    // a read in flight; the write commits; a barrier asked after the commit must see it
    const inFlight = feed.barrier();
    await record('reports', regionChange('110101', 2020));
    const after = feed.barrier();
    await Promise.all([inFlight, after]);
    expect(stale(before, subtreeDependency('110000', 2020))).toBe(true);
  });

  it('makes everything stale after a gap (changes pruned before they were read)', async () => {
    const before = await stamp();
    await record('reports', regionChange('620102', 2019));
    await inTransaction((client) => client.query('delete from reports.cache_change where generation = (select max(generation) from reports.cache_change)'));
    await record('reports', regionChange('620102', 2019));
    await feed.barrier();
    expect(stale(before, subtreeDependency('320000', 2001))).toBe(true);
  });

  it('makes everything stale when the log is another one with the same generation (a restored database)', async () => {
    const before = await stamp();
    await inTransaction(async (client) => {
      const { rows } = await client.query('select value from reports.cache_generation');
      await client.query('drop table reports.cache_generation');
      await client.query('create table reports.cache_generation (only_row boolean primary key default true check (only_row), value bigint not null)');
      await client.query('insert into reports.cache_generation (value) values ($1)', [rows[0].value]);
    });
    await feed.barrier();
    expect(feed.generations()!.read).toEqual(before.read);
    expect(stale(before, subtreeDependency('320000', 2001))).toBe(true);
  });
});
