// The database away (issue 14): Postgres killed with kill -9 under a running hub. Every service
// answers SERVICE_UNAVAILABLE with Retry-After and none of the driver's words, /health says so
// promptly, a service started meanwhile waits for the database, and once Postgres is back (same
// directory, same port) the same requests succeed with no service restarted.
//
// This file runs its own embedded Postgres (the shared one of globalSetup must not be killed).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config.ts';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableMessage, isDatabaseUnavailable } from '../../lib/database/availability.ts';
import { ensureDatabase } from '../../lib/database/createDatabase.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../lib/database/embeddedPostgres.ts';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openSubgraphDatabase } from '../../lib/database/orm.ts';
import { RegionSchema } from '../../subgraphs/agencies/entities/Region.ts';
import { sql } from '../../lib/database/sql.ts';
import { databaseUrl } from '../../lib/database/urls.ts';
import { MemoryNonceStore, newInternalKey, signInternalRequest } from '../../lib/auth/internalSignature.ts';
import { PUBLIC } from '../../lib/auth/identity.ts';
import { startSubgraph, type RunningSubgraph } from '../../lib/runtime/subgraph.ts';
import { SUBGRAPH_MODULES } from '../../subgraphs/modules.ts';
import { startGateway, type GatewayOptions } from '../../gateway/server.ts';
import { gatewayLimitsFromEnv } from '../../gateway/limits/config.ts';
import type { RunningHttpServer } from '../../lib/graphql/httpServer.ts';
import { ADMIN, testTokenConfig } from '../support/auth.ts';
import { eventually } from '../support/eventually.ts';
import { freePort } from '../support/ports.ts';

/** A TCP server that does to every connection what `handle` says (close it, or never answer). */
async function tcpServer(handle: (socket: Socket) => void): Promise<{ port: number; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    handle(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as { port: number }).port, server, sockets };
}

async function closeTcpServer(target: { server: Server; sockets: Set<Socket> }): Promise<void> {
  for (const socket of target.sockets) socket.destroy();
  await new Promise<void>((resolve) => target.server.close(() => resolve()));
}

/** The error `work` fails with (the test fails if it does not). */
async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const urlOn = (port: number) => `postgres://postgres:gongkai@127.0.0.1:${port}/postgres`;
const agencies = SUBGRAPH_MODULES.find((module) => module.name === 'agencies')!;
/** The agencies subgraph's ORM on a server at `url` (nothing is sent before the first query). */
const agenciesOrm = (url: string) => openSubgraphDatabase({ url, schema: 'agencies', entities: agencies.entities, migrations: [] });
/** An entity read, which MikroORM wraps into its DriverException when it fails. */
const readRegion = (orm: MikroORM) => orm.em.fork().findOne(RegionSchema, { code: '430000' });

describe('isDatabaseUnavailable on errors the drivers really give', () => {
  it('knows a refused connection from pg.Client, pg.Pool and MikroORM (raw and wrapped)', async () => {
    const port = await freePort();
    const client = new pg.Client({ connectionString: urlOn(port) });
    const fromClient = await failureOf(() => client.connect());
    const pool = new pg.Pool({ connectionString: urlOn(port) });
    const fromPool = await failureOf(() => pool.query('select 1'));
    await pool.end();
    const orm = await agenciesOrm(urlOn(port));
    const fromKysely = await failureOf(() => sql(orm.em.fork(), 'select 1'));
    const fromMikroOrm = await failureOf(() => readRegion(orm));
    await orm.close();
    for (const error of [fromClient, fromPool, fromKysely, fromMikroOrm]) expect(isDatabaseUnavailable(error)).toBe(true);
    expect((fromMikroOrm as Error).constructor.name).toBe('DriverException');
  });

  it('knows a connection the server drops at once, and one that never answers', async () => {
    const dropping = await tcpServer((socket) => socket.destroy());
    const silent = await tcpServer(() => {});
    try {
      const orm = await agenciesOrm(urlOn(dropping.port));
      const dropped = await failureOf(() => readRegion(orm));
      await orm.close();
      expect((dropped as Error).constructor.name).toBe('DriverException');
      const client = new pg.Client({ connectionString: urlOn(silent.port), connectionTimeoutMillis: 300 });
      const timedOut = await failureOf(() => client.connect());
      const pool = new pg.Pool({ connectionString: urlOn(silent.port), connectionTimeoutMillis: 300 });
      const poolTimedOut = await failureOf(() => pool.query('select 1'));
      await pool.end();
      for (const error of [dropped, timedOut, poolTimedOut]) expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await closeTcpServer(dropping);
      await closeTcpServer(silent);
    }
  });

  it('knows a session the server ended (57P01), and a client that is then not queryable', async () => {
    const victim = new pg.Client({ connectionString: databaseServerUrl });
    // pg emits the server's FATAL, then the socket's end ("Connection terminated unexpectedly")
    const emitted: Error[] = [];
    const ended = new Promise<Error>((resolve) => victim.on('error', (error) => resolve(emitted[emitted.push(error) - 1]!)));
    await victim.connect();
    const pid = (await victim.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    const admin = new pg.Client({ connectionString: databaseServerUrl });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await admin.end();
    const terminated = await ended;
    expect((terminated as Error & { code?: string }).code).toBe('57P01');
    const afterwards = await failureOf(() => victim.query('select 1'));
    for (const error of [...emitted, afterwards]) expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('does not take a failed statement or a wrong password for an absent database', async () => {
    // the maintenance database has no agencies schema: MikroORM's TableNotFoundException
    const orm = await agenciesOrm(databaseServerUrl);
    try {
      expect(isDatabaseUnavailable(await failureOf(() => readRegion(orm)))).toBe(false);
      expect(isDatabaseUnavailable(await failureOf(() => sql(orm.em.fork(), 'select * from no_such_table')))).toBe(false);
      expect(isDatabaseUnavailable(await failureOf(() => orm.em.fork().getConnection().execute('select 1/0')))).toBe(false);
    } finally {
      await orm.close();
    }
    const wrongPassword = new pg.Client({ connectionString: databaseServerUrl.replace(':gongkai@', ':wrong@') });
    expect(isDatabaseUnavailable(await failureOf(() => wrongPassword.connect()))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// A hub on its own Postgres.

const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-outage-'));
const pgPort = await freePort();
let postgres: EmbeddedDatabase;
let databaseServerUrl: string;
let hubDatabaseUrl: string;
const internalKey = Buffer.from(newInternalKey(), 'base64');
const subgraphs = {} as Record<SubgraphName, RunningSubgraph>;
let gateway: RunningHttpServer;
let gatewayOptions: GatewayOptions;
const registryLog: string[] = [];

/** Starts Postgres on the data directory and port; after a kill -9 its old backends may need a moment to go. */
async function startPostgres(): Promise<EmbeddedDatabase> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEmbeddedPostgres({ dir: dataDir, port: pgPort });
    } catch (error) {
      if (attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

beforeAll(async () => {
  postgres = await startPostgres();
  databaseServerUrl = postgres.serverUrl;
  hubDatabaseUrl = databaseUrl(postgres.serverUrl, 'gongkai');
  await ensureDatabase(hubDatabaseUrl);
  for (const module of SUBGRAPH_MODULES) {
    subgraphs[module.name] = await startSubgraph(module, {
      databaseUrl: hubDatabaseUrl,
      port: 0,
      internalKey,
      log: () => {},
      // the hotline subgraph keeps its nonces in memory, so that with the database away its
      // requests get past authentication and fail in their resolvers: the other path to
      // SERVICE_UNAVAILABLE (agencies and reports fail at the nonce check, before GraphQL)
      ...(module.name === 'hotline' ? { nonces: new MemoryNonceStore() } : {}),
    });
  }
  gatewayOptions = {
    port: 0,
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphs[name].url])) as Record<SubgraphName, string>,
    internalKey,
    tokens: testTokenConfig(),
    limits: { ...gatewayLimitsFromEnv(), ratePerSecond: 0 },
    registry: { databaseUrl: hubDatabaseUrl, pollMs: 100, healthMs: 100, log: (line) => registryLog.push(line) },
  };
  gateway = await startGateway(gatewayOptions);
});

afterAll(async () => {
  await gateway?.close();
  await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.close()));
  await postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  retryAfter: string | null;
  text: string;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(url: string, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), text, body: JSON.parse(text) };
}

const REGION = '{ region(code: "430000") { name } }';
/** hotlineLines is non-null: when it fails there is no data at all. */
const REGION_AND_LINES = '{ region(code: "430000") { name } hotlineLines { code } }';

const askGateway = (query: string, token?: string) => post(gateway.url, query, token ? { authorization: `Bearer ${token}` } : {});
const askSubgraph = (name: SubgraphName, query: string) =>
  post(subgraphs[name].url, query, signInternalRequest(internalKey, PUBLIC, { query }, { audience: name }));

/** A service started in the background, with what it logs, for one started while the database is away. */
function startedMeanwhile<T>(start: (log: (line: string) => void) => Promise<T>): { running: Promise<T>; log: string[]; settled: () => boolean } {
  const log: string[] = [];
  let settled = false;
  const running = start((line) => log.push(line));
  running.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { running, log, settled: () => settled };
}

async function health(name: SubgraphName): Promise<{ status: number; body: any; ms: number }> {
  const started = Date.now();
  const response = await fetch(new URL('/health', subgraphs[name].url));
  return { status: response.status, body: await response.json(), ms: Date.now() - started };
}

/** What a client reading `answer` must never see: the driver's words, the database's address. */
function expectNoDriverText(answer: Answer): void {
  for (const forbidden of ['ECONNREFUSED', '127.0.0.1', String(pgPort), 'Connection terminated', 'postmaster']) {
    expect(answer.text).not.toContain(forbidden);
  }
}

function expectServiceUnavailable(answer: Answer): void {
  expect(answer.body.errors?.length).toBeGreaterThan(0);
  for (const error of answer.body.errors!) {
    expect(error.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.message).toBe(databaseUnavailableMessage());
  }
  expect(answer.retryAfter).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
  // 503 when nothing of the request was done, 200 (GraphQL over HTTP) when data came back
  expect(answer.status).toBe(answer.body.data == null ? 503 : 200);
  expectNoDriverText(answer);
}

describe('Postgres killed with kill -9 under a running hub', () => {
  it('answers before the kill', async () => {
    const answer = await askGateway(REGION_AND_LINES, ADMIN);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.region.name).toBe('湖南省');
    expect(answer.retryAfter).toBeNull();
    expect((await health('agencies')).body).toMatchObject({ ready: true, database: 'available' });
  });

  it('answers SERVICE_UNAVAILABLE with Retry-After while it is away, and comes back by itself', async () => {
    const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGKILL');

    // the gateway: a field whose subgraph refused the request at its nonce check (503 there)
    const publicAnswer = await askGateway(REGION);
    expectServiceUnavailable(publicAnswer);
    expect(publicAnswer.body.data).toEqual({ region: null });
    expect(publicAnswer.status).toBe(200);
    // authenticated, and with a non-null field that failed in its resolver (hotline): no data at all
    const authenticated = await askGateway(REGION_AND_LINES, ADMIN);
    expectServiceUnavailable(authenticated);
    expect(authenticated.body.data ?? null).toBeNull();
    expect(authenticated.status).toBe(503);
    expect(authenticated.body.errors!.map((error) => error.extensions?.serviceName).sort()).toEqual(['agencies', 'hotline']);

    // a nullable field that failed in its subgraph's resolver, which answered 200 with the error
    const tickets = await askGateway('{ tickets(regionCode: "430000", year: 2024, first: 1) { totalCount } }', ADMIN);
    expectServiceUnavailable(tickets);
    expect(tickets.body.data).toEqual({ tickets: null });
    expect(tickets.body.errors!.map((error) => error.extensions?.serviceName)).toEqual(['hotline']);

    // the gateway's own registry of subgraphs, on the same database
    const registry = await askGateway('{ subgraphs { name } }', ADMIN);
    expectServiceUnavailable(registry);
    expect(registry.body.data).toEqual({ subgraphs: null });

    // each subgraph itself: refused before GraphQL (nonce table), or failed in its resolver
    const atAgencies = await askSubgraph('agencies', REGION);
    expectServiceUnavailable(atAgencies);
    expect(atAgencies.status).toBe(503);
    expectServiceUnavailable(await askSubgraph('hotline', '{ hotlineLines { code } }'));

    // /health: 503 and why, promptly
    for (const name of SUBGRAPH_NAMES) {
      const answer = await health(name);
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ ready: false, database: 'unavailable' });
      // bounded at 2 s by the subgraph (the pool itself would wait 10 s on a host that never answers)
      expect(answer.ms).toBeLessThan(4000);
    }

    // a subgraph and a gateway (its registry) started now wait for the database instead of failing
    const lateSubgraph = startedMeanwhile((log) =>
      startSubgraph(agencies, { databaseUrl: hubDatabaseUrl, port: 0, internalKey, nonces: new MemoryNonceStore(), log }),
    );
    const lateGateway = startedMeanwhile((log) =>
      startGateway({ ...gatewayOptions, registry: { databaseUrl: hubDatabaseUrl, pollMs: 100, healthMs: 1000, log } }),
    );
    for (const late of [lateSubgraph, lateGateway]) {
      await eventually(async () => late.log.join('\n'), (log) => log.includes('waiting for the database'));
      expect(late.log.join('\n')).toContain('waiting for the database');
      expect(late.settled()).toBe(false);
    }

    // the registry's poller said it once, and serves what it had
    await eventually(async () => registryLog.join('\n'), (log) => /registry's database is unavailable; serving supergraph version/.test(log));
    expect(registryLog.filter((line) => /registry's database is unavailable; serving supergraph/.test(line))).toHaveLength(1);

    // Postgres again, same directory and port; no service is restarted
    postgres = await startPostgres();
    const back = await eventually(
      () => askGateway(REGION_AND_LINES, ADMIN),
      (answer) => answer.status === 200 && answer.body.errors === undefined,
      15_000,
    );
    expect(back.body.errors).toBeUndefined();
    expect(back.body.data.region.name).toBe('湖南省');
    expect(back.retryAfter).toBeNull();
    const publicBack = await askGateway(REGION);
    expect(publicBack.body.errors).toBeUndefined();
    expect(publicBack.body.data).toEqual({ region: { name: '湖南省' } });
    for (const name of SUBGRAPH_NAMES) expect((await health(name)).body).toMatchObject({ ready: true, database: 'available' });

    const [subgraph, secondGateway] = [await lateSubgraph.running, await lateGateway.running];
    try {
      expect(lateSubgraph.log.join('\n')).toContain('the database answers');
      expect((await fetch(new URL('/health', subgraph.url))).status).toBe(200);
      expect((await post(secondGateway.url, REGION)).body.data).toEqual({ region: { name: '湖南省' } });
    } finally {
      await subgraph.close();
      await secondGateway.close();
    }
    await eventually(async () => registryLog.join('\n'), (log) => log.includes('registry reachable again'));
    expect(registryLog.filter((line) => line.includes('registry reachable again'))).toHaveLength(1);
  });
});
