// `gongkai start --replicas 2`: two processes of the gateway and of each subgraph, each pair on its
// service's one port, over one fresh database (so the replicas migrate and load the sample data
// at the same time: one at a time, once). A replica killed is replaced while its twin answers;
// Ctrl-C stops them all.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { postGraphQL } from '../support/hub.ts';
import { runCli } from '../support/cli.ts';
import { startHubProcess, type HubProcess } from '../support/hubProcess.ts';
import { eventually } from '../support/eventually.ts';
import { freePort } from '../support/ports.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-replicas-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The processes `pid` started (its replicas, for a cluster primary). */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/**
 * A query as a client that retries once sends it: a connection the killed replica had accepted
 * fails (as with any server that dies), and a new one reaches its twin. Never waits forever.
 */
async function askRetryingOnce(url: string, query: string): Promise<unknown> {
  const ask = async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }), signal: AbortSignal.timeout(20_000) });
    return ((await response.json()) as { data?: unknown }).data;
  };
  try {
    return await ask();
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new Error('no answer within 20 s');
    return ask();
  }
}

/** The pid `gongkai start` logged for a service: "[gongkai] gateway started (pid 123, 2 replicas)". */
function servicePid(hub: HubProcess, name: string): number {
  const match = new RegExp(`\\[gongkai\\] ${name} started \\(pid (\\d+), 2 replicas\\)`).exec(hub.output());
  if (!match) throw new Error(`no start line for ${name} in:\n${hub.output()}`);
  return Number(match[1]);
}

describe('gongkai start --replicas 2', () => {
  it('runs two of each service on one port, migrates once, replaces a dead replica and stops them all', { timeout: 300_000 }, async () => {
    const [port, agencies, reports, hotline, pgPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const hub = await startHubProcess(['--replicas', '2'], {
      PORT: String(port),
      AGENCIES_PORT: String(agencies),
      REPORTS_PORT: String(reports),
      HOTLINE_PORT: String(hotline),
      GONGKAI_PG_PORT: String(pgPort),
      GONGKAI_DATA_DIR: dataDir,
    });
    const url = `http://localhost:${port}/graphql`;
    try {
      const services = ['agencies', 'reports', 'hotline', 'gateway'];
      const primaries = Object.fromEntries(services.map((name) => [name, servicePid(hub, name)]));
      for (const name of services) expect(childrenOf(primaries[name]!), name).toHaveLength(2);

      // both replicas of each subgraph ran migrations and the sample bootstrap: each happened once
      const database = new pg.Client({ connectionString: `postgres://postgres:gongkai@127.0.0.1:${pgPort}/gongkai` });
      await database.connect();
      try {
        for (const schema of ['agencies', 'reports', 'hotline']) {
          const { rows } = await database.query(`select name from ${schema}.mikro_orm_migrations group by name having count(*) > 1`);
          expect(rows, schema).toEqual([]);
        }
        const { rows } = await database.query(`select name, region_code from agencies.agency group by name, region_code having count(*) > 1`);
        expect(rows).toEqual([]);
      } finally {
        await database.end();
      }
      const before = await postGraphQL<any>(url, '{ agencies(first: 1) { totalCount } }');
      expect(before.errors).toBeUndefined();
      expect(before.data.agencies.totalCount).toBeGreaterThan(0);

      // a gateway replica killed: its twin answers meanwhile, and another takes its place
      const [victim] = childrenOf(primaries.gateway!);
      process.kill(victim!, 'SIGKILL');
      for (let i = 0; i < 10; i++) expect(await askRetryingOnce(url, '{ agencies(first: 1) { totalCount } }')).toEqual(before.data);
      const replaced = await eventually(async () => childrenOf(primaries.gateway!), (pids) => pids.length === 2 && !pids.includes(victim!), 15_000);
      expect(replaced).toHaveLength(2);
      expect(replaced).not.toContain(victim);
    } finally {
      const exited = new Promise<number | null>((resolve) => hub.child.once('exit', (code) => resolve(code)));
      hub.child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
    // nothing of the hub is left listening
    const stillAnswers = await fetch(`http://localhost:${port}/health`).then(() => true, () => false);
    expect(stillAnswers).toBe(false);
  });

  it.each([
    [['--replicas', '0'], {}, `got '0'`],
    [['--replicas'], {}, `got ''`],
    [[], { GONGKAI_REPLICAS: 'two' }, `got 'two'`],
  ])('refuses %j %j before starting anything (USAGE, exit 2)', (args, env, said) => {
    const run = runCli(['start', ...args], { ...env, GONGKAI_DATA_DIR: dataDir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('must be a whole number from 1 to 64');
    expect(run.stderr).toContain(said);
    expect(run.stderr).toContain('(USAGE)');
  });
});
