// A municipal subgraph's whole life against the running hub (issue 8): registered while clients
// query (none fails), its field answered beside the hub's own, an incompatible version refused
// with the composition report (the old graph still served), degraded when it goes down, removed,
// rolled back — and a second gateway on the same database following every version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../gateway/server.ts';
import type { RunningHttpServer } from '../../lib/graphql/httpServer.ts';
import { startCityHotline, type RunningCityHotline } from '../../examples/city-hotline/server.ts';
import { ADMIN, token } from '../support/auth.ts';
import { postGraphQL, startTestHub, type GraphQLResponse, type TestHub } from '../support/hub.ts';
import { eventually } from '../support/eventually.ts';

let hub: TestHub;
let second: RunningHttpServer;
let city: RunningCityHotline;
let cityPort: number;
/** The headers of every request the example received: the gateway's identity must never reach it. */
const received: Record<string, unknown>[] = [];
const onRequest = (request: { headers: Record<string, unknown> }) => void received.push(request.headers);

beforeAll(async () => {
  hub = await startTestHub({ registry: { pollMs: 200, healthMs: 300 } });
  // another gateway process on the same database: it only learns of changes by polling
  second = await startGateway({ ...hub.gatewayOptions, port: 0 });
  city = await startCityHotline({ port: 0, onRequest });
  cityPort = city.port;
});
afterAll(async () => {
  await second?.close();
  await city?.stop();
});

const HUB_QUERY = `{ region(code: "430100") { name children { code } disclosure(year: 2024) { filed } hotlineTicketsReceived(year: 2024) } }`;
const CITY_QUERY = `{ region(code: "430100") { name cityHotline { platform ticketsReceived resolvedRate } disclosure(year: 2024) { filed } } }`;

const REGISTER = `mutation ($url: String!) { registerSubgraph(name: "city_hotline", url: $url, ownerRegion: "430100") { version subgraphs current } }`;

/** Concurrent clients asking for hub fields until stopped; every answer that is not clean is kept. */
function loadLoop(urls: string[], workers = 6) {
  let running = true;
  const failures: unknown[] = [];
  let answered = 0;
  const work = async (url: string) => {
    while (running) {
      try {
        const response = await postGraphQL<any>(url, HUB_QUERY);
        if (response.errors || response.data?.region?.name !== '长沙市') failures.push(response);
        else answered++;
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, i) => work(urls[i % urls.length]!)));
  return {
    answered: () => answered,
    /** Lets the load run until `more` further answers came back (however slow the machine is). */
    async answersMore(more: number) {
      const target = answered + more;
      await eventually(async () => answered, (n) => n >= target || failures.length > 0, 60_000);
    },
    async stop() {
      running = false;
      await done;
      return { failures, answered };
    },
  };
}

describe('a municipal subgraph, from registration to rollback', () => {
  it('registers the example while clients query, without failing one request', async () => {
    const load = loadLoop([hub.gatewayUrl, second.url]);
    let registered: GraphQLResponse<any>;
    try {
      await load.answersMore(10);
      registered = await hub.query(REGISTER, { url: city.url }, ADMIN);
      // the second gateway switches while the load goes on
      if (!registered.errors) await eventually(() => postGraphQL<any>(second.url, CITY_QUERY), (r) => r.data?.region?.cityHotline != null);
      // answers on both sides of the switch, whatever the machine's speed
      await load.answersMore(10);
    } finally {
      var { failures, answered } = await load.stop();
    }
    expect(registered.errors).toBeUndefined();
    expect(registered.data.registerSubgraph).toEqual({ version: 1, subgraphs: ['city_hotline'], current: true });
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThanOrEqual(20);
  });

  it("answers the example's field together with the hub's own", async () => {
    const { data, errors } = await hub.query(CITY_QUERY);
    expect(errors).toBeUndefined();
    expect(data.region).toEqual({ name: '长沙市', cityHotline: { platform: '长沙12345', ticketsReceived: 1_284_506, resolvedRate: 0.962 }, disclosure: { filed: 0 } });
    // it was asked as a third party: no identity, no signature, no client token
    const admins = await hub.query(CITY_QUERY, {}, ADMIN);
    expect(admins.data.region.cityHotline.platform).toBe('长沙12345');
    expect(received.length).toBeGreaterThan(0);
    const names = new Set(received.flatMap((headers) => Object.keys(headers)));
    expect([...names].filter((name) => name.startsWith('x-gongkai') || name === 'authorization')).toEqual([]);
    // a region the city has no figures for: null, and no error
    const other = await hub.query(`{ region(code: "320800") { name cityHotline { platform } } }`);
    expect(other).toEqual({ data: { region: { name: '淮安市', cityHotline: null } }, extensions: { requestId: expect.any(String) } });
    // the second gateway serves the same graph
    expect((await postGraphQL<any>(second.url, CITY_QUERY)).data.region.cityHotline.platform).toBe('长沙12345');
  });

  it('refuses an incompatible version with the composition errors and keeps serving the old graph', async () => {
    const v2 = await startCityHotline({ port: 0, schema: 'v2' });
    try {
      const { data, errors } = await hub.query(REGISTER, { url: v2.url }, ADMIN);
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe('COMPOSITION_FAILED');
      const listed = errors![0]!.extensions!.errors as { code: string; message: string }[];
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.map((e) => e.message).join('\n')).toContain('Region.code');
      expect(listed.map((e) => e.code)).toContain('NON_NULL_FIELD');
      expect(errors![0]!.message).toContain('the current graph is unchanged');
    } finally {
      await v2.stop();
    }
    expect((await hub.query(CITY_QUERY)).data.region.cityHotline.platform).toBe('长沙12345');
    const versions = await hub.query(`{ supergraphVersions { version current } }`, {}, ADMIN);
    expect(versions.data.supergraphVersions).toEqual([{ version: 1, current: true }, { version: 0, current: false }]);
  });

  it('lets only admins within the owner region change the registry', async () => {
    const editor = await token({ sub: 'cs-editor', region: '430100', roles: ['editor'] });
    const jiangsuAdmin = await token({ sub: 'js-admin', region: '320000', roles: ['admin'] });
    const codes = async (t?: string) => (await hub.query(REGISTER, { url: city.url }, t)).errors?.[0]?.extensions?.code;
    expect(await codes()).toBe('UNAUTHENTICATED');
    expect(await codes(editor)).toBe('FORBIDDEN');
    expect(await codes(jiangsuAdmin)).toBe('FORBIDDEN');
    expect((await hub.query(`{ subgraphs { name } }`, {}, editor)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('degrades only its own fields when the example is down, and reports it DOWN', async () => {
    await city.stop();
    const response: GraphQLResponse<any> = await hub.query(CITY_QUERY);
    expect(response.data.region).toEqual({ name: '长沙市', cityHotline: null, disclosure: { filed: 0 } });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_UNREACHABLE', serviceName: 'city_hotline' });
    const listed = await eventually(
      () => hub.query(`{ subgraphs { name kind status lastError ownerRegion } }`, {}, ADMIN),
      (r) => r.data?.subgraphs?.find((s: { name: string }) => s.name === 'city_hotline')?.status === 'DOWN',
    );
    const entry = listed.data.subgraphs.find((s: { name: string }) => s.name === 'city_hotline');
    expect(entry).toMatchObject({ kind: 'MUNICIPAL', status: 'DOWN', ownerRegion: '430100' });
    expect(entry.lastError).toBeTruthy();
    expect(listed.data.subgraphs.filter((s: { kind: string }) => s.kind === 'HUB').map((s: { status: string }) => s.status)).toEqual(['UP', 'UP', 'UP']);
  });

  it('removes it: its field leaves the graph, the hub answers', async () => {
    const removed = await hub.query(`mutation { removeSubgraph(name: "city_hotline") { version subgraphs } }`, {}, ADMIN);
    expect(removed).toEqual({ data: { removeSubgraph: { version: 2, subgraphs: [] } }, extensions: { requestId: expect.any(String) } });
    expect((await hub.query(CITY_QUERY)).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await hub.query(HUB_QUERY)).data.region.name).toBe('长沙市');
    const unknown = await hub.query(`mutation { removeSubgraph(name: "city_hotline") { version } }`, {}, ADMIN);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('UNKNOWN_SUBGRAPH');
    await eventually(() => postGraphQL<any>(second.url, CITY_QUERY), (r) => r.errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED');
  });

  it('rolls back to the version with the example, as a new version', async () => {
    city = await startCityHotline({ port: cityPort });
    const rolled = await hub.query(`mutation { rollbackSupergraph(version: 1) { version subgraphs current } }`, {}, ADMIN);
    expect(rolled).toEqual({ data: { rollbackSupergraph: { version: 3, subgraphs: ['city_hotline'], current: true } }, extensions: { requestId: expect.any(String) } });
    expect((await hub.query(CITY_QUERY)).data.region.cityHotline.platform).toBe('长沙12345');
    const followed = await eventually(() => postGraphQL<any>(second.url, CITY_QUERY), (r) => r.data?.region?.cityHotline != null);
    expect(followed.errors).toBeUndefined();
    const versions = await hub.query(`{ supergraphVersions { version subgraphs note current } }`, {}, ADMIN);
    expect(versions.data.supergraphVersions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1, 0]);
    expect(versions.data.supergraphVersions[0].note).toBe('rolled back to 1');
  });
});
