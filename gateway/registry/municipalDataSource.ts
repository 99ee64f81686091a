// How the gateway calls a municipal subgraph. It is a third party: it gets the operation and
// nothing else — no identity, no signature (a signature under the internal key could be replayed
// against the hub's own subgraphs), no client header — and a bounded wait. Every caller's
// request to it is therefore the same bytes, and identical queries in flight share one request:
// its answer cannot depend on who asked, since nothing of the caller reaches it.
//
// Requests go to the address pinned at registration (gateway/registry/outbound.ts), checked
// against GONGKAI_SUBGRAPH_ALLOW again each time; never to a fresh DNS answer. What fails says
// in a stable code what went wrong, with its name (gateway/registry/municipalErrors.ts): never its
// address, its status, its body or its stack (Apollo's own data source would put the URL and the
// body in the error). Each subrequest goes through the subgraph's guards first — its timeout,
// concurrency cap, circuit breaker and drift (gateway/registry/subgraphLimits.ts) — and carries
// the headers its registration gives (an Authorization of the province's), and nothing else.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { inFlightDeduplication } from '../dedupe.ts';
import type { SubgraphAddressPolicy } from './addresses.ts';
import { MUNICIPAL_MAX_RESPONSE_BYTES } from './compose.ts';
import { badRequest, cleanedAnswer, isAvailabilityFailure, logSubgraphFailure, notASubgraph, unreachable } from './municipalErrors.ts';
import { requestPinned, type PinnedTarget } from './outbound.ts';
import type { Jurisdiction } from './jurisdiction.ts';
import type { SubgraphResilience } from './subgraphLimits.ts';
import { defaultLimits, type SubgraphSettings } from './subgraphSettings.ts';

/** Where the gateway finds the pinned address of each municipal subgraph of the version it serves. */
export interface MunicipalTargets {
  supergraph: { pinOf(name: string): PinnedTarget | undefined };
  addresses: SubgraphAddressPolicy;
  /** Each subgraph's limits, breaker and drift, kept by the health checks (absent: defaults, no breaker). */
  health?: { resilience: SubgraphResilience };
}

interface FetcherInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}
type Deduplicate = ReturnType<typeof inFlightDeduplication>;

export class MunicipalDataSource<TContext extends Record<string, any> = Record<string, any>> extends RemoteGraphQLDataSource<TContext> {
  readonly #name: string;
  readonly #jurisdiction: Jurisdiction | null;

  constructor(name: string, url: string, targets: MunicipalTargets | null, deduplicate: Deduplicate | null, jurisdiction: Jurisdiction | null = null) {
    const resilience = targets?.health?.resilience ?? null;
    // one subrequest, with the subgraph's own timeout and headers (gateway/registry/subgraphSettings.ts)
    const send = async (input: string, init: FetcherInit | undefined, pin: PinnedTarget, settings: SubgraphSettings): Promise<Response> => {
      let answer;
      try {
        answer = await requestPinned(targets!.addresses, new URL(input), pin.address, {
          method: init?.method === 'GET' ? 'GET' : 'POST',
          headers: { ...init?.headers, ...settings.headers },
          ...(init?.body !== undefined ? { body: init.body.toString() } : {}),
          timeoutMs: settings.limits.timeoutMs,
          maxBytes: MUNICIPAL_MAX_RESPONSE_BYTES,
        });
      } catch (error) {
        logSubgraphFailure(name, 'no answer', (error as Error).message);
        throw unreachable(name);
      }
      const text = answer.body.toString('utf8');
      if (answer.status < 200 || answer.status > 299) {
        logSubgraphFailure(name, `answered HTTP ${answer.status}`, text);
        // a 4xx is an answer (it is there, and refuses what the hub asks); a 5xx is not
        throw answer.status >= 400 && answer.status < 500 ? badRequest(name) : unreachable(name);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        logSubgraphFailure(name, 'answered something that is not JSON', text);
        throw notASubgraph(name);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw notASubgraph(name);
      const cleaned = cleanedAnswer(name, parsed as { errors?: unknown });
      const body = cleaned ? Buffer.from(JSON.stringify(cleaned)) : answer.body;
      return new Response(new Uint8Array(body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    };
    const pinned = async (input: string, init?: FetcherInit): Promise<Response> => {
      const pin = targets?.supergraph.pinOf(name);
      if (!targets || !pin || pin.url !== input) throw unreachable(name);
      // refused at once when drifted, too busy or failing (gateway/registry/subgraphLimits.ts)
      if (resilience) return resilience.run(name, (settings) => send(input, init, pin, settings), isAvailabilityFailure);
      return send(input, init, pin, { limits: defaultLimits(), headers: {} });
    };
    super({ url, fetcher: (deduplicate ? deduplicate(pinned) : pinned) as RemoteGraphQLDataSource['fetcher'] });
    this.#name = name;
    this.#jurisdiction = jurisdiction;
  }

  /** Asked only about the regions and agencies it serves; its answers about others dropped (gateway/registry/jurisdiction.ts). */
  override process(options: GraphQLDataSourceProcessOptions<TContext>): ReturnType<RemoteGraphQLDataSource['process']> {
    if (!this.#jurisdiction || !options.request.query) return super.process(options);
    const document = 'document' in options ? options.document : undefined;
    return this.#jurisdiction.filter(this.#name, { query: options.request.query, variables: options.request.variables, document }, (filtered) =>
      super.process({ ...options, request: { ...options.request, query: filtered.query, variables: filtered.variables }, ...(filtered.document ? { document: filtered.document } : {}) }),
    );
  }
}
