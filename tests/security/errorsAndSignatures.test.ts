// Attack matrix, issue 13 classes 7 and 10 (docs/security.md): what an error tells a client, and
// the smaller points of identity propagation.
//
// Class 7 — leaks in errors. Every error a client gets carries a stable code, a message written
// for it and the request id (`extensions.requestId`, also the `x-request-id` header) under which
// the log keeps the details: no stack trace or server path even with NODE_ENV unset (as under
// `npm start`; this file runs every hub so), no Postgres message, no internal URL or address of a
// subgraph (the hub's or a municipal one) that failed, no "Did you mean …" hint; a NUL in any
// string and an id or cursor out of range are BAD_USER_INPUT before any SQL.
//
// Class 10 — smaller points. A token issued in the future is refused beyond the 30 s skew;
// subgraphs listen on loopback unless GONGKAI_SUBGRAPH_HOST says otherwise; `_service` needs
// the gateway's signature like any request; a signature captured on its way to one subgraph is
// refused by another, and by another replica of the same subgraph (nonces in Postgres).
import http from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { SignJWT } from 'jose';
import { parse as parseGraphQL } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstRow } from '../support/database.ts';
import { startTestHub, type GraphQLResponse, type TestHub } from '../support/hub.ts';
import { ADMIN, TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET, token } from '../support/auth.ts';
import { projectRoot } from '../support/cli.ts';
import { startGateway } from '../../gateway/server.ts';
import { startSubgraph, type RunningSubgraph } from '../../lib/runtime/subgraph.ts';
import { reportsSubgraph } from '../../subgraphs/reports/subgraph.ts';
import { encodeCursor } from '../../lib/graphql/cursor.ts';
import { clientErrorFormatter } from '../../lib/graphql/errorFormatting.ts';
import { withRequestId } from '../../lib/graphql/requestContext.ts';
import { PostgresNonceStore } from '../../lib/auth/nonceStore.ts';
import { databaseUnavailableMessage } from '../../lib/database/availability.ts';
import { signInternalRequest } from '../../lib/auth/internalSignature.ts';
import { SUBGRAPH_NAMES, subgraphHost, subgraphUrl } from '../../lib/config.ts';
import type { RunningHttpServer } from '../../lib/graphql/httpServer.ts';
import { eventually } from '../support/eventually.ts';

// As `npm start` runs the services: Apollo shows stack traces unless NODE_ENV says production
// or test. Every hub of this file starts without it.
const savedNodeEnv = process.env.NODE_ENV;
delete process.env.NODE_ENV;
afterAll(() => {
  process.env.NODE_ENV = savedNodeEnv;
});

/** What the services wrote to the log (console.error), for finding a request id in it. */
const logged: string[] = [];
const realConsoleError = console.error;
console.error = (...args: unknown[]) => {
  logged.push(args.map((a) => (a instanceof Error ? a.stack : String(a))).join(' '));
};
afterAll(() => {
  console.error = realConsoleError;
});

let hub: TestHub;
let analyst: string;
const extra: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const closable of extra.reverse()) await closable.close();
});

beforeAll(async () => {
  hub = await startTestHub({ sampleData: true, registry: { pollMs: 200, healthMs: 300 } });
  analyst = await token({ sub: 'hn-analyst', region: '430000', roles: ['analyst'] });
});

interface RawAnswer {
  status: number;
  requestId: string | null;
  body: GraphQLResponse;
  text: string;
}

async function ask(url: string, query: string, variables: Record<string, unknown> = {}, bearer?: string): Promise<RawAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, requestId: response.headers.get('x-request-id'), body: JSON.parse(text) as GraphQLResponse, text };
}

/** Nothing in an answer that only the server should know. */
function expectNoInternals(answer: RawAnswer, ...secrets: string[]): void {
  for (const leak of ['stacktrace', 'node_modules', projectRoot, '/work/', 'at async', 'ECONNREFUSED', 'postgres://', 'invalid byte sequence', 'out of range for type', 'Did you mean', ...secrets]) {
    expect(answer.text, `the answer shows ${leak}`).not.toContain(leak);
  }
}

/** Every error carries a code and the request id of the answer. */
function expectCodedErrors(answer: RawAnswer): void {
  expect(answer.body.errors?.length).toBeGreaterThan(0);
  expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
  for (const error of answer.body.errors!) {
    expect(typeof error.extensions?.code).toBe('string');
    expect(error.extensions?.requestId).toBe(answer.requestId);
  }
}

const codeOf = (answer: RawAnswer) => answer.body.errors?.[0]?.extensions?.code;

describe('class 7: no stack trace, path or hint in any error (NODE_ENV unset)', () => {
  it('answers a validation error with its code and request id, and nothing of the server', async () => {
    const answer = await ask(hub.gatewayUrl, '{ regions(level: PROVINCEE) { code } agency(id: 1) { nam } }');
    expect(answer.status).toBe(400);
    expectCodedErrors(answer);
    expect(codeOf(answer)).toBe('GRAPHQL_VALIDATION_FAILED');
    expectNoInternals(answer);
  });

  it('cuts "Did you mean" from variable coercion: enum values and input fields', async () => {
    const level = await ask(hub.gatewayUrl, 'query ($l: RegionLevel) { regions(level: $l) { code } }', { l: 'PROVINCEE' });
    expect(codeOf(level)).toBe('BAD_USER_INPUT');
    expectCodedErrors(level);
    expectNoInternals(level, '"PROVINCE"');
    const input = await ask(hub.gatewayUrl, 'mutation ($i: CreateAgencyInput!) { createAgency(input: $i) { id } }', { i: { nam: '某局', regionCode: '430100', sector: 'OTHER' } }, ADMIN);
    expect(codeOf(input)).toBe('BAD_USER_INPUT');
    expectNoInternals(input);
    expect(input.text).not.toMatch(/Did you mean "name"/);
  });

  it('gives a request id to every error, the same as the x-request-id header, and a fresh one per request', async () => {
    const first = await ask(hub.gatewayUrl, '{ flags(regionCode: "430100", year: 2024) { totalCount } }');
    const second = await ask(hub.gatewayUrl, '{ flags(regionCode: "430100", year: 2024) { totalCount } }');
    expect(codeOf(first)).toBe('UNAUTHENTICATED');
    expectCodedErrors(first);
    expect(second.requestId).not.toBe(first.requestId);
  });

  it('does not take a request id from the client', async () => {
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'chosen-by-the-client-0001' },
      body: JSON.stringify({ query: '{ regoins { code } }' }),
    });
    expect(response.headers.get('x-request-id')).not.toBe('chosen-by-the-client-0001');
  });
});

describe('class 7: NUL characters are BAD_USER_INPUT before any SQL', () => {
  const cases: [string, string, Record<string, unknown>, string | undefined][] = [
    ['a search variable', 'query ($s: String) { agencies(search: $s) { totalCount } }', { s: 'a\u0000b' }, undefined],
    ['a search literal', '{ regions(search: "a\\u0000b") { code } }', {}, undefined],
    ['a nested input field', 'mutation ($i: CreateAgencyInput!) { createAgency(input: $i) { id } }', { i: { name: '某局', aliases: ['x\u0000'], regionCode: '430100', sector: 'OTHER' } }, 'admin'],
    ['a flag code', 'query ($c: String) { flags(regionCode: "430000", year: 2024, code: $c) { totalCount } }', { c: '\u0000' }, 'analyst'],
    ['a ticket line', 'query ($l: ID) { tickets(regionCode: "430000", year: 2024, line: $l) { totalCount } }', { l: '12345\u0000' }, 'analyst'],
    ['a variable default', 'query ($s: String = "\\u0000") { agencies(search: $s) { totalCount } }', {}, undefined],
  ];
  it.each(cases)('refuses a NUL in %s', async (_what, query, variables, who) => {
    const bearer = who === 'admin' ? ADMIN : who === 'analyst' ? analyst : undefined;
    const result = await ask(hub.gatewayUrl, query, variables, bearer);
    // refused by the gateway itself (HTTP 400, no serviceName): no subgraph, no SQL
    expect(result.status).toBe(400);
    expect(result.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(result.body.errors![0]!.extensions).not.toHaveProperty('serviceName');
    expect(result.body.errors![0]!.message).toContain('NUL');
    expect(result.body.data ?? null).toBeNull();
    expectCodedErrors(result);
    expectNoInternals(result);
  });

  it('refuses a NUL at a subgraph too, when a signed request carries one', async () => {
    const payload = { query: 'query ($s: String) { agencies(search: $s) { totalCount } }', variables: { s: '\u0000' } };
    const headers = signInternalRequest(hub.internalKey, { subject: null, region: null, roles: [] }, payload, { audience: 'agencies' });
    const response = await fetch(hub.subgraphs.agencies.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });
    const body = (await response.json()) as GraphQLResponse;
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: '$s' });
    expect(JSON.stringify(body)).not.toContain('invalid byte sequence');
  });
});

describe('class 7: ids and cursors out of range are BAD_USER_INPUT, never a database error', () => {
  const cases: [string, string, string, boolean][] = [
    ['an agency id beyond integer', '{ agency(id: "99999999999") { name } }', 'id', false],
    ['a report id beyond integer', '{ annualReport(id: "99999999999") { id } }', 'id', false],
    ['an id written as an exponent', '{ annualReport(id: "1e3") { id } }', 'id', false],
    ['an agency cursor beyond integer', `{ agencies(first: 2, after: "${encodeCursor('agency', 9_999_999_999)}") { totalCount } }`, 'after', false],
    ['a flag cursor beyond integer', `{ flags(regionCode: "430000", year: 2024, after: "${encodeCursor('flag', [9_999_999_999, 'X', 1])}") { totalCount } }`, 'after', true],
    ['a flag cursor hiding a NUL', `{ flags(regionCode: "430000", year: 2024, after: "${encodeCursor('flag', [1, '\u0000', 1])}") { totalCount } }`, 'after', true],
    ['a ticket cursor beyond any date', `{ tickets(regionCode: "430000", year: 2024, after: "${encodeCursor('ticket', [9e15, '1'])}") { totalCount } }`, 'after', true],
    ['a cursor of absurd length', `{ agencies(first: 2, after: "${'A'.repeat(5000)}") { totalCount } }`, 'after', false],
  ];
  it.each(cases)('refuses %s', async (_what, query, argument, asAnalyst) => {
    const answer = await ask(hub.gatewayUrl, query, {}, asAnalyst ? analyst : undefined);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expectCodedErrors(answer);
    expectNoInternals(answer, 'Invalid time value');
  });

  it('answers a Postgres data exception that slipped past validation as BAD_USER_INPUT, without its words', async () => {
    // an entity reference is not an argument: no resolver range-checks it, and a signed request
    // (the gateway's own, or one made with the key) can carry any id to an integer column
    const payload = {
      query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on AnnualReport { id } } }',
      variables: { r: [{ __typename: 'AnnualReport', id: '99999999999' }] },
    };
    const headers = signInternalRequest(hub.internalKey, { subject: null, region: null, roles: [] }, payload, { audience: 'reports' });
    const response = await fetch(hub.subgraphs.reports.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });
    const text = await response.text();
    const body = JSON.parse(text) as GraphQLResponse;
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', requestId: response.headers.get('x-request-id') });
    for (const leak of ['out of range for type', 'type integer', 'stacktrace', '99999999999" is']) expect(text).not.toContain(leak);
    expect(logged.some((line) => line.includes(response.headers.get('x-request-id')!) && line.includes('out of range for type integer'))).toBe(true);
  });
});

describe('class 7: internal failures are a code and a request id; the details are in the log', () => {
  it('masks a Postgres error, and logs it under the request id the client gets', async () => {
    await firstRow(hub.databaseUrl, 'alter table reports.annual_report rename to annual_report_hidden');
    try {
      const answer = await ask(hub.gatewayUrl, '{ annualReport(id: "1") { id } }');
      expect(codeOf(answer)).toBe('INTERNAL_SERVER_ERROR');
      expectCodedErrors(answer);
      expectNoInternals(answer, 'relation', 'annual_report', 'does not exist');
      expect(answer.body.errors![0]!.message).toContain(answer.requestId!);
      // the subgraph's and the gateway's log both name the request, with what happened
      const lines = logged.filter((line) => line.includes(answer.requestId!));
      // JSON lines (lib/observability/log.ts) naming their service
      expect(lines.some((line) => line.includes('"service":"reports"') && line.includes('annual_report'))).toBe(true);
      expect(lines.some((line) => line.includes('"service":"gateway"'))).toBe(true);
    } finally {
      await firstRow(hub.databaseUrl, 'alter table reports.annual_report_hidden rename to annual_report');
    }
  });

  it('maps a refused database connection to SERVICE_UNAVAILABLE without its address', async () => {
    // a reports replica whose nonce store cannot reach its database (an address of the hub's network)
    const broken = await startSubgraph(reportsSubgraph, {
      databaseUrl: hub.databaseUrl,
      port: 0,
      internalKey: hub.internalKey,
      nonces: new PostgresNonceStore('postgres://gongkai:secret@127.0.0.1:1/gongkai', 'reports'),
      log: () => {},
    });
    extra.push(broken);
    const gateway = await startGateway({ ...hub.gatewayOptions, registry: null, port: 0, subgraphUrls: { ...hub.gatewayOptions.subgraphUrls, reports: broken.url } });
    extra.push(gateway);
    const answer = await ask(gateway.url, '{ annualReport(id: "1") { id } region(code: "430000") { name } }');
    expect(answer.body.data?.region?.name).toBe('湖南省');
    // the database away is temporary: try again (issue 14, docs/operations.md)
    expect(codeOf(answer)).toBe('SERVICE_UNAVAILABLE');
    expectCodedErrors(answer);
    expectNoInternals(answer, '127.0.0.1', new URL(broken.url).port, 'secret');
    expect(logged.some((line) => line.includes(answer.requestId!) && line.includes('ECONNREFUSED'))).toBe(true);
  });

  it('maps the formatter\'s cases: a database data exception, a connection failure, a third party', () => {
    const lines: string[] = [];
    const format = clientErrorFormatter({ service: 'test', ownServices: ['reports'], log: (line) => lines.push(line) });
    const nul = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021', severity: 'ERROR' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), { code: 'ECONNREFUSED', address: '10.0.0.7' });
    withRequestId('req-0000-test', () => {
      expect(format({ message: nul.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at /srv/x.ts'] } }, nul)).toEqual({
        message: expect.not.stringContaining('0x00'),
        extensions: { code: 'BAD_USER_INPUT', requestId: 'req-0000-test' },
      });
      const masked = format({ message: refused.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, refused);
      expect(masked.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', requestId: 'req-0000-test' });
      expect(masked.message).toBe(databaseUnavailableMessage());
      expect(masked.message).not.toContain('10.0.0.7');
      const municipal = format({ message: 'boom at http://10.1.1.1/x', extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'city', debug: 'http://10.1.1.1' } }, null);
      expect(municipal).toMatchObject({ extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'city' } });
      expect(JSON.stringify(municipal)).not.toContain('10.1.1.1');
      const own = format({ message: 'Value "X" does not exist in "Level" enum. Did you mean the enum value "CITY"?', extensions: { code: 'BAD_USER_INPUT' } }, null);
      expect(own.message).toBe('Value "X" does not exist in "Level" enum.');
    });
    expect(lines.join('\n')).toContain('10.0.0.7');
    expect(lines.every((line) => line.includes('req-0000-test'))).toBe(true);
  });
});

/** A municipal subgraph that misbehaves on demand: answers, throws with its internals, fails over HTTP, or is gone. */
async function startMisbehavingCity(): Promise<{ url: string; port: number; mode: { current: 'ok' | 'throw' | 'http500' }; stop(): Promise<void> }> {
  const mode = { current: 'ok' as 'ok' | 'throw' | 'http500' };
  const typeDefs = parseGraphQL(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Region @key(fields: "code") {
      code: ID!
      "A notice of the city's own."
      cityNotice: String
    }
  `);
  const resolvers = {
    Region: {
      __resolveReference: (reference: { code: string }) => ({ code: reference.code }),
      cityNotice: () => {
        if (mode.current === 'throw') throw new Error('could not reach postgres://city:pw@10.20.30.40:5432/city (connect ECONNREFUSED 10.20.30.40:5432) in /srv/city/app.js');
        return '停水通知';
      },
    },
  };
  // NODE_ENV is unset: this Apollo puts stack traces in its errors, as a careless city's would
  const apollo = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }) });
  await apollo.start();
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    if (request.url === '/health') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"ready":true}');
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (mode.current === 'http500' && !JSON.stringify(body).includes('_service')) {
      return void response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'upstream http://10.20.30.40:8080/internal failed' }] }));
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(key, value);
    const result = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: 'POST', headers, search: '', body }, context: async () => ({}) });
    response.writeHead(result.status ?? 200, { 'content-type': 'application/json' });
    response.end(result.body.kind === 'complete' ? result.body.string : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    mode,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}

describe('class 7: a failing municipal subgraph never shows its URL or internals', () => {
  let city: Awaited<ReturnType<typeof startMisbehavingCity>>;
  const QUERY = '{ region(code: "430100") { name cityNotice } }';

  beforeAll(async () => {
    city = await startMisbehavingCity();
    extra.push({ close: () => city.stop() });
    const registered = await ask(hub.gatewayUrl, 'mutation ($url: String!) { registerSubgraph(name: "city_notices", url: $url, ownerRegion: "430100") { version } }', { url: city.url }, ADMIN);
    expect(registered.body.errors).toBeUndefined();
    const answered = await eventually(() => ask(hub.gatewayUrl, QUERY), (a) => a.body.data?.region?.cityNotice === '停水通知');
    expect(answered.body.data.region.cityNotice).toBe('停水通知');
  });

  const secrets = () => ['10.20.30.40', '/srv/city', `:${city.port}`, '127.0.0.1', 'localhost', 'postgres://'];

  it('masks an internal error it answers with (its message, address and stack trace)', async () => {
    city.mode.current = 'throw';
    const answer = await ask(hub.gatewayUrl, QUERY);
    expect(answer.body.data.region).toEqual({ name: '长沙市', cityNotice: null });
    expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_ERROR', serviceName: 'city_notices' });
    expectCodedErrors(answer);
    expectNoInternals(answer, ...secrets());
    expect(logged.some((line) => line.includes(answer.requestId!) && line.includes('10.20.30.40'))).toBe(true);
  });

  it('does not echo an HTTP failure (its status, URL or body)', async () => {
    city.mode.current = 'http500';
    const answer = await ask(hub.gatewayUrl, QUERY);
    expect(answer.body.data.region.name).toBe('长沙市');
    expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_UNREACHABLE', serviceName: 'city_notices' });
    expectCodedErrors(answer);
    expectNoInternals(answer, ...secrets(), 'upstream', 'Internal Server Error');
  });

  it('says SUBGRAPH_UNREACHABLE when it is down, without its address or the cause', async () => {
    // (gateway/registry/municipalDataSource.ts words the error)
    await city.stop();
    const answer = await ask(hub.gatewayUrl, QUERY);
    expect(answer.body.data.region.name).toBe('长沙市');
    expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_UNREACHABLE', serviceName: 'city_notices' });
    expect(answer.body.errors![0]!.message).toContain('city_notices');
    expectCodedErrors(answer);
    expectNoInternals(answer, ...secrets(), 'fetch failed');
  });
});

describe('class 10: tokens issued in the future', () => {
  const issuedAt = (secondsFromNow: number) =>
    new SignJWT({ roles: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('clock-skewed')
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setIssuedAt(Math.floor(Date.now() / 1000) + secondsFromNow)
      .setExpirationTime(Math.floor(Date.now() / 1000) + 7200)
      .sign(TEST_SECRET);

  it('refuses a token issued an hour from now', async () => {
    const answer = await ask(hub.gatewayUrl, '{ regions(level: PROVINCE) { code } }', {}, await issuedAt(3600));
    expect(answer.status).toBe(401);
    expect(codeOf(answer)).toBe('UNAUTHENTICATED');
    expect(answer.body.errors![0]!.message).toMatch(/future/);
  });
  it('refuses one issued a minute from now (beyond the 30 s tolerance)', async () => {
    expect((await ask(hub.gatewayUrl, '{ regions(level: PROVINCE) { code } }', {}, await issuedAt(60))).status).toBe(401);
  });
  it('accepts one issued 10 s from now (a clock a little ahead)', async () => {
    expect((await ask(hub.gatewayUrl, '{ regions(level: PROVINCE) { code } }', {}, await issuedAt(10))).status).toBe(200);
  });
  it('refuses a subject with a NUL (it would reach the audit log)', async () => {
    const nul = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('a\u0000b').setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setExpirationTime('5m').sign(TEST_SECRET);
    expect((await ask(hub.gatewayUrl, '{ regions(level: PROVINCE) { code } }', {}, nul)).status).toBe(401);
  });
});

describe('class 10: subgraphs listen on loopback unless told otherwise', () => {
  it('binds every subgraph of the hub to 127.0.0.1', async () => {
    for (const name of SUBGRAPH_NAMES) expect(new URL(hub.subgraphs[name].url).hostname).toBe('127.0.0.1');
    const outside = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (outside) {
      const port = Number(new URL(hub.subgraphs.reports.url).port);
      const reached = await new Promise<boolean>((resolve) => {
        const socket = connect(port, outside);
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      });
      expect(reached, `the reports subgraph answers on ${outside}`).toBe(false);
    }
  });

  it('reads the address from GONGKAI_SUBGRAPH_HOST, and the gateway finds them there', () => {
    const saved = process.env.GONGKAI_SUBGRAPH_HOST;
    try {
      delete process.env.GONGKAI_SUBGRAPH_HOST;
      expect(subgraphHost()).toBe('127.0.0.1');
      expect(new URL(subgraphUrl('reports')).hostname).toBe('127.0.0.1');
      process.env.GONGKAI_SUBGRAPH_HOST = '0.0.0.0';
      expect(subgraphHost()).toBe('0.0.0.0');
      expect(new URL(subgraphUrl('reports')).hostname).toBe('127.0.0.1');
      process.env.GONGKAI_SUBGRAPH_HOST = 'bad host; rm -rf';
      expect(() => subgraphHost()).toThrow(/GONGKAI_SUBGRAPH_HOST/);
    } finally {
      if (saved === undefined) delete process.env.GONGKAI_SUBGRAPH_HOST;
      else process.env.GONGKAI_SUBGRAPH_HOST = saved;
    }
  });

  it('has docker-compose.yml open them to its network, where the gateway reaches them by name', () => {
    const compose = parseYaml(readFileSync(`${projectRoot}docker-compose.yml`, 'utf8'), { merge: true });
    for (const name of SUBGRAPH_NAMES) {
      expect(compose.services[name].environment.GONGKAI_SUBGRAPH_HOST).toBe('0.0.0.0');
      expect(compose.services[name].ports).toBeUndefined();
    }
  });
});

describe('class 10: _service is not served unsigned', () => {
  const SDL = { query: '{ _service { sdl } }' };
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it.each(SUBGRAPH_NAMES)('refuses { _service { sdl } } without a signature: %s', async (name) => {
    const response = await post(hub.subgraphs[name].url, SDL);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('type ');
  });
  it('serves it signed, for its own subgraph', async () => {
    const headers = signInternalRequest(hub.internalKey, { subject: null, region: null, roles: [] }, SDL, { audience: 'reports' });
    const response = await post(hub.subgraphs.reports.url, SDL, headers);
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).data._service.sdl).toContain('type AnnualReport');
  });
  it('still composes and serves the graph (the gateway reads the SDL from schema/, not from the subgraphs)', async () => {
    const answer = await ask(hub.gatewayUrl, '{ region(code: "430000") { name disclosure(year: 2024) { filed } hotlineTicketsReceived(year: 2024) } }');
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.region.name).toBe('湖南省');
  });
});

interface Captured {
  headers: Record<string, string>;
  body: string;
}

/** A proxy in front of a subgraph that keeps what the gateway sent it: a captured signature. */
async function startRecordingProxy(target: string): Promise<{ url: string; captured: Captured[]; close(): Promise<void> }> {
  const captured: Captured[] = [];
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(request.headers).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0].startsWith('x-gongkai-')));
    if (request.url?.startsWith('/graphql')) captured.push({ headers, body });
    const answer = await fetch(new URL(request.url ?? '/', target), { method: request.method, headers: { 'content-type': 'application/json', ...headers }, body: request.method === 'POST' ? body : undefined });
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    captured,
    close: () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
  };
}

const replay = (url: string, { headers, body }: Captured) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('class 10: a captured gateway signature is good for one subgraph, once', () => {
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let gateway: RunningHttpServer;
  let replica: RunningSubgraph;

  beforeAll(async () => {
    proxy = await startRecordingProxy(hub.subgraphs.reports.url);
    extra.push(proxy);
    // without the answer cache: every capture needs a request that reaches the subgraph
    gateway = await startGateway({ ...hub.gatewayOptions, registry: null, answerCache: null, port: 0, subgraphUrls: { ...hub.gatewayOptions.subgraphUrls, reports: proxy.url } });
    extra.push(gateway);
    // a second replica of the reports subgraph, on the same database
    replica = await startSubgraph(reportsSubgraph, { databaseUrl: hub.databaseUrl, port: 0, internalKey: hub.internalKey, log: () => {} });
    extra.push(replica);
  });

  async function capture(): Promise<Captured> {
    proxy.captured.length = 0;
    const answer = await ask(gateway.url, '{ region(code: "430000") { name disclosure(year: 2024) { filed } } }', {}, analyst);
    expect(answer.body.errors).toBeUndefined();
    expect(proxy.captured).toHaveLength(1);
    return proxy.captured[0]!;
  }

  it('is refused by another subgraph', async () => {
    const captured = await capture();
    for (const other of ['agencies', 'hotline'] as const) {
      const response = await replay(hub.subgraphs[other].url, captured);
      expect(response.status).toBe(401);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('is refused by another replica of the same subgraph', async () => {
    const captured = await capture();
    const response = await replay(replica.url, captured);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('replayed');
  });

  it('is accepted by a replica once, then by none (the nonce is in Postgres)', async () => {
    const headers = signInternalRequest(hub.internalKey, { subject: null, region: null, roles: [] }, { query: '{ _service { sdl } }' }, { audience: 'reports' });
    const captured = { headers, body: JSON.stringify({ query: '{ _service { sdl } }' }) };
    expect((await replay(replica.url, captured)).status).toBe(200);
    expect((await replay(hub.subgraphs.reports.url, captured)).status).toBe(401);
    expect((await replay(replica.url, captured)).status).toBe(401);
  });

  it('keeps nonces with an expiry, and sweeps the expired ones', async () => {
    const count = async () => (await firstRow<{ n: number }>(hub.databaseUrl, 'select count(*)::int as n from reports.internal_nonce')).n;
    const store = new PostgresNonceStore(hub.databaseUrl, 'reports');
    extra.push(store);
    const now = Date.now();
    expect(await store.claim('sweep-test-nonce-0001', now - 1000)).toBe(true);
    expect(await store.claim('sweep-test-nonce-0001', now + 60_000)).toBe(false);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    expect(await store.sweep(now)).toBeGreaterThanOrEqual(1);
    expect(await count()).toBeLessThan(before);
    // a sweep far in the future clears every nonce the tests above left
    await store.sweep(now + 3_600_000);
    expect(await count()).toBe(0);
  });
});

describe('class 7: a hub subgraph that is down', () => {
  it('is SUBGRAPH_UNREACHABLE for its fields only, without its URL or address', async () => {
    const lonely = await startSubgraph(reportsSubgraph, { databaseUrl: hub.databaseUrl, port: 0, internalKey: hub.internalKey, log: () => {} });
    const gateway = await startGateway({ ...hub.gatewayOptions, registry: null, port: 0, subgraphUrls: { ...hub.gatewayOptions.subgraphUrls, reports: lonely.url } });
    extra.push(gateway);
    const port = new URL(lonely.url).port;
    await lonely.close();
    const answer = await ask(gateway.url, '{ regions(level: PROVINCE) { code } annualReport(id: "1") { id } }');
    expect(answer.body.data?.regions).toHaveLength(31);
    expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_UNREACHABLE', serviceName: 'reports' });
    expectCodedErrors(answer);
    expectNoInternals(answer, `:${port}`, '127.0.0.1', 'localhost', 'request to http');
    expect(logged.some((line) => line.includes(answer.requestId!) && line.includes(port))).toBe(true);
  });
});
