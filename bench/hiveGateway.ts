// Hive Gateway on the hub's supergraph and subgraphs, for the benchmark only (its packages live
// in bench/tools/node_modules, installed by bench/run.ts). The subgraphs answer only requests the
// gateway signed (lib/auth/internalSignature.ts), so a plugin signs each subgraph request as
// the caller — the public without a bearer token; with one, the identity the hub's gateway would
// verify (gateway/auth/tokens.ts, GONGKAI_JWT_SECRET), once per request — for the subgraph it
// goes to (signatures name their subgraph), found by its URL in the supergraph.
//   node bench/hiveGateway.ts SUPERGRAPH_FILE PORT   (GONGKAI_INTERNAL_KEY in the environment)
//   HIVE_ROUTER_RUNTIME=1: the query planner and executor of Hive Router (Rust, @graphql-hive/router-runtime)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PUBLIC, type Identity } from '../lib/auth/identity.ts';
import { internalKeyFromEnv, signInternalRequest } from '../lib/auth/internalSignature.ts';
import { tokenConfigFromEnv, verifyToken } from '../gateway/auth/tokens.ts';

const [supergraphFile, port] = process.argv.slice(2);
const key = internalKeyFromEnv();
const supergraph = readFileSync(supergraphFile!, 'utf8');
const subgraphOfUrl = new Map([...supergraph.matchAll(/@join__graph\(name: "(\w+)", url: "([^"]*)"/g)].map(([, name, url]) => [url!, name!]));
// Resolved at run time from bench/tools/node_modules, so that type-checking the project never needs it.
const tools = createRequire(fileURLToPath(new URL('./tools/package.json', import.meta.url)));
const { createGatewayRuntime } = await import(pathToFileURL(tools.resolve('@graphql-hive/gateway-runtime')).href);
const routerRuntime = process.env.HIVE_ROUTER_RUNTIME === '1' ? await import(pathToFileURL(tools.resolve('@graphql-hive/router-runtime')).href) : null;
const tokens = tokenConfigFromEnv();
/** The caller of each incoming request (its context), verified once however many subgraph requests it makes. */
const callers = new WeakMap<object, Promise<Identity>>();
function callerOf(context: { request?: Request }): Promise<Identity> {
  let caller = callers.get(context);
  if (!caller) {
    const bearer = /^Bearer (.+)$/.exec(context.request?.headers.get('authorization') ?? '')?.[1];
    caller = bearer ? verifyToken(bearer, tokens) : Promise.resolve(PUBLIC);
    callers.set(context, caller);
  }
  return caller;
}

const gateway = createGatewayRuntime({
  supergraph,
  logging: false,
  ...(routerRuntime ? { unifiedGraphHandler: routerRuntime.unifiedGraphHandler } : {}),
  // HIVE_DEDUPE=0: no in-flight deduplication of identical subgraph requests (on by default)
  ...(process.env.HIVE_DEDUPE === '0' ? { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } } : {}),
  plugins: () => [
    {
      async onFetch({ url, options, setOptions, context }: { url: string; options: { body?: unknown; headers?: Record<string, string> }; setOptions: (o: object) => void; context: { request?: Request } }) {
        if (typeof options.body !== 'string') return;
        const payload = JSON.parse(options.body);
        const audience = subgraphOfUrl.get(url) ?? '';
        const caller = context ? await callerOf(context) : PUBLIC;
        setOptions({ ...options, headers: { ...options.headers, ...signInternalRequest(key, caller, payload, { audience }) } });
      },
    },
  ],
});

createServer(gateway).listen(Number(port), '127.0.0.1', () => console.log(`[hive] ready at http://127.0.0.1:${port}/graphql`));
