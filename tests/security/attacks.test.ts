// The access-control matrix of docs/security.md, attack by attack: each is refused with the
// right code, leaks nothing, writes nothing, and the hub keeps serving.
import { createHash } from 'node:crypto';
import { SignJWT, UnsecuredJWT, exportSPKI, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstRow } from '../support/database.ts';
import { startTestHub, postGraphQL, type TestHub } from '../support/hub.ts';
import { ADMIN, TEST_AUDIENCE, TEST_ISSUER, token } from '../support/auth.ts';
import { createAgency, figureList, submit } from '../support/reports.ts';
import { signInternalRequest } from '../../lib/auth/internalSignature.ts';

let hub: TestHub;
let changsha: { analyst: string; pii: string };
let hunanAnalyst: string;
let furongEditor: string;
let changshaAgency: string;
let furongAgency: string;
let supersededZhuzhou: string;

const rows = async (sql: string): Promise<number> => (await firstRow(hub.databaseUrl, sql)).n;

const codeOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => response.errors?.[0]?.extensions?.code;

async function raw(url: string, init: RequestInit): Promise<{ status: number; body: any }> {
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json().catch(() => null) };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

beforeAll(async () => {
  hub = await startTestHub({ sampleData: true });
  changsha = {
    analyst: await token({ sub: 'cs-analyst', region: '430100', roles: ['analyst'] }),
    pii: await token({ sub: 'cs-pii', region: '430100', roles: ['pii'] }),
  };
  hunanAnalyst = await token({ sub: 'hn-analyst', region: '430000', roles: ['analyst'] });
  furongEditor = await token({ sub: 'fr-editor', region: '430102', roles: ['editor'] });
  changshaAgency = await createAgency(hub, '长沙市测试局', '430100');
  furongAgency = await createAgency(hub, '长沙市芙蓉区测试局', '430102');
  const zhuzhou = await createAgency(hub, '株洲市测试局', '430200');
  const first = await submit(hub, { agencyId: zhuzhou, year: 2023, figures: figureList({ 'applications.received': 1 }) });
  await submit(hub, { agencyId: zhuzhou, year: 2023, figures: figureList({ 'applications.received': 2 }) });
  supersededZhuzhou = first.data.submitAnnualReport.report.id;
});

describe('tokens', () => {
  const ask = (bearer: string) => raw(hub.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: bearer },
    body: JSON.stringify({ query: '{ regions(level: PROVINCE) { code } }' }),
  });
  const refused = async (bearer: string) => {
    const { status, body } = await ask(bearer);
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeUndefined();
  };

  it('refuses a token signed with another secret', async () =>
    refused(`Bearer ${await token({ sub: 'x', roles: ['admin'] }, { secret: new TextEncoder().encode('another-secret-of-at-least-32-bytes-long!!') })}`));
  it('refuses an expired token', async () => refused(`Bearer ${await token({ sub: 'x', roles: ['admin'] }, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })}`));
  it('refuses a token for another audience', async () => refused(`Bearer ${await token({ sub: 'x', roles: ['admin'] }, { audience: 'someone-else' })}`));
  it('refuses a token from another issuer', async () => refused(`Bearer ${await token({ sub: 'x', roles: ['admin'] }, { issuer: 'evil' })}`));
  it('refuses alg: none', async () =>
    refused(`Bearer ${new UnsecuredJWT({ roles: ['admin'] }).setSubject('x').setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setExpirationTime('5m').encode()}`));
  it('refuses HS256 signed with a public key (algorithm confusion)', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = new TextEncoder().encode(await exportSPKI(publicKey));
    const forged = await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE).setExpirationTime('5m').sign(pem);
    await refused(`Bearer ${forged}`);
  });
  it('refuses an ES256 token from an unknown key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'ES256', kid: 'test-es256' }).setSubject('x')
      .setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setExpirationTime('5m').sign(privateKey);
    await refused(`Bearer ${forged}`);
  });
  it('refuses a token not valid yet', async () => {
    const early = await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE).setNotBefore('1h').setExpirationTime('2h').sign(new TextEncoder().encode('a-test-only-hs256-secret-of-32-bytes-or-more!'));
    await refused(`Bearer ${early}`);
  });
  it('refuses a bearer that is no JWT', () => refused('Bearer not.a.jwt'));
  it('refuses another scheme', () => refused('Basic YWRtaW46YWRtaW4='));
  it('refuses a token whose region is not a code', async () => refused(`Bearer ${await token({ sub: 'x', region: "43' or 1=1", roles: ['analyst'] })}`));
  it('refuses a token with an unknown role', async () => refused(`Bearer ${await token({ sub: 'x', region: '430000', roles: ['superuser'] })}`));
  it('accepts ES256 tokens of the configured key set', async () => {
    const { status } = await ask(`Bearer ${await token({ sub: 'x', region: '430000', roles: ['analyst'] }, { alg: 'ES256' })}`);
    expect(status).toBe(200);
  });
});

describe('reads across jurisdictions', () => {
  const FLAGS = (code: string) => `{ flags(regionCode: "${code}", year: 2024, first: 5) { totalCount nodes { code agency { name } } } }`;

  it('refuses flags to the public, field by field, with a message that names what needs a user', async () => {
    const response = await hub.query(`{ region(code: "430100") { disclosure(year: 2024) { flagged } } ${FLAGS('430100').slice(1, -1)} }`);
    expect(codeOf(response)).toBe('UNAUTHENTICATED');
    expect(response.errors?.[0]?.message).toContain('needs a signed-in user');
    expect(JSON.stringify(response.errors)).not.toContain('localhost');
    expect(response.data?.flags ?? null).toBeNull();
    // the public fields of the same request still answer
    expect(response.data?.region.disclosure.flagged).toBeGreaterThanOrEqual(0);
  });
  it('shows a 长沙市 analyst the flags of 长沙 but not of 株洲', async () => {
    const own = await hub.query(FLAGS('430100'), {}, changsha.analyst);
    expect(own.errors).toBeUndefined();
    expect(own.data.flags.totalCount).toBeGreaterThan(0);
    const county = await hub.query(FLAGS('430102'), {}, changsha.analyst);
    expect(county.errors).toBeUndefined();
    const other = await hub.query(FLAGS('430200'), {}, changsha.analyst);
    expect(codeOf(other)).toBe('FORBIDDEN');
    expect(other.data?.flags ?? null).toBeNull();
    const province = await hub.query(FLAGS('430000'), {}, changsha.analyst);
    expect(codeOf(province)).toBe('FORBIDDEN');
  });
  it('shows a 湖南 analyst the flags of all of 湖南', async () => {
    for (const code of ['430000', '430200', '431300']) expect((await hub.query(FLAGS(code), {}, hunanAnalyst)).errors).toBeUndefined();
    expect(codeOf(await hub.query(FLAGS('320000'), {}, hunanAnalyst))).toBe('FORBIDDEN');
  });
  it('keeps the flags of a report from the public, field by field', async () => {
    const response = await hub.query(`{ agency(id: "${furongAgency}") { name reports { year flags { code } } } agencies(regionCode: "430100", first: 3) { nodes { name } } }`);
    expect(response.data.agencies.nodes.length).toBeGreaterThan(0);
    const withFlags = await hub.query(`{ ranking(regionCode: "430000", year: 2024, metric: MISSING_COUNT, first: 1) { rank } region(code: "430100") { disclosure(year: 2024) { flagged } } }`);
    expect(withFlags.errors).toBeUndefined();
  });
  it('keeps a superseded version from the public and from other jurisdictions', async () => {
    const query = `{ annualReport(id: "${supersededZhuzhou}") { version figures { key value } } }`;
    expect(codeOf(await hub.query(query))).toBe('UNAUTHENTICATED');
    const other = await hub.query(query, {}, changsha.analyst);
    expect(codeOf(other)).toBe('FORBIDDEN');
    expect(other.data?.annualReport ?? null).toBeNull();
    expect((await hub.query(query, {}, hunanAnalyst)).data.annualReport.version).toBe(1);
  });
  it('refuses ticket lists to the public and to other jurisdictions', async () => {
    const list = (code: string) => `{ tickets(regionCode: "${code}", year: 2024, first: 3) { totalCount nodes { platformId callerPhone } } }`;
    expect(codeOf(await hub.query(list('430100')))).toBe('UNAUTHENTICATED');
    const other = await hub.query(list('430200'), {}, changsha.analyst);
    expect(codeOf(other)).toBe('FORBIDDEN');
    expect(other.data?.tickets ?? null).toBeNull();
  });
  it('refuses per-agency hotline figures and agency rankings to the public', async () => {
    const perAgency = await hub.query(`{ agency(id: "${changshaAgency}") { name hotline(year: 2024) { received } } }`);
    expect(codeOf(perAgency)).toBe('UNAUTHENTICATED');
    expect(perAgency.data?.agency?.hotline ?? null).toBeNull();
    const ranking = await hub.query('{ hotlineRanking(regionCode: "430000", year: 2024, metric: RECEIVED, by: AGENCIES) { rank } }');
    expect(codeOf(ranking)).toBe('UNAUTHENTICATED');
    const regions = await hub.query('{ hotlineRanking(regionCode: "430000", year: 2024, metric: RECEIVED) { rank } region(code: "430100") { hotline(year: 2024) { received } } }');
    expect(regions.errors).toBeUndefined();
  });
  it('shows personal data in clear only to pii within its jurisdiction, and audits every read', async () => {
    const list = (code: string) => `{ tickets(regionCode: "${code}", year: 2024, first: 5) { nodes { id callerName callerPhone personalDataMasked } } }`;
    const masked = await hub.query(list('430100'), {}, changsha.analyst);
    expect(masked.data.tickets.nodes.length).toBeGreaterThan(0);
    for (const ticket of masked.data.tickets.nodes) {
      expect(ticket.personalDataMasked).toBe(true);
      if (ticket.callerPhone) expect(ticket.callerPhone).toMatch(/\*{4}/);
    }
    const before = await rows(`select count(*)::int as n from hotline.personal_data_read`);
    const clear = await hub.query(list('430100'), {}, changsha.pii);
    expect(clear.errors).toBeUndefined();
    const withPhone = clear.data.tickets.nodes.filter((t: { callerPhone: string | null }) => t.callerPhone);
    expect(withPhone.length).toBeGreaterThan(0);
    for (const ticket of withPhone) expect(ticket.callerPhone).not.toMatch(/\*/);
    expect(await rows(`select count(*)::int as n from hotline.personal_data_read where subject = 'cs-pii'`)).toBeGreaterThanOrEqual(withPhone.length);
    expect(await rows(`select count(*)::int as n from hotline.personal_data_read`)).toBeGreaterThan(before);
    expect(codeOf(await hub.query(list('430200'), {}, changsha.pii))).toBe('FORBIDDEN');
  });
});

describe('writes across jurisdictions', () => {
  const CREATE = 'mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { id } }';
  const agencies = () => rows('select count(*)::int as n from agencies.agency');
  const reports = () => rows('select count(*)::int as n from reports.annual_report');

  it('refuses writes to the public and to analysts, writing nothing', async () => {
    const before = await agencies();
    expect(codeOf(await hub.query(CREATE, { input: { name: '公众局', regionCode: '430102', sector: 'OTHER' } }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await hub.query(CREATE, { input: { name: '分析局', regionCode: '430102', sector: 'OTHER' } }, changsha.analyst))).toBe('FORBIDDEN');
    expect(await agencies()).toBe(before);
  });
  it('lets a 芙蓉区 editor write in 芙蓉区 but not in 长沙市', async () => {
    const before = await agencies();
    expect(codeOf(await hub.query(CREATE, { input: { name: '长沙市越权局', regionCode: '430100', sector: 'OTHER' } }, furongEditor))).toBe('FORBIDDEN');
    expect(await agencies()).toBe(before);
    const own = await hub.query(CREATE, { input: { name: '芙蓉区自建局', regionCode: '430102', sector: 'OTHER' } }, furongEditor);
    expect(own.errors).toBeUndefined();
    const moved = await hub.query('mutation ($id: ID!) { updateAgency(id: $id, input: { regionCode: "430100" }) { id } }', { id: own.data.createAgency.id }, furongEditor);
    expect(codeOf(moved)).toBe('FORBIDDEN');
  });
  it('refuses a 芙蓉区 editor a 长沙市 report and stores nothing', async () => {
    const before = await reports();
    const SUBMIT = 'mutation ($input: SubmitAnnualReportInput!) { submitAnnualReport(input: $input) { outcome } }';
    const input = (agencyId: string) => ({ agencyId, year: 2024, figures: figureList({ 'applications.received': 3 }) });
    const denied = await hub.query(SUBMIT, { input: input(changshaAgency) }, furongEditor);
    expect(codeOf(denied)).toBe('FORBIDDEN');
    expect(await reports()).toBe(before);
    expect(codeOf(await hub.query(SUBMIT, { input: input(furongAgency) }))).toBe('UNAUTHENTICATED');
    expect((await hub.query(SUBMIT, { input: input(furongAgency) }, furongEditor)).data.submitAnnualReport.outcome).toBe('CREATED');
  });
  it('refuses document pushes to the public, and documents of other types', async () => {
    const push = (fileName: string, bearer?: string) =>
      hub.query(`mutation { ingestReportDocument(input: { fileName: "${fileName}", contentBase64: "YQ==" }) { fileName } }`, {}, bearer);
    expect(codeOf(await push('a.txt'))).toBe('UNAUTHENTICATED');
    const executable = await push('report.exe', ADMIN);
    expect(executable.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.fileName' });
  });
});

describe('calling a subgraph directly', () => {
  const QUERY = { query: '{ annualReport(id: "1") { id } }' };
  const url = () => hub.subgraphs.reports.url;

  it('refuses a request without the gateway signature', async () => {
    const { status, body } = await post(url(), QUERY);
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
  it('refuses a signature made with another key', async () => {
    const headers = signInternalRequest(Buffer.alloc(32, 1), { subject: 'x', region: null, roles: ['admin'] }, QUERY, { audience: 'reports' });
    expect((await post(url(), QUERY, headers)).status).toBe(401);
  });
  it('refuses a replayed signature', async () => {
    const headers = signInternalRequest(hub.internalKey, { subject: 'x', region: null, roles: ['admin'] }, QUERY, { audience: 'reports' });
    expect((await post(url(), QUERY, headers)).status).toBe(200);
    expect((await post(url(), QUERY, headers)).status).toBe(401);
  });
  it('refuses a signature moved to another operation', async () => {
    const headers = signInternalRequest(hub.internalKey, { subject: null, region: null, roles: [] }, QUERY, { audience: 'reports' });
    expect((await post(url(), { query: '{ flags(regionCode: "430000", year: 2024) { totalCount } }' }, headers)).status).toBe(401);
  });
  it('refuses a stale signature', async () => {
    const headers = signInternalRequest(hub.internalKey, { subject: null, region: null, roles: [] }, QUERY, { audience: 'reports', now: Date.now() - 120_000 });
    expect((await post(url(), QUERY, headers)).status).toBe(401);
  });
  it('refuses an identity header swapped under a valid signature', async () => {
    const headers = signInternalRequest(hub.internalKey, { subject: null, region: null, roles: [] }, QUERY, { audience: 'reports' });
    headers['x-gongkai-identity'] = Buffer.from(JSON.stringify({ subject: 'root', region: null, roles: ['admin'] })).toString('base64url');
    expect((await post(url(), QUERY, headers)).status).toBe(401);
  });
  it('answers nothing unsigned, the SDL included (the gateway composes from schema/)', async () => {
    expect((await post(url(), { query: '{ _service { sdl } }' })).status).toBe(401);
    for (const subgraph of Object.values(hub.subgraphs)) expect((await post(subgraph.url, QUERY)).status).toBe(401);
  });
});

describe('hostile documents', () => {
  const refusedWith = async (query: string, code: string, variables: Record<string, unknown> = {}) => {
    const response = await hub.query(query, variables);
    expect(codeOf(response)).toBe(code);
    expect(response.data ?? null).toBeNull();
  };

  it('refuses a deep query', () => refusedWith(`{ region(code: "430000") { ${'children { '.repeat(12)}code${' }'.repeat(12)} } }`, 'QUERY_TOO_DEEP'));
  it('refuses an alias bomb', () =>
    refusedWith(`{ ${Array.from({ length: 200 }, (_, i) => `a${i}: region(code: "430000") { disclosure(year: 2024) { filed } }`).join(' ')} }`, 'TOO_MANY_ALIASES'));
  it('refuses a directive bomb', () => refusedWith(`{ regions(level: PROVINCE) { ${'code @include(if: true) '.repeat(50)} } }`, 'TOO_MANY_DIRECTIVES'));
  it('refuses a document of too many tokens', async () => {
    const response = await hub.query(`{ regions(level: PROVINCE) { ${'code '.repeat(6000)} } }`);
    expect(response.errors?.[0]?.message).toMatch(/token/i);
    expect(response.data ?? null).toBeNull();
  });
  it('refuses a huge page size', async () => {
    const response = await hub.query('{ agencies(first: 1000000) { totalCount } }');
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });
  it('refuses a query whose lists multiply past the cost limit', () =>
    refusedWith('{ regions { children { children { agencies(first: 1000) { name } } } } }', 'COST_LIMIT_EXCEEDED'));
  it('counts the cost of a variable page size', () =>
    refusedWith('query ($n: Int) { regions { agencies(first: $n) { name reports { year } } } }', 'COST_LIMIT_EXCEEDED', { n: 1000 }));
  it('refuses an oversized body', async () => {
    const { status } = await post(hub.gatewayUrl, { query: `{ regions { code } } #${'x'.repeat(17 * 1024 * 1024)}` });
    expect(status).toBe(413);
  });
  it('refuses batched requests', async () => {
    const { status } = await post(hub.gatewayUrl, [{ query: '{ regions { code } }' }, { query: '{ regions { code } }' }]);
    expect(status).toBe(400);
  });
  it('refuses introspection and hides field suggestions', async () => {
    const introspection = await hub.query('{ __schema { types { name } } }');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await hub.query('{ regoins { code } }');
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
  it('refuses a GET without a preflight header (CSRF)', async () => {
    const { status } = await raw(`${hub.gatewayUrl}?query=${encodeURIComponent('{ regions { code } }')}`, { method: 'GET' });
    expect(status).toBe(400);
  });
});

describe('injection strings in every search argument', () => {
  const INJECTIONS = ["'; drop table agencies.region; --", "%' or 1=1 --", '\\', "' union select * from hotline.ticket --"];

  it.each(INJECTIONS)('matches them literally: %s', async (attack) => {
    const response = await hub.query(
      `query ($s: String!) {
         regions(search: $s) { code }
         agencies(search: $s) { totalCount }
         region(code: "430100") { agencies(search: $s) { id } }
       }`,
      { s: attack },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ regions: [], agencies: { totalCount: 0 }, region: { agencies: [] } });
    const flags = await hub.query('query ($s: String) { flags(regionCode: "430100", year: 2024, code: $s) { totalCount } }', { s: attack }, changsha.analyst);
    expect(flags.data.flags.totalCount).toBe(0);
    const tickets = await hub.query('query ($s: ID) { tickets(regionCode: "430100", year: 2024, line: $s) { totalCount } }', { s: attack }, changsha.analyst);
    expect(codeOf(tickets)).toBe('BAD_USER_INPUT');
    const figures = await hub.query(`query ($s: String) { agency(id: "${furongAgency}") { reports { figures(prefix: $s) { key } } } }`, { s: attack });
    expect(figures.errors).toBeUndefined();
  });

  it('leaves the data intact and keeps serving', async () => {
    expect(await rows('select count(*)::int as n from agencies.region')).toBe(3339);
    const { data } = await hub.query('{ regions(level: PROVINCE) { code } }');
    expect(data.regions).toHaveLength(31);
  });
});

describe('limits that need a hub of their own', () => {
  it('limits the rate per identity', async () => {
    const limited = await startTestHub({ limits: { ratePerSecond: 2, rateBurst: 2 } });
    const ask = (bearer?: string) => raw(limited.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query: '{ regions(level: PROVINCE) { code } }' }),
    });
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    const third = await ask();
    expect(third.status).toBe(429);
    expect(third.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    // another identity has its own budget
    expect((await ask(ADMIN)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await ask()).status).toBe(200);
  });

  it('serves only the persisted documents of a manifest', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const known = '{ regions(level: PROVINCE) { code } }';
    const sha = createHash('sha256').update(known).digest('hex');
    const manifest = join(mkdtempSync(join(tmpdir(), 'gongkai-pq-')), 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha, name: 'Provinces', type: 'query', body: known }] }));
    const locked = await startTestHub({ limits: { persistedDocuments: manifest } });
    expect((await postGraphQL<any>(locked.gatewayUrl, known)).data.regions).toHaveLength(31);
    const byHash = await post(locked.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: sha } } });
    expect(byHash.body.data.regions).toHaveLength(31);
    const other = await postGraphQL<any>(locked.gatewayUrl, '{ regions(level: CITY) { code } }');
    expect(codeOf(other)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    const unknownHash = await post(locked.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
    expect(unknownHash.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
