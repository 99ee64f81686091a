// How the gateway calls a municipal subgraph. It is a third party: it gets the operation and
// nothing else — no identity, no signature (a signature under the internal key could be replayed
// against the hub's own subgraphs), no client header — and a bounded wait. Every caller's
// request to it is therefore the same bytes, and identical queries in flight share one request:
// its answer cannot depend on who asked, since nothing of the caller reaches it.
//
// Requests go to the address pinned at registration (gateway/registry/outbound.ts), checked
// against GONGKAI_SUBGRAPH_ALLOW again each time; never to a fresh DNS answer. What fails says
// only that the subgraph is unreachable (or is not a subgraph), with its name: never its address,
// its status or its body (Apollo's own data source would put the URL and the body in the error).
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { clientError } from '../../lib/graphql/errors.ts';
import type { inFlightDeduplication } from '../dedupe.ts';
import type { SubgraphAddressPolicy } from './addresses.ts';
import { MUNICIPAL_MAX_RESPONSE_BYTES, municipalTimeoutMs } from './compose.ts';
import { requestPinned, type PinnedTarget } from './outbound.ts';
import type { Jurisdiction } from './jurisdiction.ts';

/** Where the gateway finds the pinned address of each municipal subgraph of the version it serves. */
export interface MunicipalTargets {
  supergraph: { pinOf(name: string): PinnedTarget | undefined };
  addresses: SubgraphAddressPolicy;
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
    const timeoutMs = municipalTimeoutMs();
    // its fields become null; this says which subgraph, in a stable code, and nothing it said
    const unreachable = () => clientError('SUBGRAPH_UNREACHABLE', `the municipal subgraph ${name} is unreachable; its fields are null`, { serviceName: name });
    const notASubgraph = () => clientError('NOT_A_SUBGRAPH', `the municipal subgraph ${name} did not answer as a subgraph; its fields are null`, { serviceName: name });
    const pinned = async (input: string, init?: FetcherInit): Promise<Response> => {
      const pin = targets?.supergraph.pinOf(name);
      if (!targets || !pin || pin.url !== input) throw unreachable();
      let answer;
      try {
        answer = await requestPinned(targets.addresses, new URL(input), pin.address, {
          method: init?.method === 'GET' ? 'GET' : 'POST',
          ...(init?.headers ? { headers: init.headers } : {}),
          ...(init?.body !== undefined ? { body: init.body.toString() } : {}),
          timeoutMs,
          maxBytes: MUNICIPAL_MAX_RESPONSE_BYTES,
        });
      } catch {
        throw unreachable();
      }
      if (answer.status < 200 || answer.status > 299) throw unreachable();
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer.body.toString('utf8'));
      } catch {
        throw notASubgraph();
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw notASubgraph();
      return new Response(new Uint8Array(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
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
