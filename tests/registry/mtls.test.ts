// Mutual TLS to a municipal subgraph: a city that accepts only clients holding a certificate of
// its CA registers, answers and is health-checked once the gateway has the province's client
// certificate (GONGKAI_SUBGRAPH_CLIENT_CERT / _KEY) and trusts the city's CA (GONGKAI_SUBGRAPH_CA).
// The certificates are made for the test with openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/auth.ts';
import { eventually } from '../support/eventually.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';

const dir = mkdtempSync(join(tmpdir(), 'gongkai-mtls-'));
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A CA, the city's server certificate for localhost, and the province's client certificate, both signed by it. */
function makeCertificates(): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=city-ca');
  for (const [name, cn, ext] of [
    ['server', 'localhost', 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth'],
    ['client', 'gongkai-province', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    execFileSync('sh', ['-c', `printf '${ext}\\n' > ${name}.ext`], { cwd: dir });
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  }
}

const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Region @key(fields: "code") {
  code: ID!
  "a notice only the province may read"
  cityNotice: String
}`;

let hub: TestHub;
let server: https.Server;
let apollo: ApolloServer;
let url: string;
/** The subject of each client certificate the city saw. */
const clients: string[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  makeCertificates();
  apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(SDL), resolvers: { Region: { __resolveReference: (r: { code: string }) => r, cityNotice: () => '停水通知' } } as never }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  server = https.createServer(
    { key: readFileSync(file('server.key')), cert: readFileSync(file('server.pem')), ca: readFileSync(file('ca.pem')), requestCert: true, rejectUnauthorized: true },
    async (request, response) => {
      clients.push(String((request.socket as TLSSocket).getPeerCertificate().subject?.CN));
      if (request.url === '/health') return void response.writeHead(200).end('{"ready":true}');
      const chunks: Buffer[] = [];
      for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(request.headers)) if (typeof v === 'string') headers.set(k, v);
      const result = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: 'POST', headers, search: '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') }, context: async () => ({}) });
      response.writeHead(result.status ?? 200, { 'content-type': 'application/json' }).end(result.body.kind === 'complete' ? result.body.string : '');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `https://localhost:${(server.address() as AddressInfo).port}/graphql`;
  Object.assign(process.env, { GONGKAI_SUBGRAPH_CLIENT_CERT: file('client.pem'), GONGKAI_SUBGRAPH_CLIENT_KEY: file('client.key'), GONGKAI_SUBGRAPH_CA: file('ca.pem') });
  hub = await startTestHub({ registry: { pollMs: 200, healthMs: 300 } });
});
afterAll(async () => {
  for (const name of ['GONGKAI_SUBGRAPH_CLIENT_CERT', 'GONGKAI_SUBGRAPH_CLIENT_KEY', 'GONGKAI_SUBGRAPH_CA']) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await new Promise<void>((resolve) => {
    server?.close(() => resolve());
    server?.closeAllConnections();
  });
  await apollo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('mutual TLS to a municipal subgraph', () => {
  it('is refused by the city without the province certificate', async () => {
    const refused = await new Promise<string>((resolve) => {
      const request = https.request(url, { method: 'POST', ca: readFileSync(file('ca.pem')) }, (response) => resolve(`HTTP ${response.statusCode}`));
      request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      request.end('{"query":"{ _service { sdl } }"}');
    });
    expect(refused).not.toMatch(/^HTTP 2/);
  });

  it("registers, answers and is checked with the province's certificate", async () => {
    const registered = await hub.query(`mutation ($url: String!) { registerSubgraph(name: "city_notice_tls", url: $url, ownerRegion: "430100") { version } }`, { url }, ADMIN);
    expect(registered.errors).toBeUndefined();
    const answered = await eventually(() => hub.query(`{ region(code: "430100") { name cityNotice } }`), (r) => r.data?.region?.cityNotice != null);
    expect(answered).toMatchObject({ data: { region: { name: '长沙市', cityNotice: '停水通知' } } });
    const listed = await eventually(
      () => hub.query(`{ subgraphs { name status } }`, {}, ADMIN),
      (r) => r.data?.subgraphs?.some((s: { name: string; status: string }) => s.name === 'city_notice_tls' && s.status === 'UP'),
    );
    expect(listed.data.subgraphs.find((s: { name: string }) => s.name === 'city_notice_tls').status).toBe('UP');
    expect(clients.length).toBeGreaterThan(2);
    expect(new Set(clients)).toEqual(new Set(['gongkai-province']));
  });
});
