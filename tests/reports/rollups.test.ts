import type { EntityManager } from '@mikro-orm/postgresql';
import type { CompiledQuery } from 'kysely';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportedHotlines } from '../../subgraphs/reports/rollups/reportedHotlines.ts';
import { ADMIN } from '../support/auth.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { createAgency, figureList, submit } from '../support/reports.ts';

let hub: TestHub;
beforeAll(async () => {
  // counts the SQL statements of each request: every request must reach the subgraphs
  hub = await startTestHub({ sampleData: true, answerCache: false });
});

const COUNTS = 'agencies filed missing late flagged';
const TOTALS = 'totals { proactiveTotal applicationsReceived granted partial denied reconsiderations reconsiderationsCorrected lawsuits lawsuitsCorrected feesAmount }';
const ROLLUP = `${COUNTS} ${TOTALS} rates { denialRate correctionRate filingRate } byLevel { level ${COUNTS} ${TOTALS} }`;

type Counts = Record<string, number> & { totals: Record<string, number> };
const FIELDS = ['agencies', 'filed', 'missing', 'late', 'flagged'];

function sum(items: Counts[]): Counts {
  const result: Counts = { totals: {} } as Counts;
  for (const item of items) {
    for (const field of FIELDS) result[field] = (result[field] ?? 0) + item[field]!;
    for (const [key, value] of Object.entries(item.totals)) result.totals[key] = (result.totals[key] ?? 0) + value;
  }
  return result;
}

const close = (a: Counts, b: Counts) => {
  for (const field of FIELDS) expect(a[field], field).toBe(b[field]);
  for (const key of Object.keys(a.totals)) expect(a.totals[key], key).toBeCloseTo(b.totals[key]!, 6);
};

describe('Region.disclosure', () => {
  it('answers for a province with the sample data, broken down by level', async () => {
    const { data, errors } = await hub.query(`{ region(code: "430000") { name disclosure(year: 2024) { year ${ROLLUP} } } }`);
    expect(errors).toBeUndefined();
    const rollup = data.region.disclosure;
    expect(rollup.year).toBe(2024);
    expect(rollup.agencies).toBeGreaterThan(100);
    expect(rollup.filed).toBeGreaterThan(50);
    expect(rollup.missing).toBeGreaterThan(0);
    expect(rollup.late).toBeGreaterThan(0);
    expect(rollup.flagged).toBeGreaterThan(0);
    expect(rollup.totals.applicationsReceived).toBeGreaterThan(0);
    expect(rollup.rates.filingRate).toBeCloseTo((100 * rollup.filed) / rollup.agencies, 6);
    expect(rollup.byLevel.map((l: { level: string }) => l.level)).toEqual(['PROVINCE', 'CITY', 'COUNTY']);
  });

  it('holds totals = Σ byLevel and region = own level + Σ children, at every level', async () => {
    const { data } = await hub.query(`{
      region(code: "320000") {
        disclosure(year: 2023) { ${ROLLUP} }
        children { code level disclosure(year: 2023) { ${ROLLUP} }
          children { code disclosure(year: 2023) { ${ROLLUP} } } }
      }
    }`);
    const check = (node: any, ownLevel: string) => {
      const rollup = node.disclosure;
      close(rollup, sum(rollup.byLevel));
      if (!node.children?.length) return;
      const own = rollup.byLevel.find((l: { level: string }) => l.level === ownLevel);
      close(rollup, sum([own, ...node.children.map((child: any) => child.disclosure)]));
    };
    check(data.region, 'PROVINCE');
    for (const city of data.region.children) check(city, city.level);
    expect(data.region.disclosure.filed).toBeGreaterThan(0);
  });

  it('rolls up 300 regions with a constant number of SQL statements', async () => {
    const query = (search: string) => `{ regions(level: COUNTY, search: "${search}") { code disclosure(year: 2024) { ${ROLLUP} } } }`;
    await hub.query(query('区')); // the gateway plans each document once
    const many = await hub.countedQuery(query('区'));
    const few = await hub.countedQuery(query('洪泽'));
    expect(many.response.data.regions.length).toBeGreaterThanOrEqual(300);
    expect(few.response.data.regions.length).toBe(1);
    // one for the regions, one rollup statement for the whole batch
    expect(many.statements).toBe(2);
    expect(few.statements).toBe(2);
  });

  it('follows the directory: a new agency is an expected filer, a closed one is not', async () => {
    const rollup = async () => (await hub.query('{ region(code: "320813") { disclosure(year: 2024) { agencies missing filed } } }')).data.region.disclosure;
    const before = await rollup();
    const id = await createAgency(hub, '淮安市洪泽区新设局', '320813');
    expect(await rollup()).toEqual({ ...before, agencies: before.agencies + 1, missing: before.missing + 1 });
    await submit(hub, { agencyId: id, year: 2024, figures: figureList({ 'applications.received': 4 }) });
    expect(await rollup()).toEqual({ ...before, agencies: before.agencies + 1, filed: before.filed + 1 });
    await hub.query('mutation ($id: ID!) { updateAgency(id: $id, input: { activeFrom: 2010, activeTo: 2023 }) { id } }', { id }, ADMIN);
    // closed before 2024: no longer expected, but what it filed still counts as filed
    expect(await rollup()).toEqual({ ...before, filed: before.filed + 1 });
  });

  it('does not count as missing an agency whose report was filed under its former region', async () => {
    const rollupOf = async (code: string) =>
      (await hub.query(`{ region(code: "${code}") { disclosure(year: 2024) { agencies missing filed } } }`)).data.region.disclosure;
    const id = await createAgency(hub, '淮安市洪泽区迁出局', '320813');
    await submit(hub, { agencyId: id, year: 2024, figures: figureList({ 'applications.received': 2 }) });
    const [from, to, city] = [await rollupOf('320813'), await rollupOf('320812'), await rollupOf('320800')];
    // the agency moves to 清江浦区 after filing: its report stays recorded under 洪泽区
    await hub.query('mutation ($id: ID!) { updateAgency(id: $id, input: { regionCode: "320812" }) { id } }', { id }, ADMIN);
    expect(await rollupOf('320813')).toEqual({ ...from, agencies: from.agencies - 1 });
    expect(await rollupOf('320812')).toEqual({ ...to, agencies: to.agencies + 1 });
    // the city holds both: nothing changes there
    expect(await rollupOf('320800')).toEqual(city);
  });
});

describe('Region.disclosureTrend', () => {
  const YEARS = [2021, 2022, 2023, 2024, 2025];
  const perYear = YEARS.map((y) => `y${y}: disclosure(year: ${y}) { year ${ROLLUP} }`).join(' ');
  const both = `disclosureTrend(from: ${YEARS[0]}, to: ${YEARS.at(-1)}) { year ${ROLLUP} } ${perYear}`;

  it('gives for each year of the range what disclosure(year:) gives, for a province, its cities and a county', async () => {
    const { data, errors } = await hub.query(`{ region(code: "320000") { ${both} children { code ${both} } }
      county: region(code: "320813") { ${both} } }`);
    expect(errors).toBeUndefined();
    const nodes = [data.region, ...data.region.children, data.county];
    for (const node of nodes) {
      expect(node.disclosureTrend.map((y: { year: number }) => y.year)).toEqual(YEARS);
      expect(node.disclosureTrend).toEqual(YEARS.map((y) => node[`y${y}`]));
    }
    expect(data.region.disclosureTrend.filter((y: { filed: number }) => y.filed > 0).length).toBeGreaterThan(1);
  });

  it('costs one SQL statement for the whole batch of regions and years', async () => {
    const query = (search: string) => `{ regions(level: COUNTY, search: "${search}") { code disclosureTrend(from: 2021, to: 2025) { year filed missing } } }`;
    await hub.query(query('区')); // the gateway plans each document once
    const many = await hub.countedQuery(query('区'));
    const few = await hub.countedQuery(query('洪泽'));
    expect(many.response.errors).toBeUndefined();
    expect(many.response.data.regions.length).toBeGreaterThanOrEqual(300);
    // one for the regions, one rollup statement for every region and year
    expect(many.statements).toBe(2);
    expect(few.statements).toBe(2);
  });

  it.each([
    ['from: 2024, to: 2023', 'to'],
    ['from: 1990, to: 2020', 'to'],
    ['from: 1800, to: 2020', 'from'],
  ])('refuses %s with BAD_USER_INPUT on %s', async (args, argument) => {
    const { errors } = await hub.query(`{ region(code: "320000") { disclosureTrend(${args}) { year } } }`);
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });
});

describe('Query.flags and Query.ranking', () => {
  it('lists stored flags and missing reports of a subtree, page by page', async () => {
    const all: any[] = [];
    let after: string | null = null;
    let totalCount = 0;
    do {
      const { data, errors }: any = await hub.query(
        `query ($after: String) { flags(regionCode: "430000", year: 2024, first: 25, after: $after) {
           nodes { id code severity message year agency { id name } report { id year } figures { key value } }
           pageInfo { hasNextPage endCursor } totalCount } }`,
        { after },
        ADMIN,
      );
      expect(errors).toBeUndefined();
      all.push(...data.flags.nodes);
      totalCount = data.flags.totalCount;
      after = data.flags.pageInfo.hasNextPage ? data.flags.pageInfo.endCursor : null;
    } while (after);
    expect(all).toHaveLength(totalCount);
    const { data } = await hub.query(`{ region(code: "430000") { disclosure(year: 2024) { missing late } } }`);
    const missing = all.filter((f) => f.code === 'MISSING_REPORT');
    expect(missing).toHaveLength(data.region.disclosure.missing);
    expect(missing[0]).toMatchObject({ id: null, severity: 'ERROR', report: null, year: 2024 });
    expect(missing[0].message).toContain(missing[0].agency.name);
    expect(all.filter((f) => f.code === 'LATE_PUBLICATION')).toHaveLength(data.region.disclosure.late);
    expect(all.some((f) => f.code === 'APPLICATION_IDENTITY' && f.report.year === 2024)).toBe(true);

    const onlyLate = await hub.query('{ flags(regionCode: "430000", year: 2024, code: "LATE_PUBLICATION", severity: WARNING) { totalCount nodes { code } } }', {}, ADMIN);
    expect(onlyLate.data.flags.totalCount).toBe(data.region.disclosure.late);
  });

  it('ranks child regions by the numbers their rollups show, and the agencies of a level', async () => {
    const { data } = await hub.query(`{
      ranking(regionCode: "320000", year: 2024, metric: MISSING_COUNT) { rank value region { code disclosure(year: 2024) { missing } } }
      agencies: ranking(regionCode: "320800", year: 2024, metric: APPLICATIONS_RECEIVED, level: COUNTY, first: 3) { rank value agency { name level } }
    }`);
    const ranking = data.ranking;
    expect(ranking.length).toBe(13);
    expect(ranking.map((r: any) => r.rank)).toEqual(ranking.map((_: unknown, i: number) => i + 1));
    for (const entry of ranking) expect(entry.value).toBe(entry.region.disclosure.missing);
    for (let i = 1; i < ranking.length; i++) expect(ranking[i - 1].value).toBeGreaterThanOrEqual(ranking[i].value);
    expect(data.agencies).toHaveLength(3);
    expect(data.agencies.every((a: any) => a.agency.level === 'COUNTY')).toBe(true);
    expect(data.agencies[0].value).toBeGreaterThanOrEqual(data.agencies[2].value);
  });

  it('pages through a ranking with cursors, giving exactly the unpaged ranking', async () => {
    const rankings = [
      'regionCode: "320000", year: 2024, metric: MISSING_COUNT',
      'regionCode: "320000", year: 2024, metric: DENIAL_RATE, level: COUNTY, ascending: true',
      'regionCode: "320000", year: 2024, metric: LATE_COUNT, level: COUNTY',
    ];
    for (const args of rankings) {
      const { data: whole } = await hub.query(`{ ranking(${args}, first: 1000) { rank value cursor region { code } agency { id } } }`);
      expect(whole.ranking.length).toBeGreaterThan(10);
      const paged: unknown[] = [];
      let after: string | null = null;
      for (let page = 0; page < 100; page++) {
        const { data }: any = await hub.query(`query ($after: String) { ranking(${args}, first: 4, after: $after) { rank value cursor region { code } agency { id } } }`, { after });
        paged.push(...data.ranking);
        if (data.ranking.length < 4) break;
        after = data.ranking.at(-1).cursor;
      }
      expect(paged).toEqual(whole.ranking);
    }
    // equal values are among them, so the order of ties is what keeps the pages apart
    const { data } = await hub.query(`{ ranking(${rankings[2]}, first: 1000) { value } }`);
    expect(new Set(data.ranking.map((e: { value: number }) => e.value)).size).toBeLessThan(data.ranking.length);
  });

  it('refuses a cursor of another ranking or a malformed one with BAD_USER_INPUT', async () => {
    const { data } = await hub.query('{ ranking(regionCode: "320000", year: 2024, metric: MISSING_COUNT, first: 2) { cursor } }');
    const cursor = data.ranking[1].cursor;
    const same = await hub.query('query ($after: String) { ranking(regionCode: "320000", year: 2024, metric: MISSING_COUNT, after: $after) { rank } }', { after: cursor });
    expect(same.data.ranking[0].rank).toBe(3);
    const flag = (await hub.query('{ flags(regionCode: "430000", year: 2024, first: 1) { pageInfo { endCursor } } }', {}, ADMIN)).data.flags.pageInfo.endCursor;
    for (const [args, after] of [
      ['metric: FILING_RATE', cursor],
      ['metric: MISSING_COUNT, ascending: true', cursor],
      ['metric: MISSING_COUNT, level: COUNTY', cursor],
      ['metric: MISSING_COUNT', flag],
      ['metric: MISSING_COUNT', 'not-a-cursor'],
    ]) {
      const { errors } = await hub.query(`query ($after: String) { ranking(regionCode: "320000", year: 2024, ${args}, after: $after) { rank } }`, { after });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    }
  });

  it('refuses bad arguments with BAD_USER_INPUT', async () => {
    const bad = await hub.query('{ flags(regionCode: "43", year: 2024) { totalCount } }', {}, ADMIN);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'regionCode' });
    const cursor = await hub.query('{ flags(regionCode: "430000", year: 2024, after: "eyJ4IjoxfQ") { totalCount } }', {}, ADMIN);
    expect(cursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});

describe('Region.reportedHotlines', () => {
  it('sums what the reports of a subtree say about each hotline, batched across regions', async () => {
    const county = await createAgency(hub, '淮安市淮阴区热线测试局', '320804');
    const city = await createAgency(hub, '淮安市热线测试局', '320800');
    await submit(hub, { agencyId: county, year: 2021, figures: figureList({ 'hotline.12345.calls': 300, 'hotline.12345.satisfaction': 90, 'hotline.12365.complaints': 7 }) });
    await submit(hub, { agencyId: city, year: 2021, figures: figureList({ 'hotline.12345.calls': 700, 'hotline.12345.satisfaction': 96 }) });
    const { response, statements } = await hub.countedQuery(`{
      region(code: "320800") { reportedHotlines(year: 2021) { line reports calls complaints satisfaction }
        children { code reportedHotlines(year: 2021) { line calls } } }
    }`);
    const { region } = response.data;
    expect(region.reportedHotlines).toEqual([
      { line: '12345', reports: 2, calls: 1000, complaints: null, satisfaction: 93 },
      { line: '12365', reports: 1, calls: null, complaints: 7, satisfaction: null },
    ]);
    expect(region.children.find((c: { code: string }) => c.code === '320804').reportedHotlines).toEqual([
      { line: '12345', calls: 300 },
      { line: '12365', calls: null },
    ]);
    // region, children, then one statement for the region and one for all its children
    expect(statements).toBe(4);
  });

  it("reads the hotline figures through figure_hotline_idx, whose predicate is the statement's filter", async () => {
    // The statement exactly as the loader sends it, for a batch of two provinces and a city.
    const sent: CompiledQuery[] = [];
    const em = { getKysely: () => ({ executeQuery: async (query: CompiledQuery) => (sent.push(query), { rows: [] }) }) };
    await reportedHotlines(em as unknown as EntityManager, ['320000', '320800', '430000'], 2021);
    expect(sent).toHaveLength(1);
    // Rewording the filter (starts_with, a range, `split_part(key, '.', 1) = 'hotline'`) would
    // leave the partial index unusable, and the figures of every report read from the table:
    // 2.4 s for the national overview, 11 s for a province with a cold cache (docs/performance.md).
    const client = new pg.Client({ connectionString: hub.databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      // the sample's tables are small enough for the planner to prefer reading them whole (and,
      // not vacuumed, to read the index as a bitmap rather than index-only as at scale)
      await client.query('set local enable_seqscan = off');
      const plan = await client.query(`explain ${sent[0]!.sql}`, [...sent[0]!.parameters]);
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/ on figure_hotline_idx|using figure_hotline_idx on figure /);
    } finally {
      await client.query('rollback');
      await client.end();
    }
  });
});
