// What a client is told when something fails, in every service (the gateway and each subgraph):
// a stable `extensions.code`, a message written for the client, and the request id
// (`extensions.requestId`) under which the service's log holds whatever the client is not shown.
//
// - An error the hub's code raised with a code (BAD_USER_INPUT, FORBIDDEN, QUERY_TOO_DEEP…) keeps
//   its message: it was written for the client.
// - Anything else — an exception, a Postgres error, a failed subrequest, an error without a code
//   or with INTERNAL_SERVER_ERROR — becomes INTERNAL_SERVER_ERROR with a generic message; its
//   message and stack go to the log, never to the client.
// - An error that says the database is away (refused, lost, restarting: isDatabaseUnavailable)
//   is SERVICE_UNAVAILABLE with databaseUnavailableMessage(): temporary, try again — the answer
//   also carries Retry-After (lib/graphql/serviceUnavailable.ts). At the gateway, the code of a
//   subgraph's SERVICE_UNAVAILABLE passes through like any code the hub's own services give.
// - A Postgres data exception that the request's own values caused (a NUL byte, a number out of
//   range for its column, text that is not valid) is BAD_USER_INPUT, still without the database's
//   words. Arguments are validated before SQL (lib/graphql/arguments.ts, cursor.ts, inputSafety.ts);
//   this is what is left if a value slips past them.
// - No stack trace, no `exception`, no `response` (the URL and body of a failed subrequest) in
//   any extension, whatever NODE_ENV says.
// - "Did you mean …?" suggestions are cut from every message (validation and variable
//   coercion alike): they spell out the schema to whoever guesses at it.
// - At the gateway, an error from a third party (a municipal subgraph) keeps its code, its message
//   (what it says of its own fields, which are public anyway) and the subgraph's name, but none of
//   its other extensions; one without a code, or an internal one, is masked like any other.
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { DATABASE_UNAVAILABLE_CODE, databaseUnavailableMessage, isDatabaseUnavailable } from '../database/availability.ts';
import { currentRequestId, newRequestId } from './requestContext.ts';
import { createLogger } from '../observability/log.ts';

/** Codes that say "something failed inside": the message is never the client's to read. */
const INTERNAL_CODES = new Set(['INTERNAL_SERVER_ERROR', 'DOWNSTREAM_SERVICE_ERROR']);
/** Extensions that can carry server internals (stack traces, subrequest URLs and bodies). */
const REMOVED_EXTENSIONS = ['stacktrace', 'exception', 'response'];
/**
 * SQLSTATEs of data exceptions caused by a value the client sent: string too long, number out
 * of range, invalid date/time, invalid byte sequence (NUL), invalid text representation,
 * untranslatable character, invalid escape sequence, invalid regular expression. Not the whole
 * class 22: a division by zero, say, is the hub's fault, not the input's.
 */
const INPUT_SQL_STATES = new Set(['22001', '22003', '22007', '22008', '22021', '22025', '2201B', '22P02', '22P05']);

export const INPUT_REJECTED_BY_DATABASE = 'a value in the request is not accepted: a number out of range, or text that is not valid (a NUL character, say)';
export const internalErrorMessage = (requestId: string): string =>
  `internal error; the details are in the hub's log under request id ${requestId} (quote it when you report the problem)`;

/** Cuts graphql-js's "Did you mean …?" hints (type, field, argument, enum value and input field names). */
export const withoutSuggestions = (message: string): string => message.replace(/\s*Did you mean [^?]*\?/g, '');

interface DatabaseFailure {
  sqlState: string;
  message: string;
}

/** The Postgres error behind an error (pg's, or MikroORM's wrapping of it), if there is one. */
export function databaseFailureOf(error: unknown): DatabaseFailure | null {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { code, sqlState, severity, message } = current as Record<string, unknown>;
    const state = typeof sqlState === 'string' ? sqlState : typeof code === 'string' && typeof severity === 'string' ? code : null;
    if (state !== null && /^[0-9A-Z]{5}$/.test(state)) return { sqlState: state, message: String(message) };
    const next = current as { cause?: unknown; previous?: unknown; originalError?: unknown };
    current = next.cause ?? next.previous ?? next.originalError;
  }
  return null;
}

export interface ClientErrorFormatterOptions {
  /** Names the service in its log lines (`[gateway] request …`). */
  service: string;
  /**
   * At the gateway: the services whose errors are the hub's own (its subgraphs and the registry).
   * An error naming another `serviceName` comes from a third party. Unset: every error is the
   * service's own.
   */
  ownServices?: readonly string[];
  /** Where the log lines go (a JSON line each unless GONGKAI_LOG_FORMAT=text); console.error unless given. */
  log?: (line: string) => void;
}

export type ClientErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export function clientErrorFormatter(options: ClientErrorFormatterOptions): ClientErrorFormatter {
  const { log } = options;
  const logger = createLogger(options.service, log ? { write: (line) => log(line) } : {});
  return (formatted, error) => {
    const requestId = currentRequestId() ?? newRequestId();
    const original = unwrapResolverError(error);
    const extensions: Record<string, unknown> = { ...formatted.extensions };
    const failedSubrequest = extensions.response !== undefined;
    for (const key of REMOVED_EXTENSIONS) delete extensions[key];
    const code = typeof extensions.code === 'string' ? extensions.code : null;
    const serviceName = typeof extensions.serviceName === 'string' ? extensions.serviceName : null;
    const thirdParty = serviceName !== null && options.ownServices !== undefined && !options.ownServices.includes(serviceName);

    const logged = (shownAs: string, details = original instanceof Error && original.stack ? original.stack : formatted.message) => {
      const theirs = typeof extensions.requestId === 'string' && extensions.requestId !== requestId ? extensions.requestId : undefined;
      logger.error(`${code ?? 'error without a code'}${serviceName ? ` from ${serviceName}` : ''}, answered as ${shownAs}`, {
        requestId,
        code: code ?? undefined,
        serviceName: serviceName ?? undefined,
        // the id under which the subgraph's own log has it, when that differs
        subgraphRequestId: theirs,
        path: formatted.path?.join('.'),
        details,
      });
    };
    const masked = (maskedCode: string, message: string): GraphQLFormattedError => ({
      message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: maskedCode, ...(serviceName ? { serviceName } : {}), requestId },
    });

    if (isDatabaseUnavailable(original)) {
      // one line, no stack: during an outage every request says the same
      logged(DATABASE_UNAVAILABLE_CODE, `database unavailable: ${original instanceof Error ? original.message.split('\n')[0] : String(original)}`);
      return masked(DATABASE_UNAVAILABLE_CODE, databaseUnavailableMessage());
    }
    const database = databaseFailureOf(original);
    if (database) {
      const fromInput = INPUT_SQL_STATES.has(database.sqlState);
      logged(`${fromInput ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR'} (SQLSTATE ${database.sqlState})`);
      return fromInput ? masked('BAD_USER_INPUT', INPUT_REJECTED_BY_DATABASE) : masked('INTERNAL_SERVER_ERROR', internalErrorMessage(requestId));
    }
    if (code === null || INTERNAL_CODES.has(code) || failedSubrequest) {
      logged('INTERNAL_SERVER_ERROR');
      return masked('INTERNAL_SERVER_ERROR', internalErrorMessage(requestId));
    }
    if (thirdParty) return masked(code, withoutSuggestions(formatted.message));
    return { ...formatted, message: withoutSuggestions(formatted.message), extensions: { ...extensions, requestId } };
  };
}
