#!/usr/bin/env node
// Builds the dashboard and the GraphQL IDE into dashboard/dist (Vite), and the gateway's
// persisted-operations manifest of the dashboard's operations beside them. Run by `npm install`
// (prepare), `npm start` and `npm test` with --if-stale: it rebuilds only when a source file
// changed since the last build (a hash of every input, kept in dist/.inputs).
// Exit: 0 built or up to date, 2 nothing built (the cause on one line).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dashboard = join(root, 'dashboard');
const dist = join(dashboard, 'dist');
const stampFile = join(dist, '.inputs');

function* filesUnder(path) {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path).sort()) yield* filesUnder(join(path, entry));
}

function inputsHash() {
  const hash = createHash('sha256');
  // the IDE's example queries and the schema its docs panel falls back to are inputs too
  const inputs = [
    join(dashboard, 'src'),
    join(dashboard, 'index.html'),
    join(dashboard, 'ide.html'),
    join(dashboard, 'vite.config.ts'),
    join(root, 'examples', 'queries'),
    join(root, 'schema', 'supergraph.graphql'),
    join(root, 'package-lock.json'),
  ];
  for (const input of inputs) {
    for (const file of filesUnder(input)) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function fail(code, message) {
  process.stderr.write(`gongkai: ${code}: ${message}\n`);
  process.exit(2);
}

const ifStale = process.argv.includes('--if-stale');
const wanted = inputsHash();
if (ifStale && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) process.exit(0);

let vite;
try {
  vite = await import('vite');
} catch {
  // an install without the development packages (the Docker image copies a built dist)
  if (existsSync(join(dist, 'index.html'))) process.exit(0);
  fail('DASHBOARD_NOT_BUILT', 'the dashboard is not built and Vite is not installed: run `npm install` (with its development packages), then `npm run dashboard:build`');
}

process.stderr.write('gongkai: building the dashboard (dashboard/dist)…\n');
const started = Date.now();
try {
  await vite.build({ configFile: join(dashboard, 'vite.config.ts'), logLevel: 'warn' });
} catch (error) {
  fail('DASHBOARD_BUILD_FAILED', `the dashboard did not build: ${String(error?.message ?? error).split('\n')[0]} (run \`npm run dashboard:build\` to see every message)`);
}

// The gateway's manifest (GONGKAI_PERSISTED_DOCUMENTS): the dashboard's operations and no other.
const documents = JSON.parse(readFileSync(join(dashboard, 'src/gql/persisted-documents.json'), 'utf8'));
const operations = Object.entries(documents).map(([hash, body]) => ({
  id: hash.replace(/^sha256:/, ''),
  name: /^(?:query|mutation)\s+(\w+)/.exec(body)?.[1] ?? null,
  type: body.startsWith('mutation') ? 'mutation' : 'query',
  body,
}));
writeFileSync(join(dist, 'persisted-operations.json'), `${JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }, null, 2)}\n`);
writeFileSync(stampFile, wanted);
process.stderr.write(`gongkai: dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
