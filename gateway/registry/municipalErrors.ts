// What a client is told when a municipal subgraph fails: a stable code naming it, never its URL,
// address, status, body or stack trace — those go to the gateway's log under the request id.
//
// - no answer, a timeout, a 5xx: SUBGRAPH_UNREACHABLE (counts against its circuit breaker);
// - a 4xx: SUBGRAPH_BAD_REQUEST — it refused the hub's request, usually because it no longer has
//   what it was registered with (its schema drifted);
// - a 2xx that is not a GraphQL response: NOT_A_SUBGRAPH;
// - a GraphQL answer with errors: each error keeps its path; one without a code, or an internal
//   one, becomes SUBGRAPH_ERROR, a validation error SUBGRAPH_BAD_REQUEST, and any other keeps its
//   code; the message is the city's only when it is one short line with no URL, address, path or
//   trace in it, else the hub's wording. No other extension of the city's is passed on.
import { clientError } from '../../lib/graphql/errors.ts';
import { currentRequestId } from '../../lib/graphql/requestContext.ts';
import { createLogger } from '../../lib/observability/log.ts';

const log = createLogger('gateway');

export const unreachable = (name: string): Error =>
  clientError('SUBGRAPH_UNREACHABLE', `the municipal subgraph ${name} is unreachable; its fields are null`, { serviceName: name });
export const notASubgraph = (name: string): Error =>
  clientError('NOT_A_SUBGRAPH', `the municipal subgraph ${name} did not answer as a subgraph; its fields are null`, { serviceName: name });
export const badRequest = (name: string): Error =>
  clientError('SUBGRAPH_BAD_REQUEST', `the municipal subgraph ${name} refused the hub's request (its schema may have changed since it was registered); its fields are null`, { serviceName: name });

/** Whether an error of the subrequest says the subgraph is not there (for its circuit breaker). */
export const isAvailabilityFailure = (error: unknown): boolean => {
  const code = (error as { extensions?: { code?: unknown } })?.extensions?.code;
  return code === 'SUBGRAPH_UNREACHABLE' || code === 'NOT_A_SUBGRAPH';
};

/** One line for the log: what it answered, cut short. */
export function logSubgraphFailure(name: string, what: string, detail: string): void {
  log.warn(`municipal subgraph ${name}: ${what}`, { requestId: currentRequestId(), subgraph: name, details: detail.slice(0, 2000) });
}

const INTERNAL_CODES = new Set(['INTERNAL_SERVER_ERROR', 'DOWNSTREAM_SERVICE_ERROR']);
const VALIDATION_CODES = new Set(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE']);
const STABLE_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
/** A URL, an IP address, a file path or a stack frame: internals the city's message may carry. */
const INTERNALS = /[a-z][a-z0-9+.-]*:\/\/|\b\d{1,3}(\.\d{1,3}){3}\b|\[?[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}\]?|(^|\s)\/[\w.-]+\/|[A-Za-z]:\\|\bat\s+\S+\s*\(|\n/i;

interface CityError {
  message?: unknown;
  path?: unknown;
  extensions?: { code?: unknown };
}

/** A city's GraphQL error as the client may see it. */
function cleanError(name: string, error: CityError): { message: string; path?: unknown; extensions: { code: string } } {
  const theirs = typeof error.extensions?.code === 'string' ? error.extensions.code : null;
  const code = theirs === null || !STABLE_CODE.test(theirs) || INTERNAL_CODES.has(theirs) ? 'SUBGRAPH_ERROR' : VALIDATION_CODES.has(theirs) ? 'SUBGRAPH_BAD_REQUEST' : theirs;
  const message = typeof error.message === 'string' ? error.message : '';
  const shown =
    code === 'SUBGRAPH_BAD_REQUEST'
      ? `the municipal subgraph ${name} refused the hub's request (its schema may have changed since it was registered); its fields are null`
      : code === 'SUBGRAPH_ERROR' || message === '' || message.length > 300 || INTERNALS.test(message)
        ? `the municipal subgraph ${name} failed on its fields (${code === 'SUBGRAPH_ERROR' ? 'an internal error' : code}); the details are in the hub's log`
        : message;
  return { message: shown, ...(Array.isArray(error.path) ? { path: error.path } : {}), extensions: { code } };
}

/**
 * A city's 2xx GraphQL answer with its errors cleaned (data untouched); the originals are logged.
 * Null when there was nothing to clean.
 */
export function cleanedAnswer(name: string, parsed: { errors?: unknown; [key: string]: unknown }): Record<string, unknown> | null {
  if (!Array.isArray(parsed.errors) || parsed.errors.length === 0) return null;
  logSubgraphFailure(name, `answered ${parsed.errors.length} error(s)`, JSON.stringify(parsed.errors));
  return { ...parsed, errors: parsed.errors.map((error) => cleanError(name, (typeof error === 'object' && error !== null ? error : {}) as CityError)), extensions: undefined };
}
