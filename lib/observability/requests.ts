// What every service records of each GraphQL request it answers (lib/graphql/httpServer.ts):
// one log line when the response is done, its counts and latency in the service's metrics, and
// its span when tracing is on. At the gateway, each subgraph fetch adds its timing to the
// request's line, to the per-subgraph metrics and, as a child span, to the trace.
//
// The record of a request is kept in async context, like its id (lib/graphql/requestContext.ts):
// an Apollo plugin (the operation's name, the error codes of the answer) and the gateway's data
// sources (subgraph timings) find it without being handed it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { createLogger, type Logger } from './log.ts';
import { BoundedNames, MetricsRegistry, type Counter, type Histogram } from './metrics.ts';
import { SPAN_KIND, TRACEPARENT_HEADER, checkTracingSettings, parseTraceParent, startSpan, type Span } from './tracing.ts';

/**
 * GONGKAI_LOG_REQUESTS: one line per GraphQL request unless `0` (for a deployment whose proxy
 * logs requests already, and the test suite); errors are logged either way.
 */
export function logRequestsFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.GONGKAI_LOG_REQUESTS?.trim() ?? '';
  if (raw === '' || raw === '1') return true;
  if (raw === '0') return false;
  throw new Error(`GONGKAI_LOG_REQUESTS must be 1 (the default) or 0, got '${raw}'`);
}

/** Distinct operation names a service's metrics tell apart; later ones count as `(other)`. */
export const MAX_OPERATION_LABELS = 100;

export interface SubgraphTiming {
  name: string;
  durationMs: number;
  ok: boolean;
}

interface RequestRecord {
  observer: RequestObserver;
  requestId: string;
  method: string;
  started: number;
  operationName: string | null;
  errorCodes: Set<string>;
  subgraphs: SubgraphTiming[];
  span: Span | null;
}

const records = new AsyncLocalStorage<RequestRecord>();

/** Rounded to 0.1 ms: more digits would only be noise. */
const elapsedMs = (since: number): number => Math.round((performance.now() - since) * 10) / 10;

/** The operation's name as a log shows it: one GraphQL could have, else `(invalid)` (never free text). */
const loggedName = (name: string | null): string | null => (name === null || BoundedNames.VALID.test(name) ? name : '(invalid)');

export interface RequestObserverOptions {
  service: string;
  logger?: Logger;
  metrics?: MetricsRegistry;
  /**
   * Continue the caller's trace (`traceparent`): the hub's subgraphs, whose caller is the gateway.
   * The gateway starts a fresh trace for every request, as it makes a fresh request id.
   */
  acceptTraceParent?: boolean;
  /** Put the request id in every answer's top-level `extensions` (the gateway). */
  exposeRequestId?: boolean;
}

export class RequestObserver {
  readonly service: string;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly #acceptTraceParent: boolean;
  readonly #exposeRequestId: boolean;
  readonly #logRequests: boolean;
  readonly #names = new BoundedNames(MAX_OPERATION_LABELS);
  readonly #requests: Counter;
  readonly #errors: Counter;
  readonly #duration: Histogram;
  readonly #fetches: Counter;
  readonly #fetchDuration: Histogram;

  constructor(options: RequestObserverOptions) {
    checkTracingSettings();
    this.service = options.service;
    this.logger = options.logger ?? createLogger(options.service);
    this.metrics = options.metrics ?? new MetricsRegistry({ service: options.service });
    this.#acceptTraceParent = options.acceptTraceParent ?? false;
    this.#exposeRequestId = options.exposeRequestId ?? false;
    this.#logRequests = logRequestsFromEnv();
    const m = this.metrics;
    this.#requests = m.counter('gongkai_graphql_requests_total', 'GraphQL requests answered, by operation name and outcome (ok: no error in the answer; error: at least one; aborted: the client left first)', ['operation', 'outcome']);
    this.#errors = m.counter('gongkai_graphql_request_errors_total', 'GraphQL requests whose answer carried at least one error of this code', ['code']);
    this.#duration = m.histogram('gongkai_graphql_request_duration_seconds', 'Time from a request\'s arrival to the end of its answer, by operation name', ['operation']);
    this.#fetches = m.counter('gongkai_subgraph_fetches_total', 'The gateway\'s requests to subgraphs, by subgraph and outcome (error: no answer, or an HTTP error)', ['subgraph', 'outcome']);
    this.#fetchDuration = m.histogram('gongkai_subgraph_fetch_duration_seconds', 'Time of the gateway\'s requests to a subgraph, by subgraph', ['subgraph']);
  }

  /** Answers one GraphQL request (`work`) inside its record; counts and logs it once its response is done. */
  observe(request: IncomingMessage, response: ServerResponse, requestId: string, work: () => void): void {
    const parent = this.#acceptTraceParent ? parseTraceParent(request.headers[TRACEPARENT_HEADER]) : null;
    const record: RequestRecord = {
      observer: this,
      requestId,
      method: request.method ?? 'GET',
      started: performance.now(),
      operationName: null,
      errorCodes: new Set(),
      subgraphs: [],
      span: startSpan(this.service, 'graphql', SPAN_KIND.SERVER, parent),
    };
    response.once('close', () => this.#finish(record, response));
    records.run(record, work);
  }

  #finish(record: RequestRecord, response: ServerResponse): void {
    const durationMs = elapsedMs(record.started);
    const status = response.statusCode;
    const errorCodes = [...record.errorCodes].sort();
    const outcome = !response.writableFinished ? 'aborted' : status >= 400 || errorCodes.length > 0 ? 'error' : 'ok';
    const operation = this.#names.of(record.operationName);
    this.#requests.inc({ operation, outcome });
    for (const code of errorCodes) this.#errors.inc({ code });
    this.#duration.observe({ operation }, durationMs / 1000);
    const { span } = record;
    if (span) {
      span.name = `graphql ${operation}`;
      Object.assign(span.attributes, {
        'gongkai.request_id': record.requestId,
        'graphql.operation.name': loggedName(record.operationName),
        'http.request.method': record.method,
        'http.response.status_code': status,
        'gongkai.error_codes': errorCodes,
      });
      span.error = outcome !== 'ok';
      span.end();
    }
    const line = {
      requestId: record.requestId,
      operation: loggedName(record.operationName),
      method: record.method,
      durationMs,
      httpStatus: status,
      outcome,
      errorCodes,
      ...(record.subgraphs.length > 0 ? { subgraphs: record.subgraphs } : {}),
      ...(span ? { traceId: span.traceId } : {}),
    };
    if (!this.#logRequests) return;
    if (outcome === 'ok') this.logger.info('request', line);
    else this.logger.warn('request', line);
  }

  /** The operation's name and the error codes of the answer; the gateway's answers also get the request id. */
  plugin(): ApolloServerPlugin<BaseContext> {
    const exposeRequestId = this.#exposeRequestId;
    return {
      async requestDidStart({ request }) {
        const record = records.getStore();
        if (!record) return;
        if (typeof request.operationName === 'string') record.operationName = request.operationName;
        return {
          async didResolveOperation({ operationName }) {
            record.operationName = operationName ?? null;
          },
          async willSendResponse({ response }) {
            if (response.body.kind !== 'single') return;
            const { singleResult } = response.body;
            for (const error of singleResult.errors ?? []) {
              const code = error.extensions?.code;
              record.errorCodes.add(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
            }
            if (exposeRequestId) singleResult.extensions = { ...singleResult.extensions, requestId: record.requestId };
          },
        };
      },
    };
  }

  #fetched(subgraph: string, durationMs: number, ok: boolean): void {
    this.#fetches.inc({ subgraph, outcome: ok ? 'ok' : 'error' });
    this.#fetchDuration.observe({ subgraph }, durationMs / 1000);
  }

  static fetched(record: RequestRecord, timing: SubgraphTiming): void {
    record.subgraphs.push(timing);
    record.observer.#fetched(timing.name, timing.durationMs, timing.ok);
  }
}

/** A refusal answered before GraphQL ran (httpServer's HttpError): its code counts like any other. */
export function noteErrorCode(code: string): void {
  records.getStore()?.errorCodes.add(code);
}

/** The trace id of the request being answered, when it is traced. */
export const currentTraceId = (): string | null => records.getStore()?.span?.traceId ?? null;

interface FetchInit {
  headers?: Record<string, string>;
}
type Fetch<I extends FetchInit, R> = (url: string, init?: I) => Promise<R>;

/**
 * The gateway's fetcher for one subgraph, observed: each fetch's time and outcome go to the
 * request's record and the metrics, and, when tracing, a CLIENT span; `propagate` sends that
 * span's `traceparent` along (the hub's own subgraphs; never a municipal one, a third party).
 */
export function observedFetcher<I extends FetchInit, R extends { status: number }>(subgraph: string, fetcher: Fetch<I, R>, options: { propagate: boolean }): Fetch<I, R> {
  return async (url, init) => {
    const record = records.getStore();
    if (!record) return fetcher(url, init);
    const span = record.span ? startSpan(record.observer.service, `subgraph ${subgraph}`, SPAN_KIND.CLIENT, record.span) : null;
    if (span) span.attributes['gongkai.subgraph'] = subgraph;
    const sent = span && options.propagate ? ({ ...init, headers: { ...init?.headers, [TRACEPARENT_HEADER]: span.traceparent() } } as unknown as I) : init;
    const started = performance.now();
    let ok = false;
    try {
      const response = await fetcher(url, sent);
      ok = response.status >= 200 && response.status < 300;
      if (span) span.attributes['http.response.status_code'] = response.status;
      return response;
    } finally {
      RequestObserver.fetched(record, { name: subgraph, durationMs: elapsedMs(started), ok });
      if (span) {
        span.error = !ok;
        span.end();
      }
    }
  };
}
