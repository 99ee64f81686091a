// Hive Gateway on the hub's supergraph and subgraphs, for the benchmark only (its packages live
// in bench/tools/node_modules, installed by bench/run.ts). The subgraphs answer only requests the
// gateway signed (lib/auth/internalSignature.ts), so a plugin signs each subgraph request as
// the public caller, as the hub's own gateway does for a request without a token — for the
// subgraph it goes to (signatures name their subgraph), found by its URL in the supergraph.
//   node bench/hiveGateway.ts SUPERGRAPH_FILE PORT   (GONGKAI_INTERNAL_KEY in the environment)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PUBLIC } from '../lib/auth/identity.ts';
import { internalKeyFromEnv, signInternalRequest } from '../lib/auth/internalSignature.ts';

const [supergraphFile, port] = process.argv.slice(2);
const key = internalKeyFromEnv();
const supergraph = readFileSync(supergraphFile!, 'utf8');
const subgraphOfUrl = new Map([...supergraph.matchAll(/@join__graph\(name: "(\w+)", url: "([^"]*)"/g)].map(([, name, url]) => [url!, name!]));
// Resolved at run time from bench/tools/node_modules, so that type-checking the project never needs it.
const tools = createRequire(fileURLToPath(new URL('./tools/package.json', import.meta.url)));
const { createGatewayRuntime } = await import(pathToFileURL(tools.resolve('@graphql-hive/gateway-runtime')).href);

const gateway = createGatewayRuntime({
  supergraph,
  logging: false,
  // HIVE_DEDUPE=0: no in-flight deduplication of identical subgraph requests (on by default)
  ...(process.env.HIVE_DEDUPE === '0' ? { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } } : {}),
  plugins: () => [
    {
      onFetch({ url, options, setOptions }: { url: string; options: { body?: unknown; headers?: Record<string, string> }; setOptions: (o: object) => void }) {
        if (typeof options.body !== 'string') return;
        const payload = JSON.parse(options.body);
        const audience = subgraphOfUrl.get(url) ?? '';
        setOptions({ ...options, headers: { ...options.headers, ...signInternalRequest(key, PUBLIC, payload, { audience }) } });
      },
    },
  ],
});

createServer(gateway).listen(Number(port), '127.0.0.1', () => console.log(`[hive] ready at http://127.0.0.1:${port}/graphql`));
