// Attacks through the registry of municipal subgraphs (issue 13, classes 5 and 6):
// - server-side requests: registering a subgraph must not make the hub call link-local,
//   metadata, loopback (outside development) or unlisted addresses — written plainly, encoded,
//   IPv4-mapped or behind a DNS name — and the refusal comes before any connection; the address
//   is resolved once and pinned for every request; the target's answer is never repeated;
// - type ownership: a municipal SDL may not add to or redefine any of the hub's types, of any
//   kind; a reserved name is refused as RESERVED_NAME in one line, never by an exception.
//
// Nothing here leaves this machine: every connection to an address that is not loopback, and
// every DNS lookup of a name other than localhost, is intercepted, recorded and failed (the
// fake names below are answered from a table). The cases assert that none was attempted.
import { spawn } from 'node:child_process';
import dns from 'node:dns';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Kind, parse, print, type EnumTypeDefinitionNode, type InputObjectTypeDefinitionNode } from 'graphql';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCityHotline, type RunningCityHotline } from '../../examples/city-hotline/server.ts';
import { startGateway } from '../../gateway/server.ts';
import { assessRegistration, checkMunicipalSdl } from '../../gateway/registry/checks.ts';
import { registerSubgraph } from '../../gateway/registry/operations.ts';
import { openRegistryDatabase } from '../../gateway/registry/store.ts';
import type { Identity } from '../../lib/auth/identity.ts';
import type { RunningHttpServer } from '../../lib/graphql/httpServer.ts';
import { token } from '../support/auth.ts';
import { projectRoot } from '../support/cli.ts';
import { postGraphQL, startTestHub, type GraphQLResponse, type TestHub } from '../support/hub.ts';
import { eventually } from '../support/eventually.ts';

// ---------------------------------------------------------------------------------------------
// The network, as this file lets it be used

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/i;
/** Connections attempted to anything but loopback (none is made). */
const blockedConnects: string[] = [];
/** Names looked up (only localhost and the table below are answered). */
const lookups: string[] = [];
/** Fake DNS: name → addresses (a function for names whose answer changes). */
const FAKE_DNS: Record<string, () => string[]> = {
  'rebind.attacker.test': () => ['169.254.169.254'],
  'mapped.attacker.test': () => ['::ffff:169.254.169.254'],
  'v6meta.attacker.test': () => ['fd00:ec2::254'],
  'linklocal.attacker.test': () => ['fe80::1'],
  'mixed.attacker.test': () => ['10.1.2.3', '169.254.169.254'],
  'loop.attacker.test': () => ['127.0.0.1'],
  'public.example.test': () => ['203.0.113.7'],
  'portal.city.test': () => ['10.20.30.40'],
  'city.example.gov.cn.attacker.test': () => ['203.0.113.9'],
};

const realConnect = net.Socket.prototype.connect;
const realLookup = dns.lookup;

function destinationOf(args: any[]): { host: string; local: boolean } {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (typeof first === 'object' && first !== null) {
    if (first.path) return { host: String(first.path), local: true };
    return { host: String(first.host ?? 'localhost'), local: false };
  }
  return { host: String(args[1] ?? 'localhost'), local: false };
}

beforeAll(() => {
  net.Socket.prototype.connect = function (this: net.Socket, ...args: any[]) {
    const { host, local } = destinationOf(args);
    if (local || LOOPBACK.test(host)) return (realConnect as any).apply(this, args);
    blockedConnects.push(host);
    process.nextTick(() => this.destroy(Object.assign(new Error(`connection to ${host} blocked by the test`), { code: 'ECONNREFUSED' })));
    return this;
  } as typeof realConnect;
  (dns as any).lookup = function (hostname: string, ...rest: any[]) {
    const callback = rest[rest.length - 1] as (...a: any[]) => void;
    const options = typeof rest[0] === 'object' && rest[0] !== null ? rest[0] : {};
    // 0.0.0.0 and :: are looked up as servers' bind addresses, not destinations
    if (LOOPBACK.test(hostname) || hostname === '0.0.0.0' || hostname === '::') return (realLookup as any).call(dns, hostname, ...rest);
    lookups.push(hostname);
    const answer = FAKE_DNS[hostname]?.();
    process.nextTick(() => {
      if (!answer) return callback(Object.assign(new Error(`lookup of ${hostname} blocked by the test`), { code: 'ENOTFOUND' }));
      const all = answer.map((address) => ({ address, family: net.isIP(address) }));
      if (options.all) callback(null, all);
      else callback(null, all[0]!.address, all[0]!.family);
    });
    return {};
  };
});
afterAll(() => {
  net.Socket.prototype.connect = realConnect;
  (dns as any).lookup = realLookup;
});
beforeEach(() => {
  blockedConnects.length = 0;
  lookups.length = 0;
});

/** Runs with some environment variables set, then puts them back. */
async function withEnv<T>(vars: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  try {
    return await work();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

// ---------------------------------------------------------------------------------------------
// A subgraph that answers what each test wants

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Reply = { status?: number; headers?: Record<string, string>; body: string };

interface Hostile {
  url: string;
  port: number;
  requests: Received[];
  reply: (request: Received) => Reply;
  close(): Promise<void>;
}

async function hostileServer(reply: (request: Received) => Reply): Promise<Hostile> {
  const state: Hostile = { url: '', port: 0, requests: [], reply, close: async () => {} };
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const received = { method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
    state.requests.push(received);
    const { status = 200, headers = { 'content-type': 'application/json' }, body } = state.reply(received);
    response.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.address() as net.AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}/graphql`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}

const HEADER = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])\n';
const sdlReply = (sdl: string): Reply => ({ body: JSON.stringify({ data: { _service: { sdl } } }) });
const SECRET = 'SECRET-INTERNAL-ANSWER 10.9.8.7';

// ---------------------------------------------------------------------------------------------

let hub: TestHub;
let orm: MikroORM;
let city: RunningCityHotline;
/** Regional admin of 湖南: registers subgraphs owned by 长沙 under either meaning of national scope. */
const admin: Identity = { subject: 'hn-admin', region: '430000', roles: ['admin'] };
let adminToken: string;

beforeAll(async () => {
  hub = await startTestHub();
  orm = await openRegistryDatabase(hub.databaseUrl, 2);
  city = await startCityHotline({ port: 0 });
  adminToken = await token({ sub: 'hn-admin', region: '430000', roles: ['admin'] });
});
afterAll(async () => {
  await city?.stop();
  await orm?.close();
});

const codeOf = (error: unknown) => (error as { extensions?: { code?: string } }).extensions?.code;

/** Registers directly (as the CLI and the mutation do); the refusal's code and message, or 'registered'. */
async function attempt(name: string, url: string, options?: object): Promise<{ code: string; message: string; extensions: Record<string, unknown> }> {
  try {
    await (registerSubgraph as (...a: unknown[]) => Promise<unknown>)(orm.em, admin, { name, url, ownerRegion: '430100' }, options);
    return { code: 'registered', message: '', extensions: {} };
  } catch (error) {
    const e = error as Error & { extensions?: Record<string, unknown> };
    return { code: codeOf(e) ?? `thrown: ${e.message}`, message: e.message, extensions: e.extensions ?? {} };
  }
}

/** A policy as GONGKAI_SUBGRAPH_ALLOW would give it (imported where used: it is part of the fix). */
async function policy(list: string, production: boolean) {
  const { parseSubgraphAllowList } = await import('../../gateway/registry/addresses.ts');
  return parseSubgraphAllowList(list, { production });
}

describe('class 5: what registration may make the hub call', () => {
  it('refuses link-local and metadata addresses before any connection', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://169.254.0.1:4100/graphql',
      'http://100.100.100.200/latest/meta-data/',
      'http://[fe80::1]/graphql',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://0.0.0.0:4001/graphql',
    ]) {
      const refusal = await attempt('probe', url);
      expect(refusal.code, url).toBe('SUBGRAPH_ADDRESS_NOT_ALLOWED');
    }
    expect(blockedConnects).toEqual([]);
    expect(lookups).toEqual([]);
  });

  it('refuses them written in decimal, octal, hex, or as IPv4-mapped / embedded IPv6', async () => {
    for (const url of [
      'http://2852039166/graphql',
      'http://0251.0376.0251.0376/graphql',
      'http://0xa9fea9fe/graphql',
      'http://169.254.43518/graphql',
      'http://[::ffff:169.254.169.254]/graphql',
      'http://[::ffff:a9fe:a9fe]/graphql',
      'http://[0:0:0:0:0:ffff:a9fe:a9fe]/graphql',
      'http://[64:ff9b::a9fe:a9fe]/graphql',
      'http://[2002:a9fe:a9fe::1]/graphql',
    ]) {
      expect((await attempt('probe', url)).code, url).toBe('SUBGRAPH_ADDRESS_NOT_ALLOWED');
    }
    expect(blockedConnects).toEqual([]);
    expect(lookups).toEqual([]);
  });

  it('refuses metadata host names without looking them up', async () => {
    for (const url of ['http://metadata.google.internal/computeMetadata/v1/', 'http://METADATA.Google.Internal./x', 'http://metadata.tencentyun.com/latest/meta-data/', 'http://metadata/x']) {
      expect((await attempt('probe', url)).code, url).toBe('SUBGRAPH_ADDRESS_NOT_ALLOWED');
    }
    expect(lookups).toEqual([]);
    expect(blockedConnects).toEqual([]);
  });

  it('refuses a DNS name that resolves to link-local, metadata or mapped addresses — one bad answer is enough', async () => {
    await withEnv({ GONGKAI_SUBGRAPH_ALLOW: 'loopback, 10.0.0.0/8, *.attacker.test', NODE_ENV: 'test' }, async () => {
      for (const host of ['rebind.attacker.test', 'mapped.attacker.test', 'v6meta.attacker.test', 'linklocal.attacker.test', 'mixed.attacker.test']) {
        const refusal = await attempt('probe', `http://${host}:4100/graphql`);
        expect(refusal.code, host).toBe('SUBGRAPH_ADDRESS_NOT_ALLOWED');
        // the address it resolved to is not told
        expect(refusal.message).not.toMatch(/169\.254|a9fe|fd00|fe80|10\.1\.2\.3/);
      }
    });
    expect(blockedConnects).toEqual([]);
  });

  it('allows loopback only in development', async () => {
    const port = city.port;
    const loopbacks = [
      `http://127.0.0.1:${port}/graphql`,
      `http://localhost:${port}/graphql`,
      `http://[::1]:${port}/graphql`,
      `http://2130706433:${port}/graphql`,
      `http://[::ffff:127.0.0.1]:${port}/graphql`,
      `http://loop.attacker.test:${port}/graphql`,
    ];
    // production (NODE_ENV=production, as in the Docker image), with a list that names no loopback
    await withEnv({ NODE_ENV: 'production', GONGKAI_SUBGRAPH_ALLOW: '10.0.0.0/8,*.attacker.test' }, async () => {
      for (const url of loopbacks) expect((await attempt('city_hotline', url)).code, url).toBe('SUBGRAPH_ADDRESS_NOT_ALLOWED');
      // nor can a list open it there
      expect((await attempt('city_hotline', loopbacks[0]!, { addresses: await policy('10.0.0.0/8', true) })).code).toBe('SUBGRAPH_ADDRESS_NOT_ALLOWED');
    });
    await expect(policy('loopback', true)).rejects.toThrow(/development only/);
    await expect(policy('127.0.0.0/8', false)).rejects.toThrow(/loopback/);
    await expect(policy('169.254.0.0/16', false)).rejects.toThrow(/never allowed/);
    // production without a list: nothing at all
    await withEnv({ NODE_ENV: 'production', GONGKAI_SUBGRAPH_ALLOW: undefined }, async () => {
      const refusal = await attempt('city_hotline', loopbacks[0]!);
      expect(refusal.code).toBe('SUBGRAPH_ADDRESS_NOT_ALLOWED');
      expect(refusal.message).toContain('GONGKAI_SUBGRAPH_ALLOW');
    });
    expect(blockedConnects).toEqual([]);
    // and the example was never asked anything
    const { subgraphAddressPolicyFromEnv } = await import('../../gateway/registry/addresses.ts');
    expect(subgraphAddressPolicyFromEnv({ NODE_ENV: 'development' }).loopback).toBe(true);
    expect(subgraphAddressPolicyFromEnv({ NODE_ENV: 'production' }).loopback).toBe(false);
  });

  it('refuses what the allow-list does not name, before connecting', async () => {
    const addresses = await policy('10.0.0.0/8, city.example.gov.cn, *.city.test', true);
    expect((await attempt('probe', 'http://192.168.1.10/graphql', { addresses })).code).toBe('SUBGRAPH_ADDRESS_NOT_ALLOWED');
    expect((await attempt('probe', 'http://public.example.test/graphql', { addresses })).code).toBe('SUBGRAPH_ADDRESS_NOT_ALLOWED');
    expect((await attempt('probe', 'http://city.example.gov.cn.attacker.test/graphql', { addresses })).code).toBe('SUBGRAPH_ADDRESS_NOT_ALLOWED');
    expect(blockedConnects).toEqual([]);
    // allowed: a listed range, and a name under a listed domain (the connection itself is then
    // intercepted by this file: nothing answers, and the refusal says only that)
    const listed = await attempt('probe', 'http://portal.city.test:4100/graphql', { addresses });
    expect(listed.code).toBe('SUBGRAPH_UNREACHABLE');
    expect(blockedConnects).toEqual(['10.20.30.40']);
    expect(listed.message).not.toMatch(/10\.20|portal|4100|ECONNREFUSED|blocked/);
  });

  it('refuses a URL with credentials in it', async () => {
    expect((await attempt('probe', `http://admin:hunter2@127.0.0.1:${city.port}/graphql`)).code).toBe('BAD_USER_INPUT');
  });
});

describe("class 5: the target's answer is never repeated", () => {
  let hostile: Hostile;
  beforeAll(async () => {
    hostile = await hostileServer(() => ({ body: '' }));
  });
  afterAll(() => hostile.close());

  const leaks = (refusal: { message: string; extensions: Record<string, unknown> }) => {
    const text = `${refusal.message} ${JSON.stringify(refusal.extensions)}`;
    return [SECRET, 'SECRET', String(hostile.port), '127.0.0.1', 'HTTP', 'ECONNREFUSED', '<html'].filter((s) => text.includes(s));
  };

  it('says "not a subgraph" for an error status, HTML, GraphQL errors or a redirect — nothing of the body', async () => {
    const replies: Reply[] = [
      { status: 500, body: SECRET },
      { status: 401, headers: { 'content-type': 'text/html' }, body: `<html>${SECRET}</html>` },
      { status: 200, body: JSON.stringify({ errors: [{ message: SECRET }] }) },
      { status: 200, headers: { 'content-type': 'text/plain' }, body: SECRET },
      { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' }, body: SECRET },
    ];
    for (const reply of replies) {
      hostile.reply = () => reply;
      const refusal = await attempt('probe', hostile.url);
      expect(refusal.code, JSON.stringify(reply)).toBe('NOT_A_SUBGRAPH');
      expect(leaks(refusal)).toEqual([]);
    }
    // the redirect was not followed
    expect(blockedConnects).toEqual([]);
  });

  it('says "unreachable" when nothing answers — no address, no port, no system error', async () => {
    const refusal = await attempt('probe', 'http://127.0.0.1:9/graphql');
    expect(refusal.code).toBe('SUBGRAPH_UNREACHABLE');
    expect(refusal.message).not.toMatch(/127\.0\.0\.1|:9\b|ECONNREFUSED|fetch failed|http:/);
    expect(refusal.extensions.url).toBeUndefined();
  });
});

describe('class 5: through the gateway, pinned', () => {
  let gateway: RunningHttpServer;
  /** The rebinding name: 127.0.0.1 the first time it is looked up, the metadata service after. */
  let rebindLookups = 0;
  beforeAll(async () => {
    FAKE_DNS['flip.city.test'] = () => (rebindLookups++ === 0 ? ['127.0.0.1'] : ['169.254.169.254']);
    const registry = { databaseUrl: hub.databaseUrl, pollMs: 200, healthMs: 300, log: () => {} } as Record<string, unknown>;
    try {
      registry.subgraphAddresses = await policy('loopback, *.city.test', false);
    } catch {
      // before the fix there is no policy: the gateway runs as it did
    }
    gateway = await startGateway({ ...hub.gatewayOptions, port: 0, registry: registry as never });
  });
  afterAll(() => gateway?.close());

  const register = (name: string, url: string) =>
    postGraphQL<any>(gateway.url, `mutation ($name: String!, $url: String!) { registerSubgraph(name: $name, url: $url, ownerRegion: "430100") { version } }`, { name, url }, adminToken);
  const remove = (name: string) => postGraphQL<any>(gateway.url, `mutation ($name: String!) { removeSubgraph(name: $name) { version } }`, { name }, adminToken);
  it('answers a reserved subgraph name with RESERVED_NAME in one line — no stack, no URL, nothing fetched', async () => {
    const hostile = await hostileServer(() => sdlReply(`${HEADER} type Query { cityNews: String }`));
    try {
      const response = await register('agencies', hostile.url);
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe('RESERVED_NAME');
      expect(response.errors?.[0]?.message).not.toContain('\n');
      expect(JSON.stringify(response)).not.toMatch(/127\.0\.0\.1|stacktrace|\.ts:\d+|already exists/);
      expect(hostile.requests).toEqual([]);
    } finally {
      await hostile.close();
    }
  });

  it('refuses the metadata address through the mutation, before any connection', async () => {
    const response = await register('probe', 'http://169.254.169.254/latest/meta-data/');
    expect(response.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_ADDRESS_NOT_ALLOWED');
    expect(blockedConnects).toEqual([]);
  });

  it('resolves the name once: the SDL fetch, health checks and queries all go to the pinned address', async () => {
    const received: http.IncomingHttpHeaders[] = [];
    let pinned = await startCityHotline({ port: 0, onRequest: (request) => received.push(request.headers) });
    const port = pinned.port;
    try {
      const registered = await register('city_hotline', `http://flip.city.test:${port}/graphql`);
      expect(registered.errors).toBeUndefined();
      // the subgraph goes away and comes back: new connections, and the name now says 169.254.169.254
      await pinned.stop();
      pinned = await startCityHotline({ port, onRequest: (request) => received.push(request.headers) });
      const query = `{ region(code: "430100") { name cityHotline { platform } } }`;
      const answered = await eventually(
        () => postGraphQL<any>(gateway.url, query),
        (r) => r.data?.region?.cityHotline?.platform === '长沙12345',
      );
      expect(answered.errors).toBeUndefined();
      expect(answered.data.region.cityHotline.platform).toBe('长沙12345');
      // health checked at the same address: UP
      const listed = await eventually(
        () => postGraphQL<any>(gateway.url, `{ subgraphs { name status lastError } }`, {}, adminToken),
        (r) => r.data?.subgraphs?.find((s: { name: string }) => s.name === 'city_hotline')?.status === 'UP',
      );
      expect(listed.data.subgraphs.find((s: { name: string }) => s.name === 'city_hotline')).toEqual({ name: 'city_hotline', status: 'UP', lastError: null });
      expect(lookups.filter((name) => name === 'flip.city.test')).toEqual(['flip.city.test']);
      expect(blockedConnects).toEqual([]);
      // the Host header is the name registered
      expect(received.length).toBeGreaterThan(2);
      expect(new Set(received.map((h) => h.host))).toEqual(new Set([`flip.city.test:${port}`]));
    } finally {
      await pinned.stop();
      await remove('city_hotline');
    }
  });

  it("answers a failing municipal subgraph with SUBGRAPH_UNREACHABLE, never with its body or URL, and records only 'unreachable'", async () => {
    const hostile = await hostileServer((request) => {
      if (request.body.includes('_service')) return sdlReply(`${HEADER} type Query { cityNotice: String }`);
      if (request.path === '/health') return { status: 500, body: SECRET };
      return { status: 500, body: SECRET };
    });
    try {
      const registered = await register('city_notice', hostile.url);
      expect(registered.errors).toBeUndefined();
      const response: GraphQLResponse<any> = await eventually(
        () => postGraphQL<any>(gateway.url, `{ cityNotice }`),
        (r) => r.errors?.[0]?.extensions?.code !== 'GRAPHQL_VALIDATION_FAILED',
      );
      expect(response.data).toEqual({ cityNotice: null });
      expect(response.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNREACHABLE');
      const text = JSON.stringify(response);
      for (const leak of [SECRET, 'SECRET', String(hostile.port), '127.0.0.1', 'http://']) expect(text).not.toContain(leak);
      const listed = await eventually(
        () => postGraphQL<any>(gateway.url, `{ subgraphs { name status lastError } }`, {}, adminToken),
        (r) => r.data?.subgraphs?.find((s: { name: string }) => s.name === 'city_notice')?.status === 'DOWN',
      );
      expect(listed.data.subgraphs.find((s: { name: string }) => s.name === 'city_notice').lastError).toBe('unreachable');
    } finally {
      await hostile.close();
      await remove('city_notice');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Class 6

const hubSdl = (name: string) => readFileSync(new URL(`../../schema/${name}.graphql`, import.meta.url), 'utf8');
/** The hub's own definition of a type, as a municipal SDL would copy it. */
function hubDefinition<T extends EnumTypeDefinitionNode | InputObjectTypeDefinitionNode>(file: string, name: string): T {
  const node = parse(hubSdl(file)).definitions.find((d) => 'name' in d && d.name?.value === name);
  if (!node) throw new Error(`no ${name} in schema/${file}.graphql`);
  return node as T;
}
const cityDefinition = (sdl: string) => ({ name: 'city_hotline', url: 'http://localhost:1/graphql', ownerRegion: '430100', sdl });
const codesOf = (sdl: string) => {
  const assessment = assessRegistration(cityDefinition(sdl), []);
  return assessment.ok ? ['ACCEPTED'] : [String(assessment.error.extensions.code), ...((assessment.error.extensions.errors as { code: string }[]) ?? []).map((e) => e.code)];
};

describe('class 6: the hub owns its types, of every kind', () => {
  it('refuses a value added to a hub enum (SubmitOutcome), by redefinition or extension', () => {
    const outcome = hubDefinition<EnumTypeDefinitionNode>('reports', 'SubmitOutcome');
    const widened = print({ ...outcome, values: [...(outcome.values ?? []), { ...outcome.values![0]!, description: undefined, name: { kind: Kind.NAME, value: 'APPROVED_BY_CITY' } }] });
    expect(codesOf(`${HEADER} ${widened} type Query { cityOutcome: SubmitOutcome }`)).toContain('HUB_TYPE_EXTENDED');
    expect(codesOf(`${HEADER} ${print(outcome)} extend enum SubmitOutcome { APPROVED_BY_CITY } type Query { cityOutcome: SubmitOutcome }`)).toContain('HUB_TYPE_EXTENDED');
    const problems = checkMunicipalSdl('city', `${HEADER} ${widened} type Query { cityOutcome: SubmitOutcome }`);
    expect(problems).toEqual([{ code: 'HUB_TYPE_EXTENDED', message: 'enum SubmitOutcome belongs to the hub; a municipal subgraph may not redefine it or add values to it' }]);
  });

  it('refuses a field added to a hub input', () => {
    const input = hubDefinition<InputObjectTypeDefinitionNode>('reports', 'ExtractionWarningInput');
    const widened = print(input).replace(/}\s*$/, '  cityOverride: String\n}');
    expect(codesOf(`${HEADER} ${widened} type Query { cityWarning(w: ExtractionWarningInput): Int }`)).toContain('HUB_TYPE_EXTENDED');
  });

  it('refuses a redefined hub scalar', () => {
    expect(codesOf(`${HEADER} scalar Date @specifiedBy(url: "https://city.example/date") type Query { cityDay: Date }`)).toContain('HUB_TYPE_EXTENDED');
    expect(codesOf(`${HEADER} scalar Date type Query { cityDay: Date }`)).toContain('HUB_TYPE_EXTENDED');
  });

  it('refuses making Region implement an interface, and directives that hide or reshape it', () => {
    expect(codesOf(`${HEADER} interface Node { id: ID } type Region implements Node @key(fields: "code") { code: ID! id: ID }`)).toContain('HUB_TYPE_EXTENDED');
    expect(codesOf(`${HEADER.replace('"@shareable"', '"@shareable", "@tag"')} type Region @key(fields: "code") { code: ID! @tag(name: "hidden") cityNote: String }`)).toContain('HUB_FIELD_CLAIMED');
  });

  it('applies the same rule to hub interfaces and unions: no fields, no members, no implementations', async () => {
    // the hub has neither today: one of each, as a future hub subgraph would add them
    vi.resetModules();
    vi.doMock('../../gateway/composeSupergraph.ts', async (importOriginal) => {
      const original = await importOriginal<typeof import('../../gateway/composeSupergraph.ts')>();
      return {
        ...original,
        hubServiceDefinitions: () => [
          ...original.hubServiceDefinitions(),
          { name: 'reports', url: 'http://localhost:4002/graphql', sdl: `${HEADER} interface Publication { id: ID! title: String } union SearchHit = Region | Agency` },
        ],
      };
    });
    try {
      const { checkMunicipalSdl: check } = await import('../../gateway/registry/checks.ts');
      const codes = (sdl: string) => check('city', `${HEADER} ${sdl}`).map((p) => p.code);
      expect(codes(`interface Publication { id: ID! title: String cityTag: String } type Query { cityPublications: [Publication] }`)).toContain('HUB_TYPE_EXTENDED');
      expect(codes(`extend interface Publication { cityTag: String } type Query { cityX: Int }`)).toContain('HUB_TYPE_EXTENDED');
      expect(codes(`type CityBulletin implements Publication { id: ID! title: String } type Query { cityBulletins: [CityBulletin] }`)).toContain('HUB_TYPE_EXTENDED');
      expect(codes(`type CityBulletin { id: ID! } union SearchHit = Region | Agency | CityBulletin type Query { citySearch: [SearchHit] }`)).toContain('HUB_TYPE_EXTENDED');
      expect(codes(`type CityBulletin { id: ID! } extend union SearchHit = CityBulletin type Query { cityB: CityBulletin }`)).toContain('HUB_TYPE_EXTENDED');
      // its own interface and union, with the hub's object types as members, are its own
      expect(codes(`interface CityThing { id: ID } type CityBulletin implements CityThing { id: ID } union CityHit = Region | CityBulletin type Query { cityHits: [CityHit] }`)).toEqual([]);
    } finally {
      vi.doUnmock('../../gateway/composeSupergraph.ts');
      vi.resetModules();
    }
  });
});

describe('class 6: reserved names are RESERVED_NAME, in one line, never an exception', () => {
  let hostile: Hostile;
  beforeAll(async () => {
    hostile = await hostileServer(() => sdlReply(`${HEADER} type Query { cityNews: String }`));
  });
  afterAll(() => hostile.close());
  afterEach(() => {
    hostile.reply = () => sdlReply(`${HEADER} type Query { cityNews: String }`);
  });

  const oneLine = (refusal: { code: string; message: string }) => {
    expect(refusal.code).toBe('RESERVED_NAME');
    expect(refusal.message).not.toContain('\n');
    expect(refusal.message).not.toMatch(/https?:|127\.0\.0\.1|\bat \S+\.(js|ts)/);
  };

  it("refuses a hub subgraph's name before fetching anything", async () => {
    for (const name of ['agencies', 'reports', 'hotline', 'registry']) oneLine(await attempt(name, hostile.url));
    expect(hostile.requests).toEqual([]);
  });

  it("refuses the hub's root fields and the supergraph's machinery as names", async () => {
    for (const sdl of [
      `type Query { agencies: String }`,
      `type Query { region(code: ID!): String }`,
      `type Mutation { registerSubgraph(name: String): String }`,
      `schema { query: CityQuery } type CityQuery { agencies: String }`,
      `enum join__Graph { CITY } type Query { cityNews: String }`,
      `type join__Evil { a: Int } type Query { cityNews: String }`,
    ]) {
      hostile.reply = () => sdlReply(`${HEADER} ${sdl}`);
      oneLine(await attempt('city_news', hostile.url));
      const assessment = assessRegistration(cityDefinition(`${HEADER} ${sdl}`), []);
      expect(assessment.ok ? 'ACCEPTED' : assessment.error.extensions.code, sdl).toBe('RESERVED_NAME');
    }
  });
});

describe('class 5 and 6 from the command line: one line, no stack trace, no URL, no connection', () => {
  const bin = fileURLToPath(new URL('../../bin/gongkai.js', import.meta.url));
  /** Loaded into the CLI: fails (and reports) any connection but loopback and any lookup but localhost. */
  const guard = join(mkdtempSync(join(tmpdir(), 'gongkai-registry-guard-')), 'guard.mjs');
  writeFileSync(
    guard,
    `import net from 'node:net'; import dns from 'node:dns';
const loop = ${LOOPBACK.toString()};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  let o = args[0]; if (Array.isArray(o)) o = o[0];
  const host = typeof o === 'object' && o !== null ? (o.path ? null : String(o.host ?? 'localhost')) : String(args[1] ?? 'localhost');
  if (host === null || loop.test(host)) return connect.apply(this, args);
  process.stderr.write('BLOCKED-CONNECT ' + host + '\\n');
  process.nextTick(() => this.destroy(Object.assign(new Error('blocked'), { code: 'ECONNREFUSED' })));
  return this;
};
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {
  if (loop.test(host)) return lookup.call(dns, host, ...rest);
  process.stderr.write('BLOCKED-LOOKUP ' + host + '\\n');
  const cb = rest[rest.length - 1];
  process.nextTick(() => cb(Object.assign(new Error('blocked'), { code: 'ENOTFOUND' })));
  return {};
};
`,
  );
  let hostile: Hostile;
  beforeAll(async () => {
    hostile = await hostileServer(() => sdlReply(`${HEADER} enum join__Graph { CITY } type Query { cityNews: String }`));
  });
  afterAll(() => hostile.close());

  function gongkai(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', '--import', guard, bin, 'subgraph', ...args], {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: hub.databaseUrl },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }
  const clean = (stderr: string) => {
    expect(stderr).not.toMatch(/BLOCKED-/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  };

  it('refuses the metadata address', async () => {
    const result = await gongkai('add', 'probe', 'http://169.254.169.254/latest/meta-data/');
    expect(result.status).toBe(2); // refused: the graph is unchanged
    expect(result.stderr).toContain('(SUBGRAPH_ADDRESS_NOT_ALLOWED)');
    clean(result.stderr);
  });

  it("refuses a hub subgraph's name and a join__ type as RESERVED_NAME", async () => {
    const named = await gongkai('add', 'agencies', hostile.url);
    expect(named.status).toBe(2);
    expect(named.stderr).toContain('(RESERVED_NAME)');
    expect(named.stderr).not.toContain(String(hostile.port));
    clean(named.stderr);
    const typed = await gongkai('add', 'city_news', hostile.url);
    expect(typed.status).toBe(2);
    expect(typed.stderr).toContain('(RESERVED_NAME)');
    expect(typed.stderr).not.toContain(String(hostile.port));
    clean(typed.stderr);
  });
});
