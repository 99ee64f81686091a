// The gateway serves the built dashboard and IDE (gateway/pages/staticFiles.ts), and the
// dashboard's operations as generated (dashboard/src/gql) are the ones the build's manifest
// lists and the gateway accepts in persisted-documents mode.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '@graphql-codegen/cli';
import { dashboardPages, DASHBOARD_DIST } from '../../gateway/pages/staticFiles.ts';
import { startTestHub } from '../support/hub.ts';
import { projectRoot } from '../support/cli.ts';

const request = (url: string, accept = '*/*', method = 'GET') => ({ method, headers: { accept } }) as unknown as IncomingMessage;
const postJson = async (url: string, body: unknown): Promise<any> =>
  (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
const ask = (pages: ReturnType<typeof dashboardPages>, path: string, accept?: string, method?: string) =>
  pages.answer(request(path, accept, method), new URL(path, 'http://localhost'));

describe('the pages the gateway serves', () => {
  let dist: string;
  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'gongkai-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>dashboard</title>');
    writeFileSync(join(dist, 'ide.html'), '<!doctype html><title>ide</title>');
    writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, '.inputs'), 'hash');
  });

  it('answers / and every dashboard route with index.html, under a same-origin content security policy', () => {
    const pages = dashboardPages(dist);
    for (const path of ['/', '/region/430000', '/report/12?flag=3']) {
      const page = ask(pages, path)!;
      expect(page.status).toBe(200);
      expect(page.body.toString()).toContain('<title>dashboard</title>');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.headers['content-security-policy']).not.toMatch(/https?:/);
    }
  });

  it('serves built assets for a year, and no file outside them', () => {
    const pages = dashboardPages(dist);
    const asset = ask(pages, '/assets/app-abc123.js')!;
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    for (const path of ['/assets/missing.js', '/.inputs', '/assets/../../package.json', '/%2e%2e/package.json', '/favicon.ico']) {
      expect(ask(pages, path), path).toBeNull();
    }
  });

  it("gives a browser's GET /graphql the IDE and leaves GraphQL requests to the API", () => {
    const pages = dashboardPages(dist);
    expect(ask(pages, '/graphql', 'text/html,application/xhtml+xml')!.body.toString()).toContain('<title>ide</title>');
    expect(ask(pages, '/graphql?query={__typename}', 'text/html')).toBeNull();
    expect(ask(pages, '/graphql', 'application/json')).toBeNull();
    expect(ask(pages, '/graphql', 'text/html', 'POST')).toBeNull();
    for (const path of ['/health', '/live', '/metrics']) expect(ask(pages, path, 'text/html')).toBeNull();
  });

  it('says how to build the dashboard when it is not built', () => {
    const page = ask(dashboardPages(mkdtempSync(join(tmpdir(), 'gongkai-empty-'))), '/region/430000')!;
    expect(page.status).toBe(503);
    expect(page.body.toString()).toMatch(/^DASHBOARD_NOT_BUILT: .*npm run dashboard:build/);
  });
});

describe("the dashboard's operations", () => {
  const documents = JSON.parse(readFileSync(join(projectRoot, 'dashboard/src/gql/persisted-documents.json'), 'utf8')) as Record<string, string>;

  it('are generated from the sources as committed (npm run dashboard:codegen)', async () => {
    const { default: config } = await import('../../dashboard/codegen.ts');
    const outputs = (await generate({ ...config, cwd: projectRoot, silent: true }, false)) as { filename: string; content: string }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const committed = readFileSync(join(projectRoot, output.filename), 'utf8');
      expect(committed.trim(), `${output.filename} is stale: run npm run dashboard:codegen`).toBe(output.content.trim());
    }
  });

  it("are the build's persisted-operations manifest", () => {
    const manifest = JSON.parse(readFileSync(join(DASHBOARD_DIST, 'persisted-operations.json'), 'utf8'));
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    expect(Object.fromEntries(manifest.operations.map((operation: { id: string; body: string }) => [`sha256:${operation.id}`, operation.body]))).toEqual(documents);
    expect(readdirSync(DASHBOARD_DIST)).toContain('index.html');
  });

  it('are answered by hash alone by a gateway that serves only them, and nothing else is', async () => {
    const hub = await startTestHub({ limits: { persistedDocuments: join(DASHBOARD_DIST, 'persisted-operations.json') } });
    const post = (body: unknown) => postJson(hub.gatewayUrl, body);
    const [hash] = Object.entries(documents).find(([, body]) => body.startsWith('query CheckToken '))!;
    const byHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash.slice('sha256:'.length) } } });
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data.sectors.length).toBeGreaterThan(0);
    for (const [hash, body] of Object.entries(documents)) {
      const answer = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash.slice('sha256:'.length) } }, variables: {} });
      const codes = (answer.errors ?? []).map((error: { extensions?: { code?: string } }) => error.extensions?.code);
      expect(codes, body).not.toContain('PERSISTED_QUERY_NOT_FOUND');
      expect(codes, body).not.toContain('PERSISTED_QUERY_NOT_ALLOWED');
    }
    const other = await post({ query: '{ regions(level: CITY) { code } }' });
    expect(other.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('reach a gateway without a manifest in two steps: the hash, then the text it is of', async () => {
    const hub = await startTestHub();
    const post = (body: unknown) => postJson(hub.gatewayUrl, body);
    const [hash, body] = Object.entries(documents).find(([, text]) => text.startsWith('query CheckToken '))!;
    const persistedQuery = { version: 1, sha256Hash: hash.slice('sha256:'.length) };
    const first = await post({ extensions: { persistedQuery } });
    expect(first.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const second = await post({ extensions: { persistedQuery }, query: body });
    expect(second.errors).toBeUndefined();
    expect(second.data.sectors.length).toBeGreaterThan(0);
  });
});
