// Attacks on jurisdiction (issue 13, class 4) and on names (class 8), beside the matrix of
// attacks.test.ts: every role, admin included, acts within the region its token names, national
// scope is the explicit claim region 000000; every write is checked against every agency it
// touches; every path to flag data follows the rule of `flags`; names cannot pass for others.
import { decodeJwt } from 'jose';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstRow } from '../support/database.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { ADMIN, TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET, token } from '../support/auth.ts';
import { runCli } from '../support/cli.ts';
import { createAgency, figureList, submit } from '../support/reports.ts';
import { signInternalRequest } from '../../lib/auth/internalSignature.ts';

let hub: TestHub;
let changshaAdmin: string;
let changshaEditor: string;
let furongEditor: string;
let changshaAnalyst: string;
let nationalAdmin: string;
let furongAgency: string;
let furongOther: string;
let zhuzhouAgency: string;
let zhuzhouOther: string;

const count = async (sql: string): Promise<number> => (await firstRow<{ n: number }>(hub.databaseUrl, sql)).n;
const codeOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => response.errors?.[0]?.extensions?.code;
const lineage = () => count('select count(*)::int as n from agencies.agency_lineage');
const agencies = () => count('select count(*)::int as n from agencies.agency');
const audited = () => count('select count(*)::int as n from hotline.personal_data_read');

const TICKETS = (code: string) => `{ tickets(regionCode: "${code}", year: 2024, first: 5) { totalCount nodes { callerName callerPhone text personalDataMasked } } }`;
const CREATE = 'mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { id name aliases } }';
const UPDATE = 'mutation ($id: ID!, $input: UpdateAgencyInput!) { updateAgency(id: $id, input: $input) { id name predecessors { agency { id } year kind } } }';
const linksOf = async (id: string) =>
  (await hub.query('query ($id: ID!) { agency(id: $id) { predecessors { agency { id } } successors { agency { id } } } }', { id })).data.agency;

beforeAll(async () => {
  hub = await startTestHub({ sampleData: true });
  changshaAdmin = await token({ sub: 'cs-admin', region: '430100', roles: ['admin'] });
  changshaEditor = await token({ sub: 'cs-editor', region: '430100', roles: ['editor'] });
  furongEditor = await token({ sub: 'fr-editor', region: '430102', roles: ['editor'] });
  changshaAnalyst = await token({ sub: 'cs-analyst', region: '430100', roles: ['analyst'] });
  nationalAdmin = await token({ sub: 'cn-admin', region: '000000', roles: ['admin'] });
  furongAgency = await createAgency(hub, '芙蓉区辖区测试局', '430102');
  furongOther = await createAgency(hub, '芙蓉区辖区另一局', '430102');
  zhuzhouAgency = await createAgency(hub, '株洲市辖区测试局', '430200');
  zhuzhouOther = await createAgency(hub, '株洲市辖区另一局', '430200');
});

describe('class 4: admin is scoped by its region, national scope is explicit', () => {
  it("keeps another province's and another city's tickets from a city admin, in clear or masked, and audits nothing", async () => {
    const before = await audited();
    for (const code of ['320100', '430200', '430000']) {
      const response = await hub.query(TICKETS(code), {}, changshaAdmin);
      expect(codeOf(response), code).toBe('FORBIDDEN');
      expect(response.data?.tickets ?? null).toBeNull();
    }
    expect(await audited()).toBe(before);
  });

  it("shows a city admin its own city's tickets in clear, audited under its name", async () => {
    const own = await hub.query(TICKETS('430100'), {}, changshaAdmin);
    expect(own.errors).toBeUndefined();
    expect(own.data.tickets.nodes.length).toBeGreaterThan(0);
    expect(own.data.tickets.nodes.every((t: { personalDataMasked: boolean }) => !t.personalDataMasked)).toBe(true);
    expect(await count(`select count(*)::int as n from hotline.personal_data_read where subject = 'cs-admin' and subject_region = '430100'`)).toBeGreaterThan(0);
  });

  it('gives the whole country to the explicit national claim (region 000000)', async () => {
    for (const code of ['320100', '430200']) {
      const response = await hub.query(TICKETS(code), {}, nationalAdmin);
      expect(response.errors, code).toBeUndefined();
      expect(response.data.tickets.nodes.every((t: { personalDataMasked: boolean }) => !t.personalDataMasked)).toBe(true);
    }
    const analyst = await token({ sub: 'cn-analyst', region: '000000', roles: ['analyst'] });
    expect((await hub.query('{ flags(regionCode: "320000", year: 2024, first: 1) { totalCount } }', {}, analyst)).errors).toBeUndefined();
  });

  it('refuses a token that grants roles but names no region, instead of reading it as national', async () => {
    const regionless = await token({ sub: 'x', roles: ['admin'] });
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${regionless}` },
      body: JSON.stringify({ query: TICKETS('320100') }),
    });
    expect(response.status).toBe(401);
    const body: any = await response.json();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0].message).toContain('000000');
    expect(body.data).toBeUndefined();
  });

  it('gives a region-less admin identity nothing, even signed by the gateway', async () => {
    const query = { query: '{ tickets(regionCode: "320100", year: 2024, first: 1) { totalCount } }' };
    const headers = signInternalRequest(hub.internalKey, { subject: 'x', region: null, roles: ['admin'] }, query, { audience: 'hotline' });
    const response = await fetch(hub.subgraphs.hotline.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(query) });
    const body: any = await response.json();
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0].message).toContain('names no region');
    expect(body.data?.tickets ?? null).toBeNull();
  });

  it("keeps a city admin's writes within its city", async () => {
    const before = await agencies();
    const elsewhere = await hub.query(CREATE, { input: { name: '株洲市越权局', regionCode: '430200', sector: 'OTHER' } }, changshaAdmin);
    expect(codeOf(elsewhere)).toBe('FORBIDDEN');
    const renamed = await hub.query(UPDATE, { id: zhuzhouAgency, input: { name: '株洲市辖区改名局' } }, changshaAdmin);
    expect(codeOf(renamed)).toBe('FORBIDDEN');
    expect(await agencies()).toBe(before);
  });

  it('lets `gongkai token --national` mint the national claim, and refuses roles without a region', () => {
    const env = { GONGKAI_JWT_SECRET: new TextDecoder().decode(TEST_SECRET), GONGKAI_JWT_ISSUER: TEST_ISSUER, GONGKAI_JWT_AUDIENCE: TEST_AUDIENCE };
    const minted = runCli(['token', '--sub', 'ops', '--national', '--roles', 'admin'], env);
    expect(minted.status, minted.stderr).toBe(0);
    expect(decodeJwt(minted.stdout.trim())).toMatchObject({ sub: 'ops', region: '000000', roles: ['admin'] });
    const explicit = runCli(['token', '--sub', 'ops', '--region', '000000', '--roles', 'analyst'], env);
    expect(explicit.status, explicit.stderr).toBe(0);
    const regionless = runCli(['token', '--sub', 'ops', '--roles', 'admin'], env);
    expect(regionless.status).not.toBe(0);
    expect(regionless.stderr).toContain('--national');
  });
});

describe('class 4: every write checks the jurisdiction of every agency it touches', () => {
  it("refuses an editor a predecessor in another city, on create and on update, and writes nothing", async () => {
    const [agenciesBefore, lineageBefore] = [await agencies(), await lineage()];
    const created = await hub.query(
      CREATE,
      { input: { name: '芙蓉区继任测试局', regionCode: '430102', sector: 'OTHER', predecessors: [{ predecessorId: zhuzhouAgency, year: 2020, kind: 'MERGED' }] } },
      furongEditor,
    );
    expect(codeOf(created)).toBe('FORBIDDEN');
    expect(created.errors?.[0]?.message).toContain(zhuzhouAgency);
    const updated = await hub.query(UPDATE, { id: furongAgency, input: { predecessors: [{ predecessorId: zhuzhouAgency, year: 2020, kind: 'MERGED' }] } }, furongEditor);
    expect(codeOf(updated)).toBe('FORBIDDEN');
    expect(updated.data?.updateAgency ?? null).toBeNull();
    expect([await agencies(), await lineage()]).toEqual([agenciesBefore, lineageBefore]);
    // 株洲's public lineage is unchanged
    expect(await linksOf(zhuzhouAgency)).toEqual({ predecessors: [], successors: [] });
  });

  it('refuses a city editor a county of another city as predecessor, and a city admin the same', async () => {
    for (const bearer of [changshaEditor, changshaAdmin]) {
      const response = await hub.query(UPDATE, { id: furongAgency, input: { predecessors: [{ predecessorId: zhuzhouOther, year: 2019, kind: 'RENAMED' }] } }, bearer);
      expect(codeOf(response)).toBe('FORBIDDEN');
    }
    expect(await linksOf(zhuzhouOther)).toEqual({ predecessors: [], successors: [] });
  });

  it('lets an editor link within its jurisdiction, and keep but not remove or change a link a national admin made across it', async () => {
    const linked = await hub.query(UPDATE, { id: furongAgency, input: { predecessors: [{ predecessorId: furongOther, year: 2020, kind: 'MERGED' }] } }, furongEditor);
    expect(linked.errors).toBeUndefined();
    // a national admin links the 株洲 agency too (a reorganisation across cities)
    const across = [
      { predecessorId: furongOther, year: 2020, kind: 'MERGED' },
      { predecessorId: zhuzhouAgency, year: 2020, kind: 'MERGED' },
    ];
    expect((await hub.query(UPDATE, { id: furongAgency, input: { predecessors: across } }, nationalAdmin)).errors).toBeUndefined();
    const lineageBefore = await lineage();
    // keeping it as it is touches nothing of 株洲
    const kept = await hub.query(UPDATE, { id: furongAgency, input: { name: '芙蓉区辖区测试局(改)', predecessors: across } }, furongEditor);
    expect(kept.errors).toBeUndefined();
    // removing it, or changing its year, changes 株洲's lineage
    const removed = await hub.query(UPDATE, { id: furongAgency, input: { predecessors: [across[0]] } }, furongEditor);
    expect(codeOf(removed)).toBe('FORBIDDEN');
    const changed = await hub.query(UPDATE, { id: furongAgency, input: { predecessors: [across[0], { ...across[1], year: 2021 }] } }, furongEditor);
    expect(codeOf(changed)).toBe('FORBIDDEN');
    expect(await lineage()).toBe(lineageBefore);
    expect((await linksOf(zhuzhouAgency)).successors).toEqual([{ agency: { id: furongAgency } }]);
  });

  it('moves an agency only with the jurisdiction of both the old and the new region', async () => {
    const intoOwn = await hub.query(UPDATE, { id: zhuzhouOther, input: { regionCode: '430100' } }, changshaEditor);
    expect(codeOf(intoOwn)).toBe('FORBIDDEN');
    const outOfOwn = await hub.query(UPDATE, { id: furongOther, input: { regionCode: '430200' } }, changshaEditor);
    expect(codeOf(outOfOwn)).toBe('FORBIDDEN');
    const within = await hub.query(UPDATE, { id: furongOther, input: { regionCode: '430100' } }, changshaEditor);
    expect(within.errors).toBeUndefined();
    const { data } = await hub.query('{ a: agency(id: "' + zhuzhouOther + '") { region { code } } b: agency(id: "' + furongOther + '") { region { code } } }');
    expect(data).toEqual({ a: { region: { code: '430200' } }, b: { region: { code: '430100' } } });
  });
});

describe('class 4: every path to flag data follows the rule of `flags`', () => {
  const AGENCY_RANKING = (code: string) => `{ ranking(regionCode: "${code}", year: 2024, metric: FLAGGED_COUNT, level: COUNTY, first: 500) { rank value agency { id } } }`;

  it('refuses the public a ranking of agencies by FLAGGED_COUNT, field by field', async () => {
    const response = await hub.query(`{ ${AGENCY_RANKING('430000').slice(1, -1)} regions(level: PROVINCE) { code } }`);
    expect(codeOf(response)).toBe('UNAUTHENTICATED');
    expect(response.data?.ranking ?? null).toBeNull();
    expect(response.data?.regions).toHaveLength(31);
  });

  it('gives analysts the ranking of the agencies within their jurisdiction only, the same as `flags` shows', async () => {
    expect(codeOf(await hub.query(AGENCY_RANKING('430000'), {}, changshaAnalyst))).toBe('FORBIDDEN');
    expect(codeOf(await hub.query(AGENCY_RANKING('430200'), {}, changshaAnalyst))).toBe('FORBIDDEN');
    const own = await hub.query(AGENCY_RANKING('430100'), {}, changshaAnalyst);
    expect(own.errors).toBeUndefined();
    const hunan = await hub.query(AGENCY_RANKING('430000'), {}, ADMIN);
    expect(hunan.errors).toBeUndefined();
    expect(hunan.data.ranking.some((entry: { value: number }) => entry.value === 1)).toBe(true);
  });

  it('keeps the other rankings and the rollups of regions public (aggregates, as Region.disclosure.flagged)', async () => {
    const response = await hub.query(`{
      late: ranking(regionCode: "430000", year: 2024, metric: LATE_COUNT, level: COUNTY, first: 3) { rank }
      children: ranking(regionCode: "430000", year: 2024, metric: FLAGGED_COUNT) { value region { disclosure(year: 2024) { flagged } } }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data.late).toHaveLength(3);
    for (const entry of response.data.children) expect(entry.value).toBe(entry.region.disclosure.flagged);
  });
});

describe('class 8: names that deceive', () => {
  const refusedName = async (name: string, fragment: string) => {
    const before = await agencies();
    const response = await hub.query(CREATE, { input: { name, regionCode: '430102', sector: 'OTHER' } }, ADMIN);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.name' });
    expect(response.errors?.[0]?.message).toContain(fragment);
    expect(response.data?.createAgency ?? null).toBeNull();
    expect(await agencies()).toBe(before);
  };

  it.each([
    ['U+202E RIGHT-TO-LEFT OVERRIDE', '长沙市\u202E局育教', 'U+202E'],
    ['U+202A LEFT-TO-RIGHT EMBEDDING', '长沙市\u202A教育局', 'U+202A'],
    ['U+2066 LEFT-TO-RIGHT ISOLATE', '长沙市\u2066教育局\u2069', 'U+2066'],
    ['U+200F RIGHT-TO-LEFT MARK', '长沙市教育局\u200F', 'U+200F'],
    ['U+061C ARABIC LETTER MARK', '长沙市\u061C教育局', 'U+061C'],
  ])('refuses a bidirectional control (%s) with BAD_USER_INPUT', (_, name, codePoint) => refusedName(name, `bidirectional control character (${codePoint})`));

  it.each([
    ['U+200B ZERO WIDTH SPACE', '长沙市人民\u200B政府', 'U+200B'],
    ['U+200D ZERO WIDTH JOINER', '长沙市人民政府\u200D', 'U+200D'],
    ['U+2060 WORD JOINER', '长沙\u2060市人民政府', 'U+2060'],
    ['U+FEFF ZERO WIDTH NO-BREAK SPACE', '\uFEFF长沙市人民政府', 'U+FEFF'],
  ])('refuses a zero-width character (%s) with BAD_USER_INPUT', (_, name, codePoint) => refusedName(name, `zero-width character (${codePoint})`));

  it('refuses them in aliases, in renames and in the agency name of a submitted report', async () => {
    const alias = await hub.query(CREATE, { input: { name: '芙蓉区别名测试局', regionCode: '430102', sector: 'OTHER', aliases: ['别名\u200B局'] } }, ADMIN);
    expect(alias.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.aliases[0]' });
    const rename = await hub.query(UPDATE, { id: furongAgency, input: { name: '芙蓉区\u202E局试测' } }, ADMIN);
    expect(rename.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.name' });
    const report = await submit(hub, { agencyId: furongAgency, year: 2022, agencyName: '芙蓉区\u200B测试局', figures: figureList({ 'applications.received': 1 }) });
    expect(report.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.agencyName' });
  });

  it('finds a duplicate that only looks different once normalised (NFKC, whitespace)', async () => {
    // ⼈ is U+2F08 KANGXI RADICAL MAN, drawn as 人; 　 is an ideographic space
    for (const name of ['长沙市⼈民政府', '　长沙市人民政府 ', '长沙市人民政府']) {
      const response = await hub.query(CREATE, { input: { name, regionCode: '430100', sector: 'GOVERNMENT' } }, ADMIN);
      expect(response.errors?.[0]?.extensions, name).toMatchObject({ code: 'DUPLICATE_AGENCY_NAME' });
    }
  });

  it('stores names normalised: NFKC, trimmed, inner whitespace collapsed, aliases too', async () => {
    const response = await hub.query(CREATE, { input: { name: ' 芙蓉区ＡＢＣ　 测试局（一） ', regionCode: '430102', sector: 'OTHER', aliases: ['ＡＢＣ局', 'ABC局'] } }, ADMIN);
    expect(response.errors).toBeUndefined();
    expect(response.data.createAgency).toMatchObject({ name: '芙蓉区ABC 测试局(一)', aliases: ['ABC局'] });
    const again = await hub.query(CREATE, { input: { name: '芙蓉区ABC 测试局(一)', regionCode: '430102', sector: 'OTHER' } }, ADMIN);
    expect(codeOf(again)).toBe('DUPLICATE_AGENCY_NAME');
    // a search typed the other way finds it
    const found = await hub.query('{ agencies(regionCode: "430102", search: "ＡＢＣ　测试局（一）") { nodes { name } } region(code: "430102") { agencies(search: "ＡＢＣ") { name } } }');
    expect(found.data.agencies.nodes).toEqual([{ name: '芙蓉区ABC 测试局(一)' }]);
    expect(found.data.region.agencies).toEqual([{ name: '芙蓉区ABC 测试局(一)' }]);
  });

  it('brings names stored before into the normal form, keeping look-alikes apart (migration)', async () => {
    const { normaliseStoredAgencyNames } = await import('../../subgraphs/agencies/migrations/Migration20261215000000NormaliseAgencyNames.ts');
    const client = new pg.Client({ connectionString: hub.databaseUrl });
    await client.connect();
    try {
      const insert = async (name: string, aliases: string[] = []) =>
        String((await client.query(`insert into agencies.agency (name, aliases, sector_code, region_code) values ($1, $2, 'OTHER', '430103') returning id`, [name, aliases])).rows[0].id);
      const original = await insert('天心区迁移测试局');
      const lookalike = await insert('天心区迁移测试局\u200B');
      const reversed = await insert('天心区\u202E局试测移迁');
      const wide = await insert('天心区ＸＹＺ　　迁移局', ['ＸＹＺ局', 'XYZ局', '\uFEFF']);
      const changes = await normaliseStoredAgencyNames(async (text, params) => (await client.query(text, params)).rows);
      const names = async (id: string) => (await client.query('select name, aliases from agencies.agency where id = $1', [id])).rows[0];
      expect(await names(original)).toEqual({ name: '天心区迁移测试局', aliases: [] });
      expect(await names(lookalike)).toEqual({ name: `天心区迁移测试局 (#${lookalike})`, aliases: [] });
      expect(await names(reversed)).toEqual({ name: '天心区局试测移迁', aliases: [] });
      expect(await names(wide)).toEqual({ name: '天心区XYZ 迁移局', aliases: ['XYZ局'] });
      expect(changes.map((c) => String(c.id)).sort()).toEqual([lookalike, reversed, wide].sort());
      // a second run changes nothing
      expect(await normaliseStoredAgencyNames(async (text, params) => (await client.query(text, params)).rows)).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
