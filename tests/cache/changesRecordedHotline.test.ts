// Every write of the hotline subgraph records where it changed something in the hotline's
// change log, in its transaction: a batch of tickets at every (region, year in China Standard
// Time) it wrote, and where a ticket it moved was before; a year rollup whose rows were served,
// refreshed again (`--all`), at every region of the province it replaced in that year;
// EVERYTHING for the sample removed — and nothing for a batch that changed nothing or rolled
// back, or a refresh of a stale year (whose figures were computed from the tickets).
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { useTestKey } from '../hotline/support.ts';
import { recordChangesOnClient } from '../../lib/cache/changeLog.ts';
import { createAgency } from '../../subgraphs/agencies/directory/agencyWrites.ts';
import { upsertTickets, type ResolvedTicket } from '../../subgraphs/hotline/import/upsertTickets.ts';
import { refreshYearRollups } from '../../subgraphs/hotline/rollups/yearRollup.ts';
import { loadSampleTickets } from '../../subgraphs/hotline/sample/sampleTickets.ts';
import { removeSampleTickets } from '../../subgraphs/hotline/sample/removeSample.ts';
import { lastGeneration, openSubgraph, query, recordedBy, recordedSince } from './changesRecordedSupport.ts';

let url: string;
let agencies: () => EntityManager;
let hotline: () => EntityManager;
beforeAll(async () => {
  useTestKey();
  url = await createTestDatabase();
  agencies = await openSubgraph(url, 'agencies');
  hotline = await openSubgraph(url, 'hotline');
});

const recorded = (write: () => Promise<unknown>) => recordedBy(url, 'hotline', write);

let line = 0;
const ticket = (platformId: string, regionCode: string, receivedAt: string): ResolvedTicket => ({
  sourceLine: ++line,
  lineCode: '12345',
  platformId,
  channelCode: null,
  categoryCode: null,
  topic: null,
  regionCode,
  agencyId: null,
  dispatchMode: null,
  receivedAt: new Date(receivedAt),
  dispatchedAt: null,
  dueAt: null,
  resolvedAt: null,
  closedAt: null,
  satisfaction: null,
  callerName: null,
  callerPhone: null,
  text: null,
  status: null,
  events: [],
});

const upsert = (rows: ResolvedTicket[], withinBatch?: () => Promise<void>) =>
  upsertTickets(hotline(), rows, { dataOrigin: 'OFFICIAL', source: 'test', ...(withinBatch ? { withinBatch } : {}) });

describe('the hotline change log', () => {
  it('records a batch at the distinct regions and years (China Standard Time) of the tickets it wrote', async () => {
    expect(
      await recorded(() =>
        upsert([
          ticket('C1', '430102', '2024-03-01T10:00:00+08:00'),
          ticket('C2', '430102', '2024-05-01T10:00:00+08:00'),
          // 2024-12-31 16:30 UTC: already 2025 in Beijing
          ticket('C3', '430103', '2025-01-01T00:30:00+08:00'),
          ticket('C4', '320102', '2024-12-31T23:30:00+08:00'),
        ]),
      ),
    ).toEqual([['w:320102@2024', 'w:430102@2024', 'w:430103@2025']]);
    // the same tickets again: nothing written, nothing recorded
    expect(await recorded(() => upsert([ticket('C1', '430102', '2024-03-01T10:00:00+08:00')]))).toEqual([]);
  });

  it('records where a ticket moved from as well as where it is now', async () => {
    await upsert([ticket('M1', '430100', '2025-01-01T00:30:00+08:00')]);
    // a county is more precise than its city, an earlier time is when it was received: moved to 430102 in 2024
    expect(await recorded(() => upsert([ticket('M1', '430102', '2024-12-31T23:00:00+08:00')]))).toEqual([['w:430100@2025', 'w:430102@2024']]);
  });

  it('records nothing for a batch that rolled back or a stale year rollup refreshed, and a served one refreshed again at its regions', async () => {
    const before = await lastGeneration(url, 'hotline');
    await expect(
      upsert([ticket('R1', '640104', '2024-02-01T10:00:00+08:00')], async () => {
        throw new Error('the batch fails after its writes');
      }),
    ).rejects.toThrow('the batch fails after its writes');
    expect(await lastGeneration(url, 'hotline')).toBe(before);
    expect(await query(url, `select 1 from hotline.ticket where platform_id = 'R1'`)).toEqual([]);

    // the earlier cases left 32 in 2024, 43 in 2024 and 2025 stale: refreshed, no answer changes
    expect(await recorded(() => refreshYearRollups(hotline()))).toEqual([]);
    // refreshed again though current (after agencies changed level): every region it holds
    expect(await recorded(() => refreshYearRollups(hotline(), { all: true }))).toEqual([
      ['w:320000@2024', 'w:320100@2024', 'w:320102@2024'],
      ['w:430000@2024', 'w:430100@2024', 'w:430102@2024'],
      ['w:430000@2025', 'w:430100@2025', 'w:430103@2025'],
    ]);
  });

  it('refreshes a year rollup again when another hotline write records while it runs', async () => {
    await upsert([ticket('W1', '640104', '2024-02-01T10:00:00+08:00')]);
    await refreshYearRollups(hotline());
    const before = await lastGeneration(url, 'hotline');
    // a writer that has recorded its change and not committed: it holds the generation row
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    try {
      await writer.query('begin');
      await recordChangesOnClient(writer, 'hotline', ['w:650102@2024']);
      const refreshing = refreshYearRollups(hotline(), { all: true });
      const deadline = Date.now() + 20_000;
      for (;;) {
        const [row] = await query<{ n: number }>(
          url,
          `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%cache_generation set value%'`,
        );
        if (row!.n > 0) break;
        if (Date.now() > deadline) throw new Error('the refresh never waited for the writer');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await writer.query('commit');
      // its first attempt read from before the writer's commit: it fails and is tried again
      expect(await refreshing).toMatchObject({ refreshed: 4, skipped: 0 });
    } finally {
      await writer.end();
    }
    const [written, ...refreshed] = await recordedSince(url, 'hotline', before);
    expect(written).toEqual(['w:650102@2024']);
    expect(refreshed).toHaveLength(4);
    expect(refreshed).toContainEqual(['w:640000@2024', 'w:640100@2024', 'w:640104@2024']);
  });

  it('records the sample tickets where they are, and EVERYTHING when they are removed', async () => {
    await createAgency(agencies(), { name: '长沙市热线测试局', regionCode: '430100', sector: 'COMMERCE' });
    const loading = await recorded(() => loadSampleTickets(hotline(), { log: () => {}, count: 60 }));
    const places = await query<{ place: string }>(
      url,
      `select distinct 'w:' || region_code || '@' || extract(year from received_at at time zone 'Asia/Shanghai') as place
         from hotline.ticket where data_origin = 'SAMPLE' order by 1`,
    );
    expect(loading).toEqual([places.map((p) => p.place)]);
    // then the year rollups of what the removal touched are refreshed, stale: nothing more
    expect(await recorded(() => removeSampleTickets(hotline()))).toEqual([['*']]);
    expect(await recorded(() => removeSampleTickets(hotline()))).toEqual([]);
  });
});
