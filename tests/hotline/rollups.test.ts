// Hotline figures through the gateway: rollups, invariants, batching, rankings, ticket lists, errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/auth.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { query, useTestKey } from './support.ts';
import { SAMPLE_TICKET_COUNT } from '../../subgraphs/hotline/sample/sampleTickets.ts';

let hub: TestHub;
beforeAll(async () => {
  useTestKey();
  // counts the SQL statements of each request: every request must reach the subgraphs
  hub = await startTestHub({ sampleData: true, answerCache: false });
});

const ADDITIVE = ['received', 'dispatched', 'undispatched', 'direct', 'referred', 'resolved', 'resolvedOnTime', 'open', 'overdue', 'rated', 'satisfied', 'basicallySatisfied', 'dissatisfied'] as const;
const LEVEL_ADDITIVE = ADDITIVE.filter((k) => k !== 'dispatched' && k !== 'undispatched');
const FIGURES = `from to asOf ${ADDITIVE.join(' ')} onTimeRate medianHandlingHours p90HandlingHours satisfactionRate
  byLevel { level ${LEVEL_ADDITIVE.join(' ')} onTimeRate satisfactionRate }
  byCategory { code name received } byLine { code name received } byChannel { code name received }`;

type Figures = Record<string, any>;
const sum = (list: Figures[], key: string) => list.reduce((s, f) => s + f[key], 0);
const countsOf = (list: { code: string | null; received: number }[]) => Object.fromEntries(list.map((c) => [c.code ?? '-', c.received]));

// Per-agency figures, agency rankings and ticket lists are internal: these tests read as an admin.
const asAdmin = (text: string, variables?: Record<string, unknown>) => hub.query(text, variables, ADMIN);
const countedAsAdmin = (text: string, variables?: Record<string, unknown>) => hub.countedQuery(text, variables, ADMIN);

describe('sample tickets', () => {
  it('are loaded on first start, marked SAMPLE, in 江苏 and 湖南, dispatched to agencies of the directory', async () => {
    const [row] = await query<Record<string, number>>(
      hub.databaseUrl,
      `select count(*)::int as n,
              count(*) filter (where data_origin = 'SAMPLE')::int as sample,
              count(*) filter (where left(region_code, 2) in ('32', '43'))::int as in_provinces,
              count(*) filter (where agency_id is not null)::int as dispatched,
              count(*) filter (where agency_id is not null and not exists (select 1 from directory.agency a where a.id = t.agency_id))::int as dangling,
              count(*) filter (where received_at < '2024-01-01T00:00+08' or received_at >= '2026-01-01T00:00+08')::int as outside
         from hotline.ticket t`,
    );
    expect(row).toEqual({ n: SAMPLE_TICKET_COUNT, sample: SAMPLE_TICKET_COUNT, in_provinces: SAMPLE_TICKET_COUNT, dispatched: row!.dispatched, dangling: 0, outside: 0 });
    expect(row!.dispatched).toBeGreaterThan(SAMPLE_TICKET_COUNT * 0.8);
  });
});

describe('Region.hotline', () => {
  it('answers through the gateway with the figures the tickets give', async () => {
    const { data, errors } = await asAdmin(`{ region(code: "320000") { name hotline(year: 2024) { ${FIGURES} } } }`);
    expect(errors).toBeUndefined();
    const f = data.region.hotline;
    const [sql] = await query<Record<string, number>>(
      hub.databaseUrl,
      `select count(*)::int as received,
              count(*) filter (where resolved_at < '2025-01-01T00:00+08')::int as resolved,
              count(*) filter (where due_at < '2025-01-01T00:00+08' and (resolved_at is null or resolved_at >= '2025-01-01T00:00+08'))::int as overdue,
              count(*) filter (where agency_id is null)::int as undispatched
         from hotline.ticket where region_code like '32%' and received_at >= '2024-01-01T00:00+08' and received_at < '2025-01-01T00:00+08'`,
    );
    expect({ received: f.received, resolved: f.resolved, overdue: f.overdue, undispatched: f.undispatched }).toEqual(sql);
    expect(f.received).toBeGreaterThan(300);
    expect(f).toMatchObject({ from: '2024-01-01', to: '2024-12-31', asOf: '2024-12-31T16:00:00.000Z' });
    expect(f.onTimeRate).toBeGreaterThan(0.5);
    expect(f.onTimeRate).toBeLessThan(1);
    expect(f.satisfactionRate).toBeCloseTo((f.satisfied + f.basicallySatisfied) / f.rated, 10);
    expect(f.p90HandlingHours).toBeGreaterThan(f.medianHandlingHours);
    expect(f.byCategory.find((c: Figures) => c.code === 'complaint').name).toBe('投诉');
  });

  it.each([
    ['320000', '{ year: 2024 }'],
    ['430000', '{ year: 2025 }'],
    ['430100', '{ year: 2024 }'],
    ['320000', '{ from: "2024-07-15", to: "2025-03-31" }'],
  ])('holds its invariants for %s %s', async (code, period) => {
    const args = period.slice(1, -1);
    const { data, errors } = await asAdmin(`{ region(code: "${code}") {
      hotline(${args}) { ${FIGURES} }
      own: hotline(${args}, includeSubtree: false) { ${FIGURES} }
      children { code hotline(${args}) { ${FIGURES} } } } }`);
    expect(errors).toBeUndefined();
    const { hotline: f, own, children } = data.region;
    const parts: Figures[] = [own, ...children.map((c: Figures) => c.hotline)];
    expect(children.length).toBeGreaterThan(3);
    expect(f.received).toBeGreaterThan(0);
    for (const figures of [f, own, ...parts]) {
      // every ticket is dispatched (then in exactly one level) or undispatched
      expect(figures.dispatched + figures.undispatched).toBe(figures.received);
      expect(sum(figures.byLevel, 'received')).toBe(figures.dispatched);
      expect(figures.byLevel.map((l: Figures) => l.level)).toEqual(['PROVINCE', 'CITY', 'COUNTY']);
      expect(sum(figures.byCategory, 'received')).toBe(figures.received);
      expect(sum(figures.byLine, 'received')).toBe(figures.received);
      expect(sum(figures.byChannel, 'received')).toBe(figures.received);
      expect(figures.open).toBe(figures.received - figures.resolved);
    }
    // a region = its own level + the sum of its children, for every additive figure
    for (const key of ADDITIVE) expect([key, f[key]]).toEqual([key, sum(parts, key)]);
    for (const [i, level] of f.byLevel.entries()) {
      for (const key of LEVEL_ADDITIVE) expect([level.level, key, level[key]]).toEqual([level.level, key, sum(parts.map((p) => p.byLevel[i]), key)]);
    }
    const categories: Record<string, number> = {};
    for (const p of parts) for (const [c, n] of Object.entries(countsOf(p.byCategory))) categories[c] = (categories[c] ?? 0) + n;
    expect(countsOf(f.byCategory)).toEqual(categories);
  });

  it('costs a constant number of SQL statements whatever the number of regions', async () => {
    const figures = 'hotline(year: 2024) { received resolved overdue byLevel { level received } }';
    const twoLevels = (code: string) => `{ region(code: "${code}") { ${figures} children { code ${figures} } } }`;
    const threeLevels = (code: string) =>
      `{ region(code: "${code}") { ${figures} children { code ${figures} children { code ${figures} } } } }`;
    const count = async (text: string) => {
      const { response, statements } = await countedAsAdmin(text);
      expect(response.errors).toBeUndefined();
      return statements;
    };
    // agencies: the region and its children (2); hotline: one rollup for the region, one for all
    // its children (2), whether there are 9 children or 14
    const two: Record<string, number> = {};
    for (const code of ['320000', '430000', '320800', '430100']) two[code] = await count(twoLevels(code));
    expect(two).toEqual({ '320000': 4, '430000': 4, '320800': 4, '430100': 4 });
    // a province, its cities and all their counties (江苏 ~110 regions, 湖南 ~140): one more
    // statement per level of the tree in each subgraph, none per region
    expect(await count(threeLevels('320000'))).toBe(6);
    expect(await count(threeLevels('430000'))).toBe(6);
    // the category names cost one statement per subgraph request, not one per region:
    // region, children, one rollup, one read of the reference tables
    expect(await count(`{ region(code: "430000") { children { hotline(year: 2024) { byCategory { name received } } } } }`)).toBe(4);
  });
});

describe('HotlineFigures.byMonth', () => {
  const monthly = `${ADDITIVE.join(' ')} byMonth { month from to ${ADDITIVE.join(' ')} onTimeRate satisfactionRate medianHandlingHours p90HandlingHours }`;

  it('lists every month of the period, and the months add up to the period for a province and a county', async () => {
    const { data: counties } = await asAdmin(`{ region(code: "320800") { children { code hotline(year: 2024) { received } } } }`);
    const county = (counties.region.children as Figures[]).find((c) => c.hotline.received > 0)!.code as string;
    for (const [code, args, months] of [
      ['320000', 'year: 2024', 12],
      [county, 'year: 2024', 12],
      ['430000', 'from: "2023-11-20", to: "2024-02-10"', 4],
    ] as const) {
      const { data, errors } = await asAdmin(`{ region(code: "${code}") { hotline(${args}) { from to ${monthly} } } }`);
      expect(errors).toBeUndefined();
      const f = data.region.hotline;
      expect(f.byMonth.length).toBe(months);
      expect(f.byMonth[0].from).toBe(f.from);
      expect(f.byMonth.at(-1).to).toBe(f.to);
      for (const key of ADDITIVE) expect([code, key, sum(f.byMonth, key)]).toEqual([code, key, f[key]]);
      for (const m of f.byMonth) expect(m.month).toBe(m.from.slice(0, 7));
    }
    // months without tickets are there, with zeros (the sample starts in 2024)
    const { data } = await asAdmin(`{ region(code: "430000") { hotline(from: "2023-11-20", to: "2024-02-10") { byMonth { month from to received onTimeRate } } } }`);
    expect(data.region.hotline.byMonth.slice(0, 2)).toEqual([
      { month: '2023-11', from: '2023-11-20', to: '2023-11-30', received: 0, onTimeRate: null },
      { month: '2023-12', from: '2023-12-01', to: '2023-12-31', received: 0, onTimeRate: null },
    ]);
  });

  it('refuses a series of more than 120 months, and gives 120', async () => {
    const long = await asAdmin(`{ region(code: "320000") { hotline(from: "1949-10-01", to: "2100-12-31") { received byMonth { month } } } }`);
    expect(long.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(long.errors?.[0]?.message).toContain('at most 120 months');
    const ten = await asAdmin(`{ region(code: "320000") { hotline(from: "2015-01-01", to: "2024-12-31") { byMonth { month } } } }`);
    expect(ten.errors).toBeUndefined();
    expect(ten.data.region.hotline.byMonth).toHaveLength(120);
  });

  it('assigns a ticket to its month of receipt in China Standard Time', async () => {
    const { data } = await asAdmin(`{ region(code: "320000") { hotline(year: 2024) { byMonth { month received } } } }`);
    const rows = await query<{ month: string; n: number }>(
      hub.databaseUrl,
      `select to_char(received_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, count(*)::int as n from hotline.ticket
        where region_code like '32%' and received_at >= '2024-01-01T00:00+08' and received_at < '2025-01-01T00:00+08' group by 1`,
    );
    const expected = Object.fromEntries(rows.map((r) => [r.month, r.n]));
    for (const m of data.region.hotline.byMonth) expect([m.month, m.received]).toEqual([m.month, expected[m.month] ?? 0]);
  });

  it('costs one SQL statement per batch of regions or agencies, and adds up for agencies too', async () => {
    const { response, statements } = await countedAsAdmin(`{ region(code: "430000") { children { code hotline(year: 2024) { received byMonth { month received } } } } }`);
    expect(response.errors).toBeUndefined();
    // agencies: the region and its children (2); hotline: the children's figures (1), all their months (1)
    expect(statements).toBe(4);
    for (const child of response.data.region.children as Figures[]) expect(sum(child.hotline.byMonth, 'received')).toBe(child.hotline.received);
    const agencies = await countedAsAdmin(`{ agencies(regionCode: "320800", includeSubtree: true, first: 500) { nodes { id hotline(year: 2024) { received byMonth { received } } } } }`);
    expect(agencies.response.errors).toBeUndefined();
    const nodes = agencies.response.data.agencies.nodes as Figures[];
    expect(nodes.some((n) => n.hotline.received > 0)).toBe(true);
    for (const n of nodes) expect([n.id, sum(n.hotline.byMonth, 'received')]).toEqual([n.id, n.hotline.received]);
    expect(agencies.statements).toBeLessThanOrEqual(5);
  });
});

describe('Agency.hotline', () => {
  it('gives the figures of the tickets dispatched to each agency, batched', async () => {
    const { response, statements } = await countedAsAdmin(`{ agencies(regionCode: "320800", includeSubtree: true, first: 500) {
      nodes { id level hotline(year: 2024) { received overdue byLevel { level received } } } } }`);
    expect(response.errors).toBeUndefined();
    const nodes = response.data.agencies.nodes as Figures[];
    const expected = new Map(
      (await query<{ id: string; n: number }>(
        hub.databaseUrl,
        `select agency_id::text as id, count(*)::int as n from hotline.ticket
          where received_at >= '2024-01-01T00:00+08' and received_at < '2025-01-01T00:00+08' and agency_id is not null group by agency_id`,
      )).map((r) => [r.id, r.n]),
    );
    expect(nodes.length).toBeGreaterThan(10);
    for (const node of nodes) {
      expect([node.id, node.hotline.received]).toEqual([node.id, expected.get(node.id) ?? 0]);
      // all of an agency's tickets are at its own level
      expect(node.hotline.byLevel.find((l: Figures) => l.level === node.level).received).toBe(node.hotline.received);
    }
    expect(nodes.some((n) => n.hotline.received > 0)).toBe(true);
    expect(statements).toBeLessThanOrEqual(4);
  });
});

describe('Query.hotlineRanking', () => {
  it('ranks child regions by overdue tickets, highest first, ties sharing a rank', async () => {
    const { data, errors } = await asAdmin(`{
      hotlineRanking(regionCode: "430000", year: 2024, metric: OVERDUE, first: 100) { rank value region { code name } agency { id } figures { overdue } }
      region(code: "430000") { children { code hotline(year: 2024) { overdue } } } }`);
    expect(errors).toBeUndefined();
    const ranking = data.hotlineRanking as Figures[];
    const byChild = Object.fromEntries(data.region.children.map((c: Figures) => [c.code, c.hotline.overdue]));
    expect(ranking.map((e) => e.region.code).sort()).toEqual(Object.keys(byChild).sort());
    for (const [i, e] of ranking.entries()) {
      expect(e.value).toBe(byChild[e.region.code]);
      expect(e.figures.overdue).toBe(e.value);
      expect(e.agency).toBeNull();
      if (i > 0) {
        expect(e.value).toBeLessThanOrEqual(ranking[i - 1]!.value);
        expect(e.rank).toBe(e.value === ranking[i - 1]!.value ? ranking[i - 1]!.rank : i + 1);
      }
    }
    expect(ranking[0]!.rank).toBe(1);
  });

  it('ranks the agencies of one level by satisfaction, lowest first on request', async () => {
    const { data, errors } = await asAdmin(`{
      hotlineRanking(regionCode: "320000", year: 2024, metric: SATISFACTION_RATE, by: AGENCIES, level: CITY, descending: false, first: 10) {
        rank value agency { name level } figures { satisfactionRate received } } }`);
    expect(errors).toBeUndefined();
    const ranking = data.hotlineRanking as Figures[];
    expect(ranking.length).toBe(10);
    const values = ranking.map((e) => e.value).filter((v) => v !== null);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    for (const e of ranking) {
      expect(e.agency.level).toBe('CITY');
      expect(e.figures.received).toBeGreaterThan(0);
    }
  });

  it('pages through a ranking with cursors, giving exactly the unpaged ranking, shared ranks included', async () => {
    const rankings = [
      'regionCode: "320000", year: 2024, metric: OVERDUE, by: AGENCIES',
      'regionCode: "320000", year: 2024, metric: SATISFACTION_RATE, by: AGENCIES, descending: false',
      'regionCode: "430000", year: 2024, metric: RECEIVED',
    ];
    for (const args of rankings) {
      const { data: whole } = await asAdmin(`{ hotlineRanking(${args}, first: 500) { rank value cursor region { code } agency { id } } }`);
      expect(whole.hotlineRanking.length).toBeGreaterThan(10);
      const paged: unknown[] = [];
      let after: string | null = null;
      for (let page = 0; page < 200; page++) {
        const { data }: any = await asAdmin(`query ($after: String) { hotlineRanking(${args}, first: 9, after: $after) { rank value cursor region { code } agency { id } } }`, { after });
        paged.push(...data.hotlineRanking);
        if (data.hotlineRanking.length < 9) break;
        after = data.hotlineRanking.at(-1).cursor;
      }
      expect(paged).toEqual(whole.hotlineRanking);
    }
    const { data } = await asAdmin(`{ hotlineRanking(${rankings[0]}, first: 500) { rank } }`);
    expect(new Set(data.hotlineRanking.map((e: { rank: number }) => e.rank)).size).toBeLessThan(data.hotlineRanking.length);
  });

  it('refuses a cursor of another ranking or a malformed one with BAD_USER_INPUT', async () => {
    const { data } = await asAdmin('{ hotlineRanking(regionCode: "430000", year: 2024, metric: RECEIVED, first: 1) { cursor } }');
    const cursor = data.hotlineRanking[0].cursor;
    for (const args of [
      'year: 2024, metric: OVERDUE',
      'year: 2024, metric: RECEIVED, descending: false',
      'year: 2023, metric: RECEIVED',
      'year: 2024, metric: RECEIVED, by: AGENCIES',
    ]) {
      const { errors } = await asAdmin(`query ($after: String) { hotlineRanking(regionCode: "430000", ${args}, after: $after) { rank } }`, { after: cursor });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    }
  });
});

describe('Query.tickets', () => {
  it('pages through a region\'s tickets, newest first, with filters', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    let last = Infinity;
    for (;;) {
      const { data, errors }: { data?: any; errors?: unknown } = await asAdmin(
        `query ($after: String) { tickets(regionCode: "320800", year: 2024, first: 17, after: $after) {
          totalCount nodes { id receivedAt region { code } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(errors).toBeUndefined();
      total = data.tickets.totalCount;
      for (const t of data.tickets.nodes) {
        seen.push(t.id);
        expect(t.region.code.startsWith('3208')).toBe(true);
        expect(Date.parse(t.receivedAt)).toBeLessThanOrEqual(last);
        last = Date.parse(t.receivedAt);
      }
      if (!data.tickets.pageInfo.hasNextPage) break;
      after = data.tickets.pageInfo.endCursor;
    }
    const { data } = await asAdmin(`{ region(code: "320800") { hotline(year: 2024) { received } } }`);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
    expect(total).toBe(data.region.hotline.received);

    const filtered = await asAdmin(`{ tickets(regionCode: "430000", from: "2025-01-01", to: "2025-06-30", line: "12315", category: "complaint", status: CLOSED, first: 200) {
      nodes { line { code } category { code } status receivedAt } } }`);
    expect(filtered.errors).toBeUndefined();
    expect(filtered.data.tickets.nodes.length).toBeGreaterThan(0);
    for (const t of filtered.data.tickets.nodes) {
      expect(t).toMatchObject({ line: { code: '12315' }, category: { code: 'complaint' }, status: 'CLOSED' });
      expect(t.receivedAt >= '2024-12-31T16:00:00.000Z' && t.receivedAt < '2025-06-30T16:00:00.000Z').toBe(true);
    }
  });
});

describe('argument errors', () => {
  it.each([
    ['{ region(code: "320000") { hotline(from: "2024-05-01", to: "2024-04-01") { received } } }', 'to'],
    ['{ region(code: "320000") { hotline(from: "2024-02-30", to: "2024-04-01") { received } } }', 'from'],
    ['{ region(code: "320000") { hotline(from: "yesterday", to: "2024-04-01") { received } } }', 'from'],
    ['{ region(code: "320000") { hotline(from: "2024-01-01") { received } } }', 'to'],
    ['{ region(code: "320000") { hotline(year: 2024, from: "2024-01-01", to: "2024-02-01") { received } } }', 'year'],
    ['{ region(code: "320000") { hotline { received } } }', 'year'],
    ['{ region(code: "320000") { hotline(year: 1800) { received } } }', 'year'],
    ['{ tickets(regionCode: "320000", year: 2024, first: 0) { totalCount } }', 'first'],
    ['{ tickets(regionCode: "320000", year: 2024, first: 1000) { totalCount } }', 'first'],
    ['{ tickets(regionCode: "320000", year: 2024, line: "99999") { totalCount } }', 'line'],
    ['{ tickets(regionCode: "320000", year: 2024, category: "gossip") { totalCount } }', 'category'],
    ['{ tickets(regionCode: "320000", year: 2024, after: "bm9wZQ") { totalCount } }', 'after'],
    ['{ tickets(regionCode: "32", year: 2024) { totalCount } }', 'regionCode'],
    ['{ hotlineRanking(regionCode: "320000", year: 2024, metric: OVERDUE, first: 501) { rank } }', 'first'],
    ['{ hotlineRanking(regionCode: "320000", year: 2024, metric: OVERDUE, after: "bm9wZQ") { rank } }', 'after'],
  ])('%s → BAD_USER_INPUT on %s', async (text, argument) => {
    const { errors } = await asAdmin(text);
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });
});
