// The jurisdiction filter (issue 16): a municipal subgraph registered for 长沙 (430100) is asked
// only about regions and agencies of 长沙 — its request log proves that 淮安 (320800) never
// reaches it —, the graph answers null (no error) for the others without its help, 长沙's own
// still work, and what a lying subgraph answers about an entity outside is dropped. A
// registration may serve several regions: a 市 and a 县 of another 市.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Jurisdiction, withJurisdictionKeys, type Send } from '../../gateway/registry/jurisdiction.ts';
import type { AgencyRegions } from '../../gateway/registry/agencyRegions.ts';
import { openRegistryDatabase } from '../../gateway/registry/store.ts';
import { createLogger } from '../../lib/observability/log.ts';
import { servedPrefixes, servesCode } from '../../gateway/registry/servedRegions.ts';
import { ADMIN, token } from '../support/auth.ts';
import { runCliAsync } from '../support/cli.ts';
import { eventually } from '../support/eventually.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';

interface FakeCity {
  url: string;
  /** Every request body it received, as sent. */
  bodies: string[];
  /** When true, it answers every region it is asked about as 淮安's, and its own list adds 淮安. */
  lying: boolean;
  stop(): Promise<void>;
}

/**
 * A city's subgraph that answers for any region or agency it is asked about (a rating for all),
 * and whose own root fields list regions and agencies of 长沙 and of 淮安: only the gateway's
 * filter keeps 淮安 out.
 */
async function startFakeCity(field: string, outsideAgencyId: string, insideAgencyId: string): Promise<FakeCity> {
  const city: FakeCity = { url: '', bodies: [], lying: false, stop: async () => {} };
  const sdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Region @key(fields: "code") { code: ID! ${field}: Float }
    type Agency @key(fields: "id") { id: ID! ${field}: Float }
    type Query { ${field}Regions: [Region] ${field}Agencies: [Agency] }`;
  const resolvers = {
    Region: {
      __resolveReference: ({ code }: { code: string }) => ({ code: city.lying ? '320800' : code }),
      [field]: () => 4.5,
    },
    Agency: {
      __resolveReference: ({ id }: { id: string }) => ({ id: city.lying ? outsideAgencyId : id }),
      [field]: () => 3.5,
    },
    Query: {
      [`${field}Regions`]: () => [{ code: '430100' }, { code: '320800' }, { code: '430102' }],
      [`${field}Agencies`]: () => [{ id: insideAgencyId }, { id: outsideAgencyId }],
    },
  };
  const apollo = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as never }), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  await apollo.start();
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (request.method === 'POST') city.bodies.push(raw);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(key, value);
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method ?? 'POST', headers, search: '', body: raw ? JSON.parse(raw) : undefined },
      context: async () => ({}),
    });
    response.writeHead(result.status ?? 200, { 'content-type': 'application/json' });
    response.end(result.body.kind === 'complete' ? result.body.string : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  city.url = `http://localhost:${(server.address() as AddressInfo).port}/graphql`;
  city.stop = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await apollo.stop();
  };
  return city;
}

describe('the regions a registration serves', () => {
  it("is its owner region's subtree by default, the listed regions' otherwise, the country for a national one", () => {
    expect(servedPrefixes({ ownerRegion: '430100' })).toEqual(['4301']);
    expect(servedPrefixes({ ownerRegion: '430100', regions: ['430100', '430211'] })).toEqual(['4301', '430211']);
    expect(servedPrefixes({ ownerRegion: '430000', regions: null })).toEqual(['43']);
    expect(servedPrefixes({ ownerRegion: null })).toEqual(['']);
    expect(servedPrefixes({ ownerRegion: null, regions: ['320800'] })).toEqual(['3208']);
    const served = servedPrefixes({ ownerRegion: '430100', regions: ['430100', '430211'] });
    expect(['430100', '430102', '430211'].map((code) => servesCode(served, code))).toEqual([true, true, true]);
    // 株洲市 itself and its other counties are not served; nor is what is no region code
    expect(['430200', '430202', '320800', '4301', '430100 ', ''].map((code) => servesCode(served, code))).toEqual([false, false, false, false, false, false]);
  });

  it('asks for the key of every Region and Agency selection, in fragments and at any depth', () => {
    const schema = buildSubgraphSchema({
      typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Region @key(fields: "code") { code: ID! near: [Region] rating: Float }
        type Agency @key(fields: "id") { id: ID! rating: Float }
        type Query { top: [Region] agency: Agency }`),
    });
    const sent = print(
      withJurisdictionKeys(schema, parse(`query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Region { rating near { rating } } ... on Agency { rating } } }`)),
    );
    expect(sent).toContain('... on Region {\n      rating\n      near {\n        rating\n        gongkaiJurisdictionRegionCode: code\n      }\n      gongkaiJurisdictionRegionCode: code');
    expect(sent).toContain('... on Agency {\n      rating\n      gongkaiJurisdictionAgencyId: id');
    const root = print(withJurisdictionKeys(schema, parse(`{ top { ...R } agency { rating } } fragment R on Region { rating }`)));
    expect(root).toContain('fragment R on Region {\n  rating\n  gongkaiJurisdictionRegionCode: code');
    expect(root).toContain('agency {\n    rating\n    gongkaiJurisdictionAgencyId: id');
  });
});

let hub: TestHub;
let city: FakeCity;
let changshaAgency: string;
let huaianAgency: string;

/** Every 6-digit region code and every agency id the city was sent as an entity representation. */
function representationsSent(bodies: string[]): { codes: string[]; agencyIds: string[] } {
  const reps = bodies.flatMap((body) => (JSON.parse(body) as { variables?: { representations?: { __typename: string; code?: string; id?: string }[] } }).variables?.representations ?? []);
  return { codes: reps.flatMap((r) => (r.__typename === 'Region' ? [r.code!] : [])), agencyIds: reps.flatMap((r) => (r.__typename === 'Agency' ? [r.id!] : [])) };
}

beforeAll(async () => {
  hub = await startTestHub({ sampleData: true, registry: { pollMs: 200, healthMs: 60_000 } });
  const agencies = await hub.query(`{ cs: region(code: "430100") { agencies(first: 1) { id } } ha: region(code: "320800") { agencies(first: 1) { id } } }`);
  changshaAgency = agencies.data.cs.agencies[0].id;
  huaianAgency = agencies.data.ha.agencies[0].id;
  city = await startFakeCity('serviceRating', huaianAgency, changshaAgency);
  const registered = await hub.query(`mutation ($url: String!) { registerSubgraph(name: "cs_rating", url: $url, ownerRegion: "430100") { version } }`, { url: city.url }, ADMIN);
  expect(registered.errors).toBeUndefined();
}, 120_000);
afterAll(async () => {
  await city?.stop();
});

describe('a municipal subgraph registered for 长沙 (430100)', () => {
  it('is never asked about 淮安, whose answers are null without an error; 长沙 answers', async () => {
    city.bodies.length = 0;
    const huaian = await hub.query(`{ region(code: "320800") { name serviceRating } }`);
    expect(huaian.errors).toBeUndefined();
    expect(huaian.data.region).toEqual({ name: '淮安市', serviceRating: null });

    const cities = await hub.query(`{ regions(level: CITY) { code serviceRating } }`);
    expect(cities.errors).toBeUndefined();
    const rated = cities.data.regions.filter((r: { serviceRating: number | null }) => r.serviceRating !== null).map((r: { code: string }) => r.code);
    expect(rated).toEqual(['430100']);
    expect(cities.data.regions.length).toBeGreaterThan(300);

    const changsha = await hub.query(`{ region(code: "430100") { serviceRating children { code serviceRating } } }`);
    expect(changsha.errors).toBeUndefined();
    expect(changsha.data.region.serviceRating).toBe(4.5);
    expect(changsha.data.region.children.every((c: { serviceRating: number | null }) => c.serviceRating === 4.5)).toBe(true);

    const agencies = await hub.query(`{ cs: agency(id: "${changshaAgency}") { name serviceRating } ha: agency(id: "${huaianAgency}") { name serviceRating } }`);
    expect(agencies.errors).toBeUndefined();
    expect(agencies.data.cs.serviceRating).toBe(3.5);
    expect(agencies.data.ha).toEqual({ name: expect.stringContaining('淮安'), serviceRating: null });

    const listed = await hub.query(`{ region(code: "320800") { agencies(first: 5) { id serviceRating } } }`);
    expect(listed.errors).toBeUndefined();
    expect(listed.data.region.agencies.map((a: { serviceRating: unknown }) => a.serviceRating)).toEqual(listed.data.region.agencies.map(() => null));

    // its request log: only 长沙's regions and agencies were ever sent
    const sent = representationsSent(city.bodies);
    expect(sent.codes.length).toBeGreaterThan(0);
    expect(sent.codes.filter((code) => !code.startsWith('4301'))).toEqual([]);
    expect(city.bodies.join('\n')).not.toContain('320800');
    expect(sent.agencyIds).toContain(changshaAgency);
    expect(sent.agencyIds).not.toContain(huaianAgency);
  });

  it("drops what its own root fields answer about 淮安", async () => {
    const { data, errors } = await hub.query(`{ serviceRatingRegions { code name serviceRating } serviceRatingAgencies { id serviceRating } }`);
    expect(errors).toBeUndefined();
    expect(data.serviceRatingRegions.map((r: { code: string }) => r.code)).toEqual(['430100', '430102']);
    expect(data.serviceRatingRegions[0].name).toBe('长沙市');
    expect(data.serviceRatingAgencies).toEqual([{ id: changshaAgency, serviceRating: 3.5 }]);
  });

  it('drops the answers of a lying subgraph about an entity outside its region', async () => {
    city.lying = true;
    const logged = vi.spyOn(console, 'error');
    try {
      const region = await hub.query(`{ region(code: "430100") { name serviceRating } }`);
      expect(region.errors).toBeUndefined();
      expect(region.data.region).toEqual({ name: '长沙市', serviceRating: null });
      const agency = await hub.query(`{ agency(id: "${changshaAgency}") { id serviceRating } }`);
      expect(agency.errors).toBeUndefined();
      expect(agency.data.agency).toEqual({ id: changshaAgency, serviceRating: null });
      // one line each: the subgraph, the type, how many — none of what it answered
      const lines = logged.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('jurisdiction: dropped'));
      expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>).map(({ subgraph, typename, count }) => ({ subgraph, typename, count }))).toEqual([
        { subgraph: 'cs_rating', typename: 'Region', count: 1 },
        { subgraph: 'cs_rating', typename: 'Agency', count: 1 },
      ]);
      expect(lines.join('\n')).not.toMatch(/320800|3\.5|4\.5|淮安/);
    } finally {
      city.lying = false;
      logged.mockRestore();
    }
    expect((await hub.query(`{ region(code: "430100") { serviceRating } }`)).data.region.serviceRating).toBe(4.5);
  });
});

describe('when the gateway cannot tell', () => {
  it('sends nothing about agencies the agencies subgraph did not place, nor anything for a subgraph the version does not have', async () => {
    const orm = await openRegistryDatabase(hub.databaseUrl, 1);
    try {
      const version = (await hub.query(`{ supergraphVersions(first: 1) { version } }`, {}, ADMIN)).data.supergraphVersions[0].version;
      const lines: string[] = [];
      const unplaced = { regionsOf: async () => Promise.reject(new Error('the agencies subgraph is down')) } as unknown as AgencyRegions;
      const jurisdiction = new Jurisdiction({ registry: { orm, supergraph: { version } }, agencyRegions: unplaced, log: createLogger('gateway', { write: (line) => void lines.push(line) }) });
      const sent: unknown[] = [];
      const send: Send = async (request) => {
        sent.push(request.variables?.representations);
        const reps = request.variables!.representations as { __typename: string }[];
        return { data: { _entities: reps.map(() => ({ serviceRating: 1 })) } };
      };
      const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Region { serviceRating } ... on Agency { serviceRating } } }';
      const representations = [
        { __typename: 'Agency', id: changshaAgency },
        { __typename: 'Region', code: '430102' },
        { __typename: 'Region', code: '320800' },
      ];
      const answer = await jurisdiction.filter('cs_rating', { query, variables: { representations } }, send);
      expect(sent).toEqual([[{ __typename: 'Region', code: '430102' }]]);
      expect(answer.data).toEqual({ _entities: [null, { serviceRating: 1 }, null] });
      expect(lines.join('\n')).toContain('the agencies subgraph did not place the agencies');

      sent.length = 0;
      const unknown = await jurisdiction.filter('not_registered', { query, variables: { representations } }, send);
      expect(sent).toEqual([]);
      expect(unknown.data).toEqual({ _entities: [null, null, null] });
    } finally {
      await orm.close();
    }
  });
});

describe('a registration serving several regions', () => {
  it('serves a 市 and a 县 of another 市, and nothing else', async () => {
    const other = await startFakeCity('multiRating', huaianAgency, changshaAgency);
    try {
      const hunanAdmin = await token({ sub: 'hn-admin', region: '430000', roles: ['admin'] });
      const register = `mutation ($url: String!, $regions: [ID!]) { registerSubgraph(name: "hn_multi", url: $url, ownerRegion: "430100", regions: $regions) { version } }`;
      // a region outside the admin's jurisdiction is refused, nothing fetched
      const refused = await hub.query(register, { url: other.url, regions: ['430100', '320800'] }, hunanAdmin);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const registered = await hub.query(register, { url: other.url, regions: ['430211', '430100'] }, hunanAdmin);
      expect(registered.errors).toBeUndefined();
      const listed = await hub.query(`{ subgraphs { name regions } }`, {}, ADMIN);
      expect(listed.data.subgraphs.find((s: { name: string }) => s.name === 'hn_multi').regions).toEqual(['430100', '430211']);
      expect(listed.data.subgraphs.find((s: { name: string }) => s.name === 'cs_rating').regions).toEqual(['430100']);

      other.bodies.length = 0;
      const { data, errors } = await hub.query(`{ a: region(code: "430100") { multiRating } b: region(code: "430211") { multiRating } c: region(code: "430200") { multiRating } d: region(code: "320800") { multiRating } }`);
      expect(errors).toBeUndefined();
      expect(data).toEqual({ a: { multiRating: 4.5 }, b: { multiRating: 4.5 }, c: { multiRating: null }, d: { multiRating: null } });
      expect(representationsSent(other.bodies).codes.sort()).toEqual(['430100', '430211']);
    } finally {
      await other.stop();
    }
  });

  it('is declared from the command line with --serves', async () => {
    const other = await startFakeCity('cliRating', huaianAgency, changshaAgency);
    try {
      const added = await gongkai(hub.databaseUrl, 'add', 'hn_cli', other.url, '--region', '430100', '--serves', '430100,430211', '--json');
      expect(added.status, added.stderr).toBe(0);
      const listed = JSON.parse((await gongkai(hub.databaseUrl, 'list', '--json')).stdout) as { subgraphs: { name: string; regions: string[] | null }[] };
      expect(listed.subgraphs.find((s) => s.name === 'hn_cli')?.regions).toEqual(['430100', '430211']);
      // the gateway follows by polling
      const { data } = await eventually(
        () => hub.query(`{ a: region(code: "430211") { cliRating } b: region(code: "430200") { cliRating } }`),
        (r) => r.data?.a?.cliRating != null,
      );
      expect(data).toEqual({ a: { cliRating: 4.5 }, b: { cliRating: null } });
    } finally {
      await other.stop();
    }
  }, 60_000);
});


/** `gongkai subgraph …` on the test hub's registry, run asynchronously (the fake city answers from this process). */
const gongkai = (databaseUrl: string, ...args: string[]) => runCliAsync(['subgraph', ...args], { DATABASE_URL: databaseUrl });
