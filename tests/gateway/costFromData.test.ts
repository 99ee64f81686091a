// The cost limit estimates list sizes from the data (issue 15, analysts' ad-hoc queries): each
// subgraph publishes how long its lists are (Query._listSizes, internal), the gateway reads them
// through the subgraphs' API with its signature, and a refusal names the field that drives the
// cost and a rewrite that fits. Without statistics the fixed guesses still apply.
import { randomBytes } from 'node:crypto';
import { parse, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES } from '../../lib/config.ts';
import { PUBLIC } from '../../lib/auth/identity.ts';
import { signInternalRequest } from '../../lib/auth/internalSignature.ts';
import { LIST_SIZES_QUERY } from '../../lib/graphql/listSizeStatistics.ts';
import { countStatements } from '../../lib/database/statementCounter.ts';
import { composeGraph } from '../../gateway/registry/compose.ts';
import { operationCost } from '../../gateway/limits/documentLimits.ts';
import { ListSizes } from '../../gateway/limits/listSizes.ts';
import { listSizeStatistics } from '../../gateway/listSizeStatistics.ts';
import { startGateway } from '../../gateway/server.ts';
import { postGraphQL, startTestHub, type TestHub } from '../support/hub.ts';
import { ADMIN, token } from '../support/auth.ts';
import { PROVINCE_DASHBOARD } from '../../bench/dashboard.ts';

let hub: TestHub;
let changshaAnalyst: string;
let api: GraphQLSchema;
let observed: ListSizes;

const MAX_COST = 100_000;
// 长沙市: its agencies, their reports with figures and flags
const CITY_QUERY = `{ region(code: "430100") { name agencies { name reports { year figures { key value } flags { code } } } } }`;
const CITY_CONNECTION_QUERY = `{ agencies(regionCode: "430100", first: 100) { nodes { name reports { year figures { key value } flags { code } } } } }`;

const targets = () => SUBGRAPH_NAMES.map((name) => ({ name, url: hub.gatewayOptions.subgraphUrls[name] }));
const cost = (query: string, listSizes: ListSizes) => operationCost(api, parse(query), null, {}, { maxPageSize: 1000, listSizes });

async function readStatistics(key: Buffer): Promise<ListSizes> {
  const source = listSizeStatistics(targets(), key, 60_000);
  await source.start();
  source.stop();
  return source.current();
}

beforeAll(async () => {
  hub = await startTestHub({ sampleData: true });
  changshaAnalyst = await token({ sub: 'cs-analyst', region: '430100', roles: ['analyst'] });
  const composed = composeGraph([]);
  if (!composed.ok) throw new Error('the hub does not compose');
  api = composed.apiSchema;
  observed = await readStatistics(hub.internalKey);
});

describe('the statistics the subgraphs publish', () => {
  it('give the real sizes of the lists, per level of the parent region where that differs', async () => {
    const regions = (await hub.query<any>('{ regions { code } }', {}, ADMIN)).data.regions;
    expect(observed.observed('Query.regions', '*')).toBe(regions.length);
    const cities = (await hub.query<any>('{ regions(level: CITY) { code } }')).data.regions;
    expect(observed.observed('Query.regions', 'CITY')).toBe(cities.length);
    // a province's children outnumber a city's, a county has none
    const hunan = (await hub.query<any>('{ region(code: "430000") { children { code children { code } } } }')).data.region.children;
    expect(observed.observed('Region.children', 'PROVINCE')).toBeGreaterThanOrEqual(hunan.length);
    expect(observed.observed('Region.children', 'CITY')).toBeGreaterThanOrEqual(Math.max(...hunan.map((c: any) => c.children.length)));
    expect(observed.observed('Region.children', 'COUNTY')).toBe(0);
    // 长沙市's own agencies and their reports are within what is published for a city and an agency
    const changsha = (await hub.query<any>(CITY_QUERY, {}, changshaAnalyst)).data.region.agencies;
    expect(observed.observed('Region.agencies', 'CITY')).toBeGreaterThanOrEqual(changsha.length);
    const reports = changsha.flatMap((agency: any) => agency.reports);
    expect(reports.length).toBeGreaterThan(0);
    expect(observed.observed('Agency.reports', '*')).toBeGreaterThanOrEqual(Math.max(...changsha.map((a: any) => a.reports.length)));
    expect(observed.observed('AnnualReport.figures', '*')).toBeGreaterThanOrEqual(Math.max(...reports.map((r: any) => r.figures.length)));
    expect(observed.observed('AnnualReport.flags', '*')).toBeGreaterThanOrEqual(Math.max(...reports.map((r: any) => r.flags.length)));
    expect(observed.observed('HotlineFigures.byLine', '*')).toBeGreaterThan(0);
  });

  it('answer only the gateway, and are computed at most once a minute', async () => {
    const ask = async (name: (typeof SUBGRAPH_NAMES)[number], key: Buffer | null) => {
      const payload = { query: LIST_SIZES_QUERY };
      const signature = key ? signInternalRequest(key, PUBLIC, payload, { audience: name }) : {};
      return fetch(hub.gatewayOptions.subgraphUrls[name], {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signature },
        body: JSON.stringify(payload),
      });
    };
    expect((await ask('reports', null)).status).toBe(401);
    // the gateway read them when it started: within the minute, no statement
    const again = await countStatements(async () => (await (await ask('reports', hub.internalKey)).json()) as { data: { _listSizes: unknown[] } });
    expect(again.result.data._listSizes.length).toBeGreaterThan(0);
    expect(again.statements).toBe(0);
  });

  it('are not part of the public graph', async () => {
    const response = await hub.query('{ _listSizes { field max } }', {}, ADMIN);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.data ?? null).toBeNull();
  });
});

describe('the cost limit with the real sizes', () => {
  it("accepts the city query of issue 15, which the fixed guesses refused", async () => {
    for (const query of [CITY_QUERY, CITY_CONNECTION_QUERY]) {
      expect(cost(query, ListSizes.GUESSES)).toBeGreaterThan(MAX_COST);
      expect(cost(query, observed)).toBeLessThanOrEqual(MAX_COST);
      const { data, errors } = await hub.query<any>(query, {}, changshaAnalyst);
      expect(errors).toBeUndefined();
      const agencies = data.region?.agencies ?? data.agencies.nodes;
      expect(agencies.length).toBeGreaterThan(1);
      expect(agencies.some((agency: any) => agency.reports.some((report: any) => report.figures.length > 0))).toBe(true);
    }
  });

  it("uses a region's level when the query tells it: a city's children are counted as a city's, not a province's", () => {
    const children = (code: string) => cost(`{ region(code: "${code}") { children { code } } }`, observed);
    // 重庆市 has 38 districts and counties; no city has as many
    expect(children('500000')).toBe(1 + 1 + observed.observed('Region.children', '50:PROVINCE')!);
    expect(children('430100')).toBe(1 + 1 + observed.observed('Region.children', '43:CITY')!);
    expect(children('430100')).toBeLessThan(children('500000'));
    expect(children('430102')).toBe(1 + 1 + 1); // a county: at least one item is still counted
  });

  it("prices a province's dashboard with its own regions: 湖南省's cities are not counted with 重庆市's 38 children", () => {
    const dashboard = (code: string) => operationCost(api, parse(PROVINCE_DASHBOARD), null, { code, year: 2024 }, { maxPageSize: 1000, listSizes: observed });
    expect(observed.observed('Region.children', '50:PROVINCE')).toBeGreaterThan(observed.observed('Region.children', '43:PROVINCE')!);
    expect(dashboard('430000')).toBeLessThan(dashboard('500000') * 4);
    for (const code of ['430000', '320000', '500000', '510000']) expect(dashboard(code)).toBeLessThanOrEqual(MAX_COST);
    // not knowing the province, the largest of every province's counts
    const anyProvince = cost('{ regions(level: PROVINCE) { children { children { code } } } }', observed);
    expect(anyProvince).toBeGreaterThan(cost('{ region(code: "430000") { children { children { code } } } }', observed) * 31);
  });

  it('refuses a query really too big, naming its driving field and the page that fits', async () => {
    const query = (first: number) =>
      `{ agencies(regionCode: "430000", includeSubtree: true, first: ${first}) { nodes { name reports { year figures { key value } } } } }`;
    const refused = await hub.query(query(500), {}, ADMIN);
    expect(refused.data ?? null).toBeNull();
    const [error] = refused.errors!;
    expect(error!.extensions).toMatchObject({
      code: 'COST_LIMIT_EXCEEDED',
      maxCost: MAX_COST,
      drivingField: 'agencies.nodes.reports.figures',
      suggestion: { kind: 'PAGE', path: 'agencies', argument: 'first' },
    });
    const { value } = error!.extensions!.suggestion as { value: number };
    expect(error!.extensions!.cost).toBeGreaterThan(MAX_COST);
    expect(error!.extensions!.drivingShare).toBeGreaterThan(0.5);
    expect(error!.message).not.toContain('\n');
    expect(error!.message).toContain('agencies.nodes.reports.figures');
    expect(error!.message).toContain(`ask for first: ${value} on agencies`);
    // the suggestion applied is accepted; one more item is not: it is the largest page that fits
    const accepted = await hub.query<any>(query(value), {}, ADMIN);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.agencies.nodes.length).toBe(value);
    expect((await hub.query(query(value + 1), {}, ADMIN)).errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
  });

  it('suggests leaving the driving field out when no page fits, and the query without it is accepted', async () => {
    const query = (figures: string) => `{ regions(level: CITY) { code agencies { name reports { year ${figures} flags { code } } } } }`;
    const refused = await hub.query(query('figures { key value }'), {}, ADMIN);
    const [error] = refused.errors!;
    expect(error!.extensions).toMatchObject({
      code: 'COST_LIMIT_EXCEEDED',
      drivingField: 'regions.agencies.reports.figures',
      suggestion: { kind: 'LEAVE_OUT', path: 'regions.agencies.reports.figures' },
    });
    expect(error!.message).toContain('leave out regions.agencies.reports.figures');
    const accepted = await hub.query<any>(query(''), {}, ADMIN);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.regions.length).toBeGreaterThan(300);
  });

  it('names the path as the query writes it: aliases, and fields inside fragments', async () => {
    const refused = await hub.query(
      `{ all: agencies(regionCode: "430000", includeSubtree: true, first: 500) { nodes { ...withFigures } } }
       fragment withFigures on Agency { reports { year numbers: figures { key value } } }`,
      {},
      ADMIN,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ drivingField: 'all.nodes.reports.numbers', suggestion: { path: 'all' } });
  });
});

describe('without statistics', () => {
  it('keeps the fixed guesses when the subgraphs do not give them', async () => {
    // a key the subgraphs do not share: every one refuses the request
    const unread = await readStatistics(randomBytes(32));
    expect(unread.size).toBe(0);
    expect(cost(CITY_QUERY, unread)).toBe(cost(CITY_QUERY, ListSizes.GUESSES));
  });

  it('refuses the city query as before in a gateway that does not read them', async () => {
    const gateway = await startGateway({ ...hub.gatewayOptions, port: 0, limits: { ...hub.gatewayOptions.limits, listSizesRefreshMs: 0 } });
    try {
      const response = await postGraphQL<any>(gateway.url, CITY_QUERY, {}, changshaAnalyst);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: cost(CITY_QUERY, ListSizes.GUESSES) });
      expect(response.errors?.[0]?.extensions?.suggestion).toMatchObject({ kind: 'PAGE', path: 'region.agencies', argument: 'first' });
    } finally {
      await gateway.close();
    }
  });
});
