// `gongkai start` as a newcomer runs it: embedded Postgres under a data directory, the three
// subgraphs and the gateway as processes, sample data on first start, data kept across a restart,
// and Ctrl-C (SIGINT) stopping everything, the database included.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../support/hub.ts';
import { runCli } from '../support/cli.ts';
import { startHubProcess, type HubProcess } from '../support/hubProcess.ts';
import { freePort } from '../support/ports.ts';

const portIsOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const startHub = (env: Record<string, string>): Promise<HubProcess> => startHubProcess([], { ...env, GONGKAI_DATA_DIR: dataDir });

async function interrupt(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

describe('gongkai start', () => {
  it('serves the graph, survives a restart and shuts down cleanly', { timeout: 300_000 }, async () => {
    const [port, agencies, reports, hotline, pgPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const env = {
      PORT: String(port),
      AGENCIES_PORT: String(agencies),
      REPORTS_PORT: String(reports),
      HOTLINE_PORT: String(hotline),
      GONGKAI_PG_PORT: String(pgPort),
    };
    const url = `http://localhost:${port}/graphql`;

    const first = await startHub(env);
    const health = await fetch(`http://localhost:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ready: true, subgraphs: { agencies: 'ready', reports: 'ready', hotline: 'ready' } });

    const { data } = await postGraphQL<any>(url, '{ regions(level: PROVINCE) { code } region(code: "430000") { children { code } } agencies(first: 1) { nodes { dataOrigin } totalCount } }');
    expect(data.regions).toHaveLength(31);
    expect(data.region.children).toHaveLength(14);
    expect(data.agencies.nodes[0].dataOrigin).toBe('SAMPLE');
    const sampleCount = data.agencies.totalCount;
    expect(first.output()).toContain('sample data:');

    const mutation = 'mutation { createAgency(input: { name: "芙蓉区测试局", regionCode: "430102", sector: "OTHER" }) { id } }';
    const anonymous = await postGraphQL<any>(url, mutation);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // a token from `gongkai token`, which the started hub trusts
    const minted = runCli(['token', '--sub', 'furong-editor', '--region', '430102', '--roles', 'editor'], { GONGKAI_DATA_DIR: dataDir });
    expect(minted.status, minted.stderr).toBe(0);
    const created = await postGraphQL<any>(url, mutation, undefined, minted.stdout.trim());
    expect(created.errors).toBeUndefined();

    expect(await interrupt(first.child)).toBe(0);
    expect(first.output()).toContain('[gongkai] stopped');
    expect(await portIsOpen(pgPort)).toBe(false);
    expect(await portIsOpen(port)).toBe(false);

    const second = await startHub(env);
    const again = await postGraphQL<any>(url, '{ agencies(search: "芙蓉区测试局") { nodes { dataOrigin } } all: agencies { totalCount } }');
    expect(again.data.agencies.nodes).toEqual([{ dataOrigin: 'OFFICIAL' }]);
    expect(again.data.all.totalCount).toBe(sampleCount + 1);
    expect(second.output()).not.toContain('sample data:');
    expect(await interrupt(second.child)).toBe(0);
    expect(await portIsOpen(pgPort)).toBe(false);
  });
});
