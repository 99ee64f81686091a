// `subgraph check` and the way to remove a field (issue 16): a check reports composition
// failures, ownership violations and breaking changes against the graph served and changes
// nothing; a removal is refused until the field's recorded deprecation period is over, then
// passes (and the registration says so); and a city's team runs `gongkai subgraph` through the
// gateway's admin API with its token — add, list, check, remove — with a wrong token refused in
// one line. The example subgraph and the fakes run in this process, so the CLI runs as a child
// process asynchronously (a synchronous spawn would block their answers).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCityHotline, type RunningCityHotline } from '../../examples/city-hotline/server.ts';
import { checkSubgraph } from '../../gateway/registry/subgraphCheck.ts';
import { openRegistryDatabase } from '../../gateway/registry/store.ts';
import { sql } from '../../lib/database/sql.ts';
import { ADMIN, token } from '../support/auth.ts';
import { projectRoot } from '../support/cli.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';

const bin = fileURLToPath(new URL('../../bin/gongkai.js', import.meta.url));
const EXAMPLE = readFileSync(new URL('../../examples/city-hotline/schema.graphql', import.meta.url), 'utf8');
/** The example without Region.cityHotline (and so without CityHotlineFigures, which only it returned), with a field of its own left. */
const WITHOUT_FIELD = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Region @key(fields: "code") {
  code: ID!
  "What the city's own 12345 platform calls itself."
  cityHotlinePlatform: String
}
`;

let hub: TestHub;
let city: RunningCityHotline;
let v2: RunningCityHotline;
let orm: MikroORM;
/** 长沙's admin: a city's team, not the national operator. */
let cityAdmin: string;
const scratch = mkdtempSync(join(tmpdir(), 'gongkai-check-'));
const stops: (() => Promise<void>)[] = [];

function gongkai(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // no database for the child: over the API it must not need one
    const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', bin, 'subgraph', ...args], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', GONGKAI_URL: '', GONGKAI_TOKEN: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const overApi = (...args: string[]) => gongkai([...args, '--url', hub.gatewayUrl, '--token', cityAdmin]);

/** A subgraph that reports `sdl` and answers nothing else: all a registration fetches. */
async function sdlOnly(sdl: string): Promise<string> {
  const server = createServer((request, response) => {
    request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { _service: { sdl } } })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://localhost:${(server.address() as AddressInfo).port}/graphql`;
}

const CHECK = `query ($name: String!, $url: String, $sdl: String) {
  checkSubgraph(name: $name, url: $url, sdl: $sdl) { subgraph passed code summary liveVersion problems { code message } accepted { code message } }
}`;
const check = async (variables: Record<string, unknown>, as = ADMIN) => {
  const response = await hub.query(CHECK, variables, as);
  expect(response.errors).toBeUndefined();
  return response.data.checkSubgraph;
};
const versions = async () => (await hub.query(`{ supergraphVersions { version current } }`, {}, ADMIN)).data.supergraphVersions;

beforeAll(async () => {
  hub = await startTestHub({ registry: { pollMs: 200, healthMs: 60_000 } });
  orm = await openRegistryDatabase(hub.databaseUrl, 2);
  city = await startCityHotline({ port: 0 });
  v2 = await startCityHotline({ port: 0, schema: 'v2' });
  cityAdmin = await token({ sub: 'cs-admin', region: '430100', roles: ['admin'] }, { expiresIn: '1h' });
});
afterAll(async () => {
  await city?.stop();
  await v2?.stop();
  for (const stop of stops) await stop();
  await orm?.close();
});

describe('gongkai subgraph through the admin API, with a city admin token', () => {
  it('lists an empty registry, without database credentials', async () => {
    const listed = await gongkai(['list'], { GONGKAI_URL: hub.gatewayUrl, GONGKAI_TOKEN: cityAdmin });
    expect(listed.stderr).toBe('');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain("supergraph version 0 (the hub's own graph)");
    expect(listed.stdout).toContain('no municipal subgraph registered');
  });

  it('adds the example and lists it', async () => {
    const added = await overApi('add', 'city_hotline', city.url, '--region', '430100');
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(/^supergraph version 1: registered city_hotline .*; subgraphs: city_hotline$/m);
    const listed = await overApi('list', '--versions');
    expect(listed.stdout).toMatch(/^city_hotline\s+http:\/\/localhost:\d+\/graphql\s+430100\s+/m);
    expect(listed.stdout).toMatch(/^1\s+\S+\s+cs-admin\s+city_hotline\s+registered city_hotline/m);
    const json = JSON.parse((await overApi('list', '--json')).stdout);
    expect(json).toMatchObject({ ok: true, exitCode: 0, version: 1, subgraphs: [{ name: 'city_hotline', ownerRegion: '430100' }] });
  });

  it('checks: 0 when it passes, 1 with every problem listed, the live version unchanged', async () => {
    const passes = await overApi('check', 'city_hotline', city.url);
    expect(passes.status).toBe(0);
    expect(passes.stdout).toContain('city_hotline passes: it composes with version 1');
    const file = join(scratch, 'schema.graphql');
    writeFileSync(file, EXAMPLE);
    expect((await overApi('check', 'city_hotline', '--sdl', file)).status).toBe(0);

    const fails = await overApi('check', 'city_hotline', v2.url);
    expect(fails.status).toBe(1);
    expect(fails.stderr).toBe('');
    expect(fails.stdout).toMatch(/^city_hotline does not compose with the graph \(against version 1\)$/m);
    expect(fails.stdout).toMatch(/^ {2}- \[NON_NULL_FIELD\] Region\.cityHotline must be nullable/m);
    // every problem on one line of its own
    for (const line of fails.stdout.trim().split('\n').slice(1)) expect(line).toMatch(/^ {2}- \[[A-Z_]+\] \S/);
    const json = JSON.parse((await overApi('check', 'city_hotline', v2.url, '--json')).stdout);
    expect(json).toMatchObject({ ok: false, exitCode: 1, passed: false, code: 'COMPOSITION_FAILED', liveVersion: 1 });
    expect(await versions()).toEqual([{ version: 1, current: true }, { version: 0, current: false }]);
  });

  it('says in one line with its code, exit 2, when the token is wrong or the check cannot run', async () => {
    const wrong = await gongkai(['list', '--url', hub.gatewayUrl, '--token', 'not.a.jwt']);
    expect(wrong.status).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/^gongkai: .+ \(UNAUTHENTICATED\)\n$/);
    const editor = await gongkai(['check', 'city_hotline', city.url, '--url', hub.gatewayUrl, '--token', await token({ sub: 'ed', region: '430100', roles: ['editor'] })]);
    expect(editor.status).toBe(2);
    expect(editor.stderr).toMatch(/\(FORBIDDEN\)\n$/);
    const unreachable = await overApi('check', 'city_hotline', 'http://127.0.0.1:9/graphql');
    expect(unreachable.status).toBe(2);
    expect(unreachable.stderr).toMatch(/^gongkai: .+ \(SUBGRAPH_UNREACHABLE\)\n$/);
    expect(unreachable.stderr).not.toContain('127.0.0.1');
    const noGateway = await gongkai(['list', '--url', 'http://127.0.0.1:9/graphql', '--token', cityAdmin]);
    expect(noGateway.status).toBe(2);
    expect(noGateway.stderr).toMatch(/\(GATEWAY_UNREACHABLE\)\n$/);
    const noToken = await gongkai(['list', '--url', hub.gatewayUrl]);
    expect(noToken.status).toBe(2);
    expect(noToken.stderr).toMatch(/\(USAGE\)\n$/);
  });
});

describe('checkSubgraph reports without changing anything', () => {
  it('reports a composition failure', async () => {
    const report = await check({ name: 'city_hotline', url: v2.url });
    expect(report).toMatchObject({ passed: false, code: 'COMPOSITION_FAILED', liveVersion: 1 });
    expect(report.problems.map((p: { message: string }) => p.message).join('\n')).toContain('Region.code');
  });

  it('reports an ownership violation', async () => {
    const claims = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Region @key(fields: "code") { code: ID! name: String cityHotline: CityHotlineFigures }
      type CityHotlineFigures { platform: String! }
      enum SubmitOutcome { CITY_SAYS_SO }`;
    const report = await check({ name: 'city_hotline', sdl: claims });
    expect(report.passed).toBe(false);
    const codes = report.problems.map((p: { code: string }) => p.code);
    expect(codes).toContain('HUB_FIELD_CLAIMED');
    expect(codes).toContain('HUB_TYPE_EXTENDED');
  });

  it('reports a breaking change, and how to remove the field', async () => {
    const report = await check({ name: 'city_hotline', sdl: WITHOUT_FIELD });
    expect(report).toMatchObject({ passed: false, code: 'BREAKING_CHANGE', accepted: [] });
    const removed = report.problems.find((p: { code: string }) => p.code === 'FIELD_REMOVED');
    expect(removed.message).toContain('Region.cityHotline was removed. (not deprecated: record a deprecation first (gongkai subgraph deprecate city_hotline Region.cityHotline --days 30)');
  });

  it('is refused to an admin of another region and to the public', async () => {
    const jiangsu = await token({ sub: 'js-admin', region: '320000', roles: ['admin'] });
    expect((await hub.query(CHECK, { name: 'city_hotline', sdl: EXAMPLE }, jiangsu)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await hub.query(CHECK, { name: 'city_hotline', sdl: EXAMPLE })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('left the live version as it was', async () => {
    expect(await versions()).toEqual([{ version: 1, current: true }, { version: 0, current: false }]);
  });
});

describe('removing a field: deprecation, period, removal', () => {
  it('records a deprecation through the CLI over the API, with its start and end', async () => {
    const unknown = await overApi('deprecate', 'city_hotline', 'Region.name', '--days', '30');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/\(UNKNOWN_FIELD\)\n$/);
    const recorded = await overApi('deprecate', 'city_hotline', 'Region.cityHotline', '--days', '30', '--reason', 'use cityHotlinePlatform', '--json');
    expect(recorded.status).toBe(0);
    const { deprecation } = JSON.parse(recorded.stdout);
    expect(deprecation).toMatchObject({ subgraph: 'city_hotline', coordinate: 'Region.cityHotline', days: 30, removable: false, reason: 'use cityHotlinePlatform', deprecatedBy: 'cs-admin' });
    expect(Date.parse(deprecation.removableAfter) - Date.parse(deprecation.deprecatedAt)).toBe(30 * 86_400_000);
    const listed = await hub.query(`{ fieldDeprecations(subgraph: "city_hotline") { coordinate removable } }`, {}, cityAdmin);
    expect(listed.data.fieldDeprecations).toEqual([{ coordinate: 'Region.cityHotline', removable: false }]);
    const cli = await overApi('list');
    expect(cli.stdout).toMatch(/^DEPRECATED\s+SUBGRAPH\s+SINCE\s+DAYS\s+REMOVABLE FROM\s+REASON$/m);
    expect(cli.stdout).toMatch(/^Region\.cityHotline\s+city_hotline\s+\d{4}-\d\d-\d\d\s+30\s+\d{4}-\S+\s+use cityHotlinePlatform$/m);
  });

  it('still refuses the removal within the period, saying until when', async () => {
    const report = await check({ name: 'city_hotline', sdl: WITHOUT_FIELD });
    expect(report.code).toBe('BREAKING_CHANGE');
    expect(report.problems.find((p: { code: string }) => p.code === 'FIELD_REMOVED').message).toMatch(/deprecated on \d{4}-\d\d-\d\d for 30 days: removable from \d{4}-/);
    const cli = await overApi('check', 'city_hotline', '--sdl', join(scratch, 'without.graphql'));
    expect(cli.status).toBe(2); // no such file: could not check
    writeFileSync(join(scratch, 'without.graphql'), WITHOUT_FIELD);
    const refused = await overApi('check', 'city_hotline', '--sdl', join(scratch, 'without.graphql'));
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('[FIELD_REMOVED] Region.cityHotline was removed. (deprecated on');
  });

  it('passes the check once the period is over (the clock moved 30 days), saying so', async () => {
    const identity = { subject: 'cs-admin', region: '430100', roles: ['admin' as const] };
    const at = (days: number) => () => new Date(Date.now() + days * 86_400_000);
    const early = await checkSubgraph(orm.em, identity, { name: 'city_hotline', sdl: WITHOUT_FIELD }, { now: at(29) });
    expect(early.passed).toBe(false);
    const late = await checkSubgraph(orm.em, identity, { name: 'city_hotline', sdl: WITHOUT_FIELD }, { now: at(30.01) });
    expect(late).toMatchObject({ passed: true, code: null, problems: [], liveVersion: 1 });
    expect(late.summary).toContain('; 2 removals accepted after their deprecation period');
    expect(late.accepted.map((a) => a.code)).toEqual(['REMOVAL_ACCEPTED', 'REMOVAL_ACCEPTED']);
    expect(late.accepted[0]!.message).toMatch(/^Region\.cityHotline was removed after its deprecation period \(deprecated on \d{4}-\d\d-\d\d for 30 days, over on /);
    expect(late.accepted[1]!.message).toBe('CityHotlineFigures was removed with Region.cityHotline, the only fields returning it');
  });

  it('registers the removal once the recorded period is over, and the record is spent', async () => {
    // the period began 31 days ago
    await sql(orm.em.fork(), `update registry.field_deprecation set deprecated_at = now() - interval '31 days'`);
    const cli = await overApi('check', 'city_hotline', '--sdl', join(scratch, 'without.graphql'));
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/^ {2}\+ \[REMOVAL_ACCEPTED\] Region\.cityHotline was removed after its deprecation period/m);
    expect(await versions()).toEqual([{ version: 1, current: true }, { version: 0, current: false }]);

    const registered = await overApi('add', 'city_hotline', await sdlOnly(WITHOUT_FIELD), '--region', '430100');
    expect(registered.stderr).toBe('');
    expect(registered.stdout).toMatch(/^supergraph version 2: re-registered city_hotline .*; removed after deprecation: Region\.cityHotline, CityHotlineFigures; subgraphs: city_hotline$/m);
    expect((await hub.query(`{ region(code: "430100") { cityHotline { platform } } }`)).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await hub.query(`{ fieldDeprecations { coordinate } }`, {}, ADMIN)).data.fieldDeprecations).toEqual([]);
  });

  it('removes the subgraph through the CLI over the API', async () => {
    const removed = await overApi('remove', 'city_hotline', '--json');
    expect(removed.status).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ ok: true, version: 3, subgraphs: [] });
    const again = await overApi('remove', 'city_hotline');
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^gongkai: no municipal subgraph named 'city_hotline' is registered \(UNKNOWN_SUBGRAPH\)\n$/);
  });
});
