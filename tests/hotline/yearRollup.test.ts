// The year rollup (subgraphs/hotline/rollups/yearRollup.ts): stored figures equal the figures
// computed from the tickets, for every region, level and breakdown; any write to a ticket makes
// its (province, year) stale at once, in the writing transaction; a refresh that overlaps a
// write does not store figures that miss it.
import { beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { runCli } from '../support/cli.ts';
import { openOrm, query, useTestKey } from './support.ts';
import { hotlineSubgraph } from '../../subgraphs/hotline/subgraph.ts';
import { countStatements } from '../../lib/database/statementCounter.ts';
import { subtreePrefix } from '../../lib/regions/codes.ts';
import { periodArguments } from '../../subgraphs/hotline/rollups/period.ts';
import { regionScopes, rollup, type Figures } from '../../subgraphs/hotline/rollups/rollupSql.ts';
import { endedCalendarYear, figuresOfRegions, refreshYearRollups } from '../../subgraphs/hotline/rollups/yearRollup.ts';

let hub: TestHub;
let em: () => EntityManager;
let codes: string[];
beforeAll(async () => {
  useTestKey();
  // the hub's bootstrap loads the sample tickets (2024 and 2025) and refreshes the year rollup
  hub = await startTestHub({ sampleData: true });
  const orm = await openOrm(hub.databaseUrl, hotlineSubgraph);
  em = () => orm.em.fork();
  codes = (await query<{ code: string }>(hub.databaseUrl, `select code from directory.region where left(code, 2) in ('32', '43') order by code`)).map((r) => r.code);
});

const computed = (some: string[], year: number, includeSubtree: boolean): Promise<Figures[]> =>
  rollup(em(), regionScopes(some, includeSubtree, subtreePrefix), periodArguments({ year }), some, { breakdowns: true });
const stored = (some: string[], year: number, includeSubtree: boolean) =>
  countStatements(() => figuresOfRegions(em(), some, periodArguments({ year }), { includeSubtree, breakdowns: true }));

const state = (prefix: string, year: number) =>
  query<{ generation: string; refreshed_generation: string | null }>(
    hub.databaseUrl,
    `select generation, refreshed_generation from hotline.year_rollup_state where province_prefix = $1 and year = $2`,
    [prefix, year],
  ).then((rows) => rows[0] ?? null);
const isStale = async (prefix: string, year: number) => {
  const s = await state(prefix, year);
  return s !== null && s.generation !== s.refreshed_generation;
};

/** A 2024 ticket of 江苏 with a resolution, to change. */
const someTicket = async (offset: number) =>
  (
    await query<{ id: string }>(
      hub.databaseUrl,
      `select id::text as id from hotline.ticket where left(region_code, 2) = '32' and resolved_at is not null
          and received_at >= '2024-03-01T00:00+08' and received_at < '2024-11-01T00:00+08' order by id limit 1 offset $1`,
      [offset],
    )
  )[0]!.id;

describe('the year rollup', () => {
  it('stores, for every region of 江苏 and 湖南 (subtree and own tickets) and both years, the figures the tickets give', async () => {
    const [rollupRows] = await query<{ n: number }>(hub.databaseUrl, `select count(*)::int as n from hotline.year_rollup`);
    expect(rollupRows!.n).toBeGreaterThan(1000);
    for (const year of [2024, 2025]) {
      for (const includeSubtree of [true, false]) {
        const { result, statements } = await stored(codes, year, includeSubtree);
        expect(statements).toBe(1); // read from the rollup, nothing computed
        expect(result).toEqual(await computed(codes, year, includeSubtree));
      }
    }
    const [province] = (await stored(['430000'], 2024, true)).result;
    expect(province!.received).toBeGreaterThan(100);
    expect(province!.byCategory.length).toBeGreaterThan(3);
    expect(province!.medianHandlingHours).not.toBeNull();
  });

  it('is stale from the moment a ticket of its (province, year) changes: the figures then come from the tickets', async () => {
    expect(await isStale('32', 2024)).toBe(false);
    const id = await someTicket(3);
    const before = (await stored(['320000'], 2024, true)).result[0]!;
    await query(hub.databaseUrl, `update hotline.ticket set resolved_at = null, satisfaction = null where id = $1`, [id]);
    expect(await isStale('32', 2024)).toBe(true);
    expect(await isStale('43', 2024)).toBe(false);
    expect(await isStale('32', 2025)).toBe(false);

    const { result, statements } = await stored(['320000', '320100', '430000'], 2024, true);
    expect(statements).toBe(2); // the read, then the stale province's regions from the tickets
    expect(result).toEqual(await computed(['320000', '320100', '430000'], 2024, true));
    expect(result[0]!.resolved).toBe(before.resolved - 1);

    expect(await refreshYearRollups(em())).toMatchObject({ refreshed: 1, skipped: 0 });
    expect(await isStale('32', 2024)).toBe(false);
    const again = await stored(['320000', '320100', '430000'], 2024, true);
    expect(again.statements).toBe(1);
    expect(again.result).toEqual(result);
  });

  it('marks the old and the new (province, year) of a ticket that moves, and no other; an unchanged write marks none', async () => {
    await refreshYearRollups(em());
    const id = await someTicket(6);
    await query(hub.databaseUrl, `update hotline.ticket set topic = topic where id = $1`, [id]);
    expect(await isStale('32', 2024)).toBe(false);
    await query(
      hub.databaseUrl,
      `update hotline.ticket set region_code = '430102', received_at = '2025-06-01T10:00+08', due_at = null, resolved_at = null where id = $1`,
      [id],
    );
    const stale = await query<{ p: string; year: number }>(
      hub.databaseUrl,
      `select province_prefix as p, year from hotline.year_rollup_state where refreshed_generation is distinct from generation order by 1, 2`,
    );
    expect(stale).toEqual([{ p: '32', year: 2024 }, { p: '43', year: 2025 }]);
    expect(await refreshYearRollups(em())).toMatchObject({ refreshed: 2, skipped: 0 });
    for (const year of [2024, 2025]) expect((await stored(codes, year, true)).result).toEqual(await computed(codes, year, true));
  });

  it('is not stored by a refresh that a concurrent write overlapped: the refresh starts again and includes the write', async () => {
    const first = await someTicket(9);
    await query(hub.databaseUrl, `update hotline.ticket set satisfaction = 'DISSATISFIED' where id = $1`, [first]);
    // a writer that holds its change uncommitted while the refresh computes
    const writer = new pg.Client({ connectionString: hub.databaseUrl });
    await writer.connect();
    try {
      await writer.query('begin');
      const second = await someTicket(12);
      await writer.query(`update hotline.ticket set resolved_at = null where id = $1 and resolved_at is not null`, [second]);
      const refreshing = refreshYearRollups(em());
      // the refresh computes, then waits for the writer's lock on the (province, year) state
      const deadline = Date.now() + 20_000;
      for (;;) {
        const [lock] = await query<{ waiting: number }>(
          hub.databaseUrl,
          `select count(*)::int as waiting from pg_stat_activity where wait_event_type = 'Lock' and query like '%year_rollup_state set refreshed_generation%'`,
        );
        if (lock!.waiting > 0) break;
        if (Date.now() > deadline) throw new Error('the refresh never waited for the writer');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await writer.query('commit');
      expect(await refreshing).toMatchObject({ refreshed: 1, skipped: 0 });
    } finally {
      await writer.end();
    }
    expect(await isStale('32', 2024)).toBe(false);
    expect((await stored(codes, 2024, true)).result).toEqual(await computed(codes, 2024, true));
  });

  it('is used only for whole calendar years that are over', () => {
    const now = Date.parse('2026-11-22T12:00:00+08:00');
    expect(endedCalendarYear(periodArguments({ year: 2025 }), now)).toBe(2025);
    expect(endedCalendarYear(periodArguments({ year: 2026 }), now)).toBeNull();
    expect(endedCalendarYear(periodArguments({ from: '2025-01-01', to: '2025-12-31' }), now)).toBe(2025);
    expect(endedCalendarYear(periodArguments({ from: '2025-01-01', to: '2025-12-30' }), now)).toBeNull();
    expect(endedCalendarYear(periodArguments({ from: '2024-01-01', to: '2025-12-31' }), now)).toBeNull();
    // the year ends at midnight in China Standard Time
    expect(endedCalendarYear(periodArguments({ year: 2025 }), Date.parse('2025-12-31T23:59:59+08:00'))).toBeNull();
    expect(endedCalendarYear(periodArguments({ year: 2025 }), Date.parse('2026-01-01T00:00:00+08:00'))).toBe(2025);
  });

  it('is refreshed by `gongkai hotline refresh-rollups`, everything with --all, and emptied with the tickets', async () => {
    const id = await someTicket(15);
    // a real change, whatever the earlier cases left in that ticket
    await query(
      hub.databaseUrl,
      `update hotline.ticket set satisfaction = case when satisfaction = 'SATISFIED' then 'DISSATISFIED' else 'SATISFIED' end where id = $1`,
      [id],
    );
    const stale = runCli(['hotline', 'refresh-rollups'], { DATABASE_URL: hub.databaseUrl });
    expect(stale.stderr).toContain('1/1 (province, year), done'); // progress on stderr, the summary on stdout
    expect(stale.stdout).toMatch(/^year rollup: 1 \(province, year\) refreshed in [0-9.]+ s$/m);
    expect(stale.status).toBe(0);
    const all = runCli(['hotline', 'refresh-rollups', '--all'], { DATABASE_URL: hub.databaseUrl });
    expect(all.stdout).toMatch(/^year rollup: 4 \(province, year\) refreshed/m);
    const bad = runCli(['hotline', 'refresh-rollups', '--everything'], { DATABASE_URL: hub.databaseUrl });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('unknown argument --everything');

    await query(hub.databaseUrl, `truncate hotline.personal_data_read, hotline.ticket_status_change, hotline.ticket`);
    const [left] = await query<{ rows: number; states: number }>(
      hub.databaseUrl,
      `select (select count(*)::int from hotline.year_rollup) as rows, (select count(*)::int from hotline.year_rollup_state) as states`,
    );
    expect(left).toEqual({ rows: 0, states: 0 });
    expect((await stored(['320000'], 2024, true)).result[0]!.received).toBe(0);
  });
});
