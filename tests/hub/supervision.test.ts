// `gongkai start` supervises its parts (issue 14): kill -9 of a subgraph, of the gateway or of the
// embedded Postgres, and the hub answers again by itself — a subgraph or the gateway within 10 s,
// the database within 15 s — while the live subgraphs' fields keep answering and /health names
// the part that is down. One hub for every case; timings run from the moment of the kill.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_UNAVAILABLE_CODE } from '../../lib/database/availability.ts';
import { postGraphQL, type GraphQLResponse } from '../support/hub.ts';
import { startHubProcess, type HubProcess } from '../support/hubProcess.ts';
import { eventually } from '../support/eventually.ts';
import { freePort } from '../support/ports.ts';

/**
 * One root field of each subgraph, each nullable: a dead subgraph nulls its own field only. Each
 * call asks under aliases of its own, so that the gateway's answer cache (which would answer a
 * repeated question without the dead subgraph) never holds it.
 */
let asked = 0;
const everySubgraph = (n = ++asked) => `{
  region(code: "430000") { name v${n}: name }
  ranking(regionCode: "430000", year: 2024, metric: MISSING_COUNT, first: 1) { rank v${n}: rank }
  hotlineRanking(regionCode: "430000", year: 2024, metric: RECEIVED, first: 1) { rank v${n}: rank }
}`;
const FIELD_OF = { agencies: 'region', reports: 'ranking', hotline: 'hotlineRanking' } as const;
type Subgraph = keyof typeof FIELD_OF;

const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-supervision-'));
let hub: HubProcess;
const output = () => hub.output();
let gatewayPort: number;
const graphqlUrl = () => `http://localhost:${gatewayPort}/graphql`;

const everything = () => postGraphQL<Record<string, unknown>>(graphqlUrl(), everySubgraph()).catch(() => null);
const answersFully = (response: GraphQLResponse | null) =>
  response !== null && response.errors === undefined && Object.values(FIELD_OF).every((field) => response.data?.[field] != null);
const health = async () => {
  try {
    const response = await fetch(`http://localhost:${gatewayPort}/health`);
    return { status: response.status, body: (await response.json()) as { ready: boolean; down: string[] } };
  } catch {
    return null;
  }
};

/**
 * Whether the hub was whole again (/health 200) within `limitMs` of the kill, and then its answer
 * to the graph. /health is polled, not the graph: it is cheap (no GraphQL, no request log), and
 * polling the graph would take CPU from the part starting again.
 */
async function backWithin(killedAt: number, limitMs: number) {
  const report = await eventually(health, (answer) => answer?.status === 200, Math.max(0, killedAt + limitMs - Date.now()));
  const elapsedMs = Date.now() - killedAt;
  return { inTime: report?.status === 200 && elapsedMs <= limitMs, elapsedMs, answer: await everything() };
}

/** Before each case: the previous one's part is back, however long that took. */
const allReady = () => eventually(health, (report) => report?.status === 200, 60_000);

/** Waits for `text` to appear in the hub's output after position `from`. */
const outputAfter = (from: number, text: string) =>
  eventually(
    async () => output().slice(from),
    (after) => after.includes(text),
    15_000,
  );

/** The pid of the service's current process, from the hub's log ("reports started (pid N)"). */
function pidOf(name: string): number {
  const matches = [...output().matchAll(new RegExp(`\\[gongkai\\] ${name} started(?: again)? \\(pid (\\d+)\\)`, 'g'))];
  const pid = Number(matches.at(-1)?.[1]);
  expect(pid).toBeGreaterThan(0);
  return pid;
}

beforeAll(async () => {
  const [port, agencies, reports, hotline, pgPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  gatewayPort = port;
  hub = await startHubProcess(['--no-sample-data'], {
    GONGKAI_DATA_DIR: dataDir,
    PORT: String(port),
    AGENCIES_PORT: String(agencies),
    REPORTS_PORT: String(reports),
    HOTLINE_PORT: String(hotline),
    GONGKAI_PG_PORT: String(pgPort),
    // /health asks afresh each time, and polling is never rate limited
    GONGKAI_HEALTH_CACHE_MS: '100',
    GONGKAI_RATE_LIMIT: '0',
  });
}, 180_000);

afterAll(async () => {
  if (hub && hub.child.exitCode === null) {
    const exited = new Promise<number | null>((resolve) => hub.child.once('exit', (code) => resolve(code)));
    hub.child.kill('SIGINT');
    // a clean stop after all that: everything stopped, exit 0
    expect(await exited).toBe(0);
    expect(output()).toContain('[gongkai] stopped');
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('gongkai start restarts what crashed', () => {
  it.each(['reports', 'hotline', 'agencies'] as const)('kill -9 of %s: the other subgraphs answer meanwhile, all again within 10 s', { timeout: 90_000 }, async (name: Subgraph) => {
    await allReady();
    expect(answersFully(await everything())).toBe(true);
    const mark = output().length;
    const killedAt = Date.now();
    process.kill(pidOf(name), 'SIGKILL');
    await outputAfter(mark, `[gongkai] ${name} was killed (SIGKILL); next try in`);

    // while it is down (it is started again after a pause, and takes seconds to listen)
    const [during, duringHealth] = await Promise.all([everything(), health()]);
    expect(during).not.toBeNull();
    expect(during!.errors?.map((error) => error.extensions?.serviceName)).toEqual([name]);
    expect(during!.data?.[FIELD_OF[name]]).toBeNull();
    for (const [other, field] of Object.entries(FIELD_OF)) if (other !== name) expect(during!.data?.[field], other).not.toBeNull();
    expect(duringHealth?.status).toBe(503);
    expect(duringHealth?.body.down).toEqual([name]);

    const back = await backWithin(killedAt, 10_000);
    expect(back.inTime, `not back within 10 s (${back.elapsedMs} ms):\n${output().slice(mark)}`).toBe(true);
    expect(answersFully(back.answer)).toBe(true);
  });

  it('kill -9 of the gateway: answering again within 10 s', { timeout: 90_000 }, async () => {
    await allReady();
    const mark = output().length;
    const killedAt = Date.now();
    process.kill(pidOf('gateway'), 'SIGKILL');
    await outputAfter(mark, '[gongkai] gateway was killed (SIGKILL); next try in');
    const back = await backWithin(killedAt, 10_000);
    expect(back.inTime, `not back within 10 s (${back.elapsedMs} ms):\n${output().slice(mark)}`).toBe(true);
    expect(answersFully(back.answer)).toBe(true);
  });

  it('kill -9 of the embedded Postgres: SERVICE_UNAVAILABLE, /health names the database, answering again within 15 s', { timeout: 90_000 }, async () => {
    await allReady();
    expect(answersFully(await everything())).toBe(true);
    const postmaster = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const subgraphPids = (['agencies', 'reports', 'hotline'] as const).map(pidOf);
    const mark = output().length;
    const killedAt = Date.now();
    process.kill(postmaster, 'SIGKILL');
    await outputAfter(mark, '[gongkai] database was killed (SIGKILL); next try in');

    const during = await everything();
    expect(during?.errors?.length).toBeGreaterThan(0);
    for (const error of during!.errors!) expect(error.extensions?.code).toBe(DATABASE_UNAVAILABLE_CODE);
    const duringHealth = await health();
    expect(duringHealth?.status).toBe(503);
    expect(duringHealth?.body.down).toContain('database');

    const back = await backWithin(killedAt, 15_000);
    expect(back.inTime, `not back within 15 s (${back.elapsedMs} ms):\n${output().slice(mark)}`).toBe(true);
    expect(answersFully(back.answer)).toBe(true);
    expect(output().slice(mark)).toContain('[gongkai] database started again');
    // the database came back under the services: none of them was restarted
    expect((['agencies', 'reports', 'hotline'] as const).map(pidOf)).toEqual(subgraphPids);
    expect(await health()).toMatchObject({ status: 200, body: { ready: true, down: [] } });
  });
});
