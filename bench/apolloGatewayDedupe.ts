// The hub's own gateway (gateway/main.ts, unchanged) with one thing added, to measure what it
// would gain: identical subgraph requests in flight at the same time — same subgraph, same
// caller identity, same query and variables — are sent once and share the answer, as Hive
// Gateway does by default. Benchmark only: it wraps the fetcher RemoteGraphQLDataSource gets
// from make-fetch-happen before the gateway is loaded. docs/performance.md has the proposal.
import { createRequire } from 'node:module';
import { IDENTITY_HEADER } from '../lib/auth/internalSignature.ts';

type Fetcher = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }) => Promise<Response>;
interface Buffered {
  status: number;
  statusText: string;
  headers: [string, string][];
  text: string;
}

function deduplicated(fetcher: Fetcher): Fetcher {
  const inFlight = new Map<string, Promise<Buffered>>();
  return async (url, init) => {
    if (init?.method !== 'POST' || typeof init.body !== 'string' || /^\s*mutation\b/.test(JSON.parse(init.body).query ?? '')) return fetcher(url, init);
    // the signature differs per request; the identity it vouches for does not
    const key = `${url}\n${init.headers?.[IDENTITY_HEADER] ?? ''}\n${init.body}`;
    let shared = inFlight.get(key);
    if (!shared) {
      shared = fetcher(url, init)
        .then(async (r) => ({ status: r.status, statusText: r.statusText, headers: [...r.headers.entries()], text: await r.text() }))
        .finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
    }
    const r = await shared;
    return new Response(r.text, { status: r.status, statusText: r.statusText, headers: r.headers });
  };
}

const require = createRequire(import.meta.url);
const makeFetchHappen = require('make-fetch-happen') as { defaults: (...args: unknown[]) => Fetcher };
const defaults = makeFetchHappen.defaults;
makeFetchHappen.defaults = (...args: unknown[]) => deduplicated(defaults(...args));

await import('../gateway/main.ts');
