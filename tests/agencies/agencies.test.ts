import { beforeAll, describe, expect, it } from 'vitest';
import { firstRow } from '../support/database.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { ADMIN } from '../support/auth.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ sampleData: true });
});

async function agencyRowCount(): Promise<number> {
  return (await firstRow(hub.databaseUrl, 'select count(*)::int as n from agencies.agency')).n;
}

const CREATE = `mutation ($input: CreateAgencyInput!) {
  createAgency(input: $input) { id name aliases level sector { code name } region { code name } activeFrom activeTo dataOrigin predecessors { year kind agency { name } } }
}`;

describe('the agency directory', () => {
  it('loads the labelled sample directory with its 2018 lineage', async () => {
    const { data } = await hub.query(`{
      agencies(regionCode: "430100", sector: "MARKET_REGULATION") {
        nodes { name level dataOrigin activeFrom predecessors { year kind agency { name sector { code } activeTo successors { agency { name } } } } }
      }
    }`);
    expect(data.agencies.nodes).toEqual([
      {
        name: '长沙市市场监督管理局',
        level: 'CITY',
        dataOrigin: 'SAMPLE',
        activeFrom: 2018,
        predecessors: [
          {
            year: 2018,
            kind: 'MERGED',
            agency: {
              name: '长沙市质量技术监督局',
              sector: { code: 'QUALITY_SUPERVISION' },
              activeTo: 2018,
              successors: [{ agency: { name: '长沙市市场监督管理局' } }],
            },
          },
        ],
      },
    ]);
  });

  it('gives a province department PROVINCE level and a county government COUNTY level', async () => {
    const { data } = await hub.query(`{
      p: agencies(regionCode: "430000", sector: "COMMERCE") { nodes { name level } }
      c: agencies(regionCode: "320813") { nodes { name aliases level } }
    }`);
    expect(data.p.nodes).toEqual([{ name: '湖南省商务厅', level: 'PROVINCE' }]);
    expect(data.c.nodes).toEqual([{ name: '淮安市洪泽区人民政府', aliases: ['洪泽区人民政府'], level: 'COUNTY' }]);
  });

  it('pages through a subtree with cursors, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 20; page++) {
      const { data }: any = await hub.query(
        `query ($after: String) { agencies(regionCode: "320800", includeSubtree: true, first: 7, after: $after) {
           nodes { id region { code } } pageInfo { hasNextPage endCursor } totalCount } }`,
        { after },
      );
      total = data.agencies.totalCount;
      seen.push(...data.agencies.nodes.map((n: { id: string }) => n.id));
      expect(data.agencies.nodes.every((n: any) => n.region.code.startsWith('3208'))).toBe(true);
      if (!data.agencies.pageInfo.hasNextPage) break;
      after = data.agencies.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(7);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('filters by level and searches names and aliases', async () => {
    const { data } = await hub.query(`{
      counties: agencies(regionCode: "320800", includeSubtree: true, level: COUNTY, first: 100) { nodes { level } totalCount }
      byAlias: agencies(search: "洪泽区人民政府") { nodes { name } }
    }`);
    expect(data.counties.totalCount).toBeGreaterThan(0);
    expect(data.counties.nodes.every((n: { level: string }) => n.level === 'COUNTY')).toBe(true);
    expect(data.byAlias.nodes.map((n: { name: string }) => n.name)).toEqual(['淮安市洪泽区人民政府']);
  });

  it('rejects a bad cursor and a page size out of range', async () => {
    const cursor = await hub.query('{ agencies(after: "not-a-cursor") { totalCount } }');
    expect(cursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const size = await hub.query('{ agencies(first: 100000) { totalCount } }');
    expect(size.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });

  it('creates an agency with a predecessor', async () => {
    const before = await hub.query('{ agencies(regionCode: "430102", sector: "WORK_SAFETY") { nodes { id } } }');
    expect(before.data.agencies.nodes).toEqual([]);
    const old = await hub.query(CREATE, {
      input: { name: '长沙市芙蓉区安全生产监督管理局', regionCode: '430102', sector: 'WORK_SAFETY', activeFrom: 2005, activeTo: 2018 },
    }, ADMIN);
    expect(old.errors).toBeUndefined();
    const created = await hub.query(CREATE, {
      input: {
        name: ' 长沙市芙蓉区应急管理局 ',
        regionCode: '430102',
        sector: 'EMERGENCY_MANAGEMENT',
        aliases: ['芙蓉区应急管理局'],
        activeFrom: 2018,
        predecessors: [{ predecessorId: old.data.createAgency.id, year: 2018, kind: 'MERGED' }],
      },
    }, ADMIN);
    expect(created.errors).toBeUndefined();
    expect(created.data.createAgency).toMatchObject({
      name: '长沙市芙蓉区应急管理局',
      aliases: ['芙蓉区应急管理局'],
      level: 'COUNTY',
      sector: { code: 'EMERGENCY_MANAGEMENT', name: '应急管理' },
      region: { code: '430102', name: '芙蓉区' },
      dataOrigin: 'OFFICIAL',
      predecessors: [{ year: 2018, kind: 'MERGED', agency: { name: '长沙市芙蓉区安全生产监督管理局' } }],
    });
  });

  it.each([
    ['an unknown region', { name: '某局', regionCode: '439999', sector: 'COMMERCE' }, 'UNKNOWN_REGION'],
    ['a malformed region code', { name: '某局', regionCode: 'abc', sector: 'COMMERCE' }, 'UNKNOWN_REGION'],
    ['an unknown sector', { name: '某局', regionCode: '430102', sector: 'NOPE' }, 'UNKNOWN_SECTOR'],
    ['a duplicate name in one region', { name: '长沙市人民政府', regionCode: '430100', sector: 'GOVERNMENT' }, 'DUPLICATE_AGENCY_NAME'],
    ['an empty name', { name: '  ', regionCode: '430102', sector: 'COMMERCE' }, 'BAD_USER_INPUT'],
    ['years out of order', { name: '某局', regionCode: '430102', sector: 'COMMERCE', activeFrom: 2020, activeTo: 2010 }, 'BAD_USER_INPUT'],
    [
      'an unknown predecessor',
      { name: '某局', regionCode: '430102', sector: 'COMMERCE', predecessors: [{ predecessorId: '999999', year: 2018, kind: 'MERGED' }] },
      'UNKNOWN_AGENCY',
    ],
  ])('refuses %s with a stable code and writes nothing', async (_, input, code) => {
    const before = await agencyRowCount();
    const { data, errors } = await hub.query(CREATE, { input }, ADMIN);
    expect(data?.createAgency ?? null).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe(code);
    expect(errors?.[0]?.message.length).toBeGreaterThan(10);
    expect(await agencyRowCount()).toBe(before);
  });

  it('updates an agency and refuses to rename it onto a sibling', async () => {
    const { data } = await hub.query('{ agencies(regionCode: "430200", sector: "COMMERCE") { nodes { id } } }');
    const id = data.agencies.nodes[0].id;
    const renamed = await hub.query(
      'mutation ($id: ID!) { updateAgency(id: $id, input: { aliases: ["株洲商务"], activeFrom: 1990 }) { name aliases activeFrom } }',
      { id },
      ADMIN,
    );
    expect(renamed.data.updateAgency).toEqual({ name: '株洲市商务局', aliases: ['株洲商务'], activeFrom: 1990 });
    const clash = await hub.query('mutation ($id: ID!) { updateAgency(id: $id, input: { name: "株洲市人民政府" }) { name } }', { id }, ADMIN);
    expect(clash.errors?.[0]?.extensions?.code).toBe('DUPLICATE_AGENCY_NAME');
    const after = await hub.query('query ($id: ID!) { agency(id: $id) { name } }', { id });
    expect(after.data.agency.name).toBe('株洲市商务局');
    const missing = await hub.query('mutation { updateAgency(id: "999999", input: { name: "x" }) { name } }', {}, ADMIN);
    expect(missing.errors?.[0]?.extensions?.code).toBe('AGENCY_NOT_FOUND');
  });

  it('resolves the agencies of 100 regions with one SQL statement', async () => {
    const { response, statements } = await hub.countedQuery(
      '{ regions(parentCode: "430000") { code agencies(first: 3) { name } } more: regions(level: COUNTY, search: "县") { code agencies { name } } }',
    );
    const regions = [...response.data.regions, ...response.data.more];
    expect(regions.length).toBeGreaterThanOrEqual(100);
    expect(response.data.regions[0].agencies).toHaveLength(3);
    // two region lists, then one statement per distinct argument set of `agencies`
    expect(statements).toBe(4);
  });

  it('pages through the agencies of a province with Region.agencyConnection, giving exactly Region.agencies', async () => {
    const { data: whole } = await hub.query('{ region(code: "320000") { agencies(includeSubtree: true, first: 1000) { id } } }');
    const expected = whole.region.agencies.map((a: { id: string }) => a.id);
    expect(expected.length).toBeGreaterThan(14);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 200; page++) {
      const { data }: any = await hub.query(
        `query ($after: String) { region(code: "320000") { agencyConnection(includeSubtree: true, first: 7, after: $after) {
           edges { cursor node { id } } pageInfo { hasNextPage endCursor } totalCount } } }`,
        { after },
      );
      const connection = data.region.agencyConnection;
      expect(connection.totalCount).toBe(expected.length);
      seen.push(...connection.edges.map((e: { node: { id: string } }) => e.node.id));
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1).cursor);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('answers the first page and count of every city of a province with one statement each', async () => {
    const { response, statements } = await hub.countedQuery(
      `{ regions(parentCode: "320000") { code
           agencies(includeSubtree: true, first: 100) { id }
           agencyConnection(includeSubtree: true, first: 2) { nodes { id } pageInfo { hasNextPage } totalCount } } }`,
    );
    const regions = response.data.regions;
    expect(regions).toHaveLength(13);
    expect(regions.some((r: any) => r.agencies.length > 2)).toBe(true);
    expect(regions.every((r: any) => r.agencies.length < 100)).toBe(true);
    for (const r of regions) {
      expect(r.agencyConnection.nodes).toEqual(r.agencies.slice(0, 2));
      expect(r.agencyConnection.totalCount).toBe(r.agencies.length);
      expect(r.agencyConnection.pageInfo.hasNextPage).toBe(r.agencies.length > 2);
    }
    // the regions, then one for Region.agencies, one for the pages, one for the counts
    expect(statements).toBe(4);
  });

  it('refuses a cursor of another list or a malformed one in Region.agencyConnection', async () => {
    const other = await hub.query('{ agencies(regionCode: "320800", first: 1) { pageInfo { endCursor } } }');
    const foreign = other.data.agencies.pageInfo.endCursor;
    for (const after of [foreign, 'not-a-cursor', Buffer.from('["regionAgency",-1]').toString('base64url')]) {
      const { errors } = await hub.query('query ($after: String) { region(code: "320800") { agencyConnection(after: $after) { totalCount } } }', { after });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    }
  });

  it('resolves sector, region, level and lineage of many agencies with one statement each', async () => {
    const { response, statements } = await hub.countedQuery(
      '{ agencies(regionCode: "430000", includeSubtree: true, first: 200) { nodes { name level sector { name } region { name } predecessors { agency { name } } successors { year } } } }',
    );
    expect(response.data.agencies.nodes.length).toBe(200);
    // page, then sectors + regions + predecessor links + successor links, then predecessor agencies
    expect(statements).toBe(6);
  });
});
