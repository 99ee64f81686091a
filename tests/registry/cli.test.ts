// `gongkai subgraph` as an operator runs it, against a test database (DATABASE_URL): the same
// checks and versions as the gateway's mutations. The example subgraph runs in this process, so
// the CLI runs asynchronously (a synchronous spawn would block the example's answers).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCityHotline, type RunningCityHotline } from '../../examples/city-hotline/server.ts';
import { createTestDatabase } from '../support/database.ts';
import { runCliAsync } from '../support/cli.ts';

let databaseUrl: string;
let city: RunningCityHotline;
let v2: RunningCityHotline;

const gongkai = (...args: string[]) => runCliAsync(['subgraph', ...args], { DATABASE_URL: databaseUrl });

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  city = await startCityHotline({ port: 0 });
  v2 = await startCityHotline({ port: 0, schema: 'v2' });
});
afterAll(async () => {
  await city.stop();
  await v2.stop();
});

describe('gongkai subgraph', () => {
  it('lists an empty registry as version 0', async () => {
    const result = await gongkai('list');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain("supergraph version 0 (the hub's own graph)");
    expect(result.stdout).toContain('no municipal subgraph registered');
  });

  it('adds the example, lists it, refuses the incompatible version', async () => {
    const added = await gongkai('add', 'city_hotline', city.url, '--region', '430100');
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/^supergraph version 1: registered city_hotline .*; subgraphs: city_hotline$/m);
    const listed = await gongkai('list', '--versions');
    expect(listed.stdout).toMatch(/^city_hotline\s+http:\/\/localhost:\d+\/graphql\s+430100\s+UNKNOWN/m);
    expect(listed.stdout).toMatch(/^1\s+\S+\s+operator:\S+\s+city_hotline\s+registered city_hotline/m);
    const refused = await gongkai('add', 'city_hotline', v2.url, '--region', '430100');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('city_hotline does not compose with the graph; the current graph is unchanged');
    expect(refused.stderr).toContain('(COMPOSITION_FAILED)');
    const json = JSON.parse((await gongkai('list', '--json')).stdout);
    expect(json.version).toBe(1);
  });

  it('checks and deprecates on the database too, without a new version', async () => {
    const fails = await gongkai('check', 'city_hotline', v2.url);
    expect(fails.status).toBe(1);
    expect(fails.stdout).toContain('[NON_NULL_FIELD] Region.cityHotline must be nullable');
    expect((await gongkai('check', 'city_hotline', city.url)).status).toBe(0);
    const recorded = await gongkai('deprecate', 'city_hotline', 'Region.cityHotline', '--days', '30');
    expect(recorded.status).toBe(0);
    expect(recorded.stdout).toMatch(/^Region\.cityHotline of city_hotline: deprecated on \d{4}-\d\d-\d\d for 30 days/);
    const bad = await gongkai('deprecate', 'city_hotline', 'Region.cityHotline');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('(USAGE)');
    expect(JSON.parse((await gongkai('list', '--json')).stdout)).toMatchObject({ version: 1, deprecations: [{ coordinate: 'Region.cityHotline', days: 30 }] });
  });

  it('removes and rolls back, each a new version', async () => {
    expect((await gongkai('remove', 'city_hotline')).stdout).toContain("supergraph version 2: removed city_hotline; subgraphs: the hub's own only");
    const unknown = await gongkai('remove', 'city_hotline');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('(UNKNOWN_SUBGRAPH)');
    // without VERSION: the one before the current
    expect((await gongkai('rollback')).stdout).toContain('supergraph version 3: rolled back to 1; subgraphs: city_hotline');
    expect((await gongkai('rollback', '0')).stdout).toContain("supergraph version 4: rolled back to 0; subgraphs: the hub's own only");
  });

  it('refuses an unreachable URL and a bad region', async () => {
    const unreachable = await gongkai('add', 'county_portal', 'http://127.0.0.1:9/graphql');
    expect(unreachable.status).toBe(2);
    expect(unreachable.stderr).toContain('(SUBGRAPH_UNREACHABLE)');
    const bad = await gongkai('add', 'county_portal', city.url, '--region', '43');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--region needs a 6-digit');
  });
});
