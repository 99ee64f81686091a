// In-flight deduplication of the gateway's subgraph requests (docs/performance.md): when identical
// subgraph requests are in flight at the same time — many clients opening the same dashboard —
// one is sent and every caller gets its own copy of the answer. Not a cache: once the answer has
// arrived, the next identical request goes to the subgraph again.
//
// "Identical" is what keeps it safe. The key is the subgraph URL, every request header except the
// signature, and the body byte for byte (operation, operation name, variables). The identity
// header the gateway signs is therefore in the key: an answer a subgraph computed under one
// caller's access rules is only ever given to callers with the same identity, so no rule is
// bypassed. The signature differs per request (timestamp, nonce) and vouches for nothing the key
// does not already hold. Nor does the request id (`x-request-id`), which only names the
// request in the subgraph's log, or the `traceparent` of the trace it belongs to: a shared
// request is logged and traced under those of the first caller.
//
// Only queries are shared. Anything else — a mutation, a subscription, a body that does not parse
// as a GraphQL request, a request with its own abort signal — goes out alone, and once it has
// been answered nothing then in flight is joined any more: a query that follows a write (in the
// same plan, or from a client that has seen the mutation's answer) never receives an answer the
// subgraph computed before the write.
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { SIGNATURE_HEADER } from '../lib/auth/internalSignature.ts';
import { REQUEST_ID_HEADER } from '../lib/graphql/requestContext.ts';
import { TRACEPARENT_HEADER } from '../lib/observability/tracing.ts';

/** The part of a fetch init a RemoteGraphQLDataSource fetcher is given. */
export interface FetcherInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: unknown;
}
/** What is read of a response (make-fetch-happen's, or fetch's). */
export interface FetchedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: Iterable<[string, string]>;
  arrayBuffer(): Promise<ArrayBuffer>;
}
export type Fetcher<I extends FetcherInit, R> = (url: string, init?: I) => Promise<R>;

interface Buffered {
  status: number;
  statusText: string;
  url: string;
  headers: [string, string][];
  body: ArrayBuffer;
}

/** Headers that differ between otherwise identical requests: left out of the key. */
const PER_REQUEST_HEADERS = new Set([SIGNATURE_HEADER, REQUEST_ID_HEADER, TRACEPARENT_HEADER]);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** Whether a request body is a GraphQL request whose selected operation is a query; when unsure, no. */
export function isQueryRequest(body: string): boolean {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return false;
  }
  if (typeof payload !== 'object' || payload === null) return false;
  const { query, operationName } = payload as Record<string, unknown>;
  // a persisted-query hash without its document, say: the operation type is unknown
  if (typeof query !== 'string') return false;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return false;
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(query, { noLocation: true }).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return false;
  }
  // the operation GraphQL executes: the named one, or the only one when no name is given
  const selected = typeof operationName === 'string' ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  return selected?.operation === 'query';
}

function keyOf(url: string, headers: Record<string, string> | undefined, body: string): string {
  const kept = Object.entries(headers ?? {})
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name]) => !PER_REQUEST_HEADERS.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // neither a URL nor JSON holds a raw newline: the parts cannot run into each other
  return `${url}\n${JSON.stringify(kept)}\n${body}`;
}

const buffered = async (response: FetchedResponse): Promise<Buffered> => ({
  status: response.status,
  statusText: response.statusText,
  url: response.url,
  headers: [...response.headers],
  body: await response.arrayBuffer(),
});

/** A response of its own for each caller: the Response constructor copies the bytes. */
function responseOf(shared: Buffered): Response {
  const response = new Response(NULL_BODY_STATUSES.has(shared.status) ? null : shared.body, {
    status: shared.status,
    statusText: shared.statusText,
    headers: shared.headers,
  });
  Object.defineProperty(response, 'url', { value: shared.url }); // Apollo names it in errors
  return response;
}

/**
 * One per gateway: returns `deduplicated(fetcher)`, which wraps the fetcher of a data source.
 * Every fetcher it wraps shares the same table of requests in flight, so that once a write
 * through any subgraph has been answered, no request sent before it is joined, in any subgraph.
 */
export function inFlightDeduplication() {
  const inFlight = new Map<string, Promise<Buffered>>();
  return function deduplicated<I extends FetcherInit, R extends FetchedResponse>(fetcher: Fetcher<I, R>): Fetcher<I, R | Response> {
    return async (url, init) => {
      const body = init?.body;
      if (init?.method?.toUpperCase() !== 'POST' || typeof body !== 'string' || init.signal != null || !isQueryRequest(body)) {
        try {
          return await fetcher(url, init);
        } finally {
          inFlight.clear();
        }
      }
      const key = keyOf(url, init.headers, body);
      let shared = inFlight.get(key);
      if (!shared) {
        const request = fetcher(url, init).then(buffered);
        // a write may have cleared the map and a newer request taken the key: leave that one
        const forget = () => void (inFlight.get(key) === request && inFlight.delete(key));
        request.then(forget, forget);
        inFlight.set(key, request);
        shared = request;
      }
      return responseOf(await shared);
    };
  };
}

/** GONGKAI_GATEWAY_DEDUPE: on unless `0` (for measuring the gateway without it; docs/performance.md). */
export function gatewayDedupeFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.GONGKAI_GATEWAY_DEDUPE?.trim() ?? '';
  if (raw === '' || raw === '1') return true;
  if (raw === '0') return false;
  throw new Error(`GONGKAI_GATEWAY_DEDUPE must be 1 (the default) or 0, got '${raw}'`);
}
