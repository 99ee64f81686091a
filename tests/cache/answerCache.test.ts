// The gateway's answer cache: a repeated query costs no SQL, a read after a committed write sees
// the write (through the same gateway or another one on the same database), answers are kept
// per scope and never across jurisdictions, and personal data is never kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { token } from '../support/auth.ts';
import { startTestHub, postGraphQL, type TestHub } from '../support/hub.ts';
import { createAgency, figureList, submit } from '../support/reports.ts';
import { startGateway } from '../../gateway/server.ts';
import type { RunningHttpServer } from '../../lib/graphql/httpServer.ts';

let hub: TestHub;
let second: RunningHttpServer;
beforeAll(async () => {
  hub = await startTestHub();
  // a second gateway on the same subgraphs and database: another replica
  second = await startGateway({ ...hub.gatewayOptions, port: 0 });
});
afterAll(async () => {
  await second?.close();
});

const DISCLOSURE = `query ($code: ID!, $year: Int!) {
  region(code: $code) { name disclosure(year: $year) { filed totals { applicationsReceived } } }
}`;
interface Disclosure {
  filed: number;
  totals: { applicationsReceived: number };
}
const AGENCIES = 'query ($code: ID!) { region(code: $code) { agencies(includeSubtree: true, first: 1000) { id name } } }';

describe('the answer cache', () => {
  it('answers a repeated query without a statement, with the same answer', async () => {
    const first = await hub.countedQuery(DISCLOSURE, { code: '430000', year: 2024 });
    expect(first.response.errors).toBeUndefined();
    expect(first.statements).toBeGreaterThan(0);
    const again = await hub.countedQuery(DISCLOSURE, { code: '430000', year: 2024 });
    expect(again.response.data).toEqual(first.response.data);
    expect(again.statements).toBe(0);
    // another year is another answer
    expect((await hub.countedQuery(DISCLOSURE, { code: '430000', year: 2023 })).statements).toBeGreaterThan(0);
    // and the gateway's /metrics counts them
    const metrics = await (await fetch(new URL('/metrics', hub.gatewayUrl))).text();
    expect(Number(/gongkai_answer_cache_events\{[^}]*event="hits"[^}]*\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(Number(/gongkai_answer_cache_entries\{[^}]*\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
  });

  it('shares public answers between the public and signed-in callers, not jurisdictions', async () => {
    const analyst = await token({ sub: 'analyst-hunan', region: '430000', roles: ['analyst'] });
    await hub.countedQuery(DISCLOSURE, { code: '320000', year: 2024 });
    // the disclosure rollup reads nothing of the caller: the public's answer serves the analyst
    expect((await hub.countedQuery(DISCLOSURE, { code: '320000', year: 2024 }, analyst)).statements).toBe(0);

    const FLAGS = 'query ($code: ID!) { flags(regionCode: $code, year: 2024, first: 5) { totalCount nodes { code } } }';
    const hunan = await hub.countedQuery(FLAGS, { code: '430000' }, analyst);
    expect(hunan.response.errors).toBeUndefined();
    expect((await hub.countedQuery(FLAGS, { code: '430000' }, analyst)).statements).toBe(0);
    // a colleague with the same jurisdiction and roles shares it; a 江苏 analyst is refused, not served 湖南's
    const colleague = await token({ sub: 'analyst-hunan-2', region: '430000', roles: ['analyst'] });
    expect((await hub.countedQuery(FLAGS, { code: '430000' }, colleague)).statements).toBe(0);
    const jiangsu = await token({ sub: 'analyst-jiangsu', region: '320000', roles: ['analyst'] });
    const refused = await hub.query(FLAGS, { code: '430000' }, jiangsu);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // the public's refusal is the same for all of the public: kept, and given to no one else
    const anonymous = await hub.countedQuery(FLAGS, { code: '430000' });
    expect(anonymous.response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const again = await hub.countedQuery(FLAGS, { code: '430000' });
    expect(again.statements).toBe(0);
    expect(again.response.errors?.map((error) => [error.extensions?.code, error.message])).toEqual(
      anonymous.response.errors?.map((error) => [error.extensions?.code, error.message]),
    );
    const nobody = await token({ sub: 'no-jurisdiction', roles: [] });
    const signedIn = await hub.query(FLAGS, { code: '430000' }, nobody);
    expect(signedIn.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(signedIn.errors?.[0]?.message).toContain('no-jurisdiction');
  });

  it('never keeps tickets or callers', async () => {
    const pii = await token({ sub: 'pii-officer', region: '000000', roles: ['pii'] });
    const TICKETS = 'query { tickets(regionCode: "430000", year: 2024, first: 3) { nodes { id callerName callerPhone } } }';
    const first = await hub.countedQuery(TICKETS, {}, pii);
    expect(first.response.errors).toBeUndefined();
    expect((await hub.countedQuery(TICKETS, {}, pii)).statements).toBeGreaterThan(0);
  });

  it('sees a committed write at once: a new agency, a new report, through this gateway and another', async () => {
    const before = await hub.query(AGENCIES, { code: '430100' });
    await postGraphQL(second.url, AGENCIES, { code: '430100' });
    const agencyId = await createAgency(hub, '长沙市芙蓉区缓存测试局', '430102');
    for (const url of [hub.gatewayUrl, second.url]) {
      const after = await postGraphQL<{ region: { agencies: { id: string }[] } }>(url, AGENCIES, { code: '430100' });
      expect(after.data!.region.agencies.map((a) => a.id)).toContain(agencyId);
      expect(after.data!.region.agencies.length).toBe(before.data.region.agencies.length + 1);
    }

    const totals = async (url: string) => {
      const { disclosure } = (await postGraphQL<{ region: { disclosure: Disclosure } }>(url, DISCLOSURE, { code: '430000', year: 2022 })).data!.region;
      return { filed: disclosure.filed, applications: disclosure.totals.applicationsReceived };
    };
    const was = await totals(hub.gatewayUrl);
    expect(await totals(second.url)).toEqual(was);
    const { errors } = await submit(hub, { agencyId, year: 2022, figures: figureList({ 'applications.received': 17 }) });
    expect(errors).toBeUndefined();
    for (const url of [hub.gatewayUrl, second.url]) {
      expect(await totals(url)).toEqual({ filed: was.filed + 1, applications: was.applications + 17 });
    }
  });

  it('keeps what a write elsewhere did not touch: another province stays cached', async () => {
    await hub.countedQuery(DISCLOSURE, { code: '320000', year: 2022 });
    const agencyId = await createAgency(hub, '长沙市岳麓区缓存测试局', '430104');
    await submit(hub, { agencyId, year: 2022, figures: figureList({ 'applications.received': 3 }) });
    expect((await hub.countedQuery(DISCLOSURE, { code: '320000', year: 2022 })).statements).toBe(0);
    expect((await hub.countedQuery(DISCLOSURE, { code: '430000', year: 2022 })).statements).toBeGreaterThan(0);
  });

  it('reads after writes right in 50 of 50 tries while other reads go on', async () => {
    const agencyId = await createAgency(hub, '长沙市天心区缓存测试局', '430103');
    const noise = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 25; i++) await postGraphQL(second.url, DISCLOSURE, { code: '430000', year: 2021 });
    });
    const applications = async () =>
      (await postGraphQL<{ region: { disclosure: Disclosure } }>(second.url, DISCLOSURE, { code: '430000', year: 2021 })).data!.region.disclosure.totals.applicationsReceived;
    let expected = await applications();
    const misses: number[] = [];
    for (let i = 1; i <= 50; i++) {
      // a new version of the same report each time: the total changes by the difference
      const { errors } = await submit(hub, { agencyId, year: 2021, figures: figureList({ 'applications.received': i }) });
      expect(errors).toBeUndefined();
      // version i replaces version i - 1 (or nothing): one more application each time
      expected += 1;
      if ((await applications()) !== expected) misses.push(i);
    }
    await Promise.all(noise);
    expect(misses).toEqual([]);
  }, 120_000);
});
