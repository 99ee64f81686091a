// The one HTTP front every gongkai service uses (gateway and subgraphs): POST/GET /graphql through
// Apollo Server, GET /health for readiness, a bounded JSON body, who is asking (the service's
// `authenticate`), a request id for every request (lib/graphql/requestContext.ts), and a clean
// drain on close.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextThunk } from '@apollo/server';
import type { GraphQLPayload } from '../auth/internalSignature.ts';
import type { Identity } from '../auth/identity.ts';
import { DATABASE_UNAVAILABLE_CODE, databaseUnavailableMessage, isDatabaseUnavailable } from '../database/availability.ts';
import { REQUEST_ID_HEADER, newRequestId, requestIdFromHeader, withRequestId } from './requestContext.ts';
import { retryAfterHeader } from './serviceUnavailable.ts';
import { EXPOSITION_CONTENT_TYPE } from '../observability/metrics.ts';
import { RequestObserver, noteErrorCode } from '../observability/requests.ts';

export interface HealthReport {
  ready: boolean;
  [detail: string]: unknown;
}

/** What `admit` learnt of a request from its headers alone. */
export interface Admission {
  /** Who is asking, when the headers tell (the gateway's bearer token). */
  identity?: Identity;
  /** A lower body limit for this request (the gateway's callers without a token). */
  maxBodyBytes?: number;
}

export interface GraphQLHttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /**
   * Runs first, before anything of the request's body is read (the gateway's rate limit and
   * token): throws an HttpError to refuse it. Asked for /graphql and /health, not for /live.
   */
  admit?: (request: http.IncomingMessage, route: 'graphql' | 'health') => Promise<Admission | void>;
  /** Refuses a payload before GraphQL parses and validates it (the gateway's document limits). */
  screen?: (payload: GraphQLPayload) => void;
  /** Who is asking; throws an HttpError to refuse the request before GraphQL sees it. */
  authenticate: (request: http.IncomingMessage, payload: GraphQLPayload, admission: Admission) => Promise<Identity>;
  context: (identity: Identity, request: http.IncomingMessage) => Promise<TContext>;
  health: () => Promise<HealthReport>;
  port: number;
  /** The address to listen on: every interface (0.0.0.0) unless given. */
  host?: string;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes?: number;
  /**
   * Keep the caller's `x-request-id` (a subgraph, whose caller is the gateway); otherwise every
   * request gets a fresh id, whatever the client sent.
   */
  acceptRequestId?: boolean;
  /** Names the service in its log lines. */
  name?: string;
  /**
   * Logs, counts and traces every /graphql request (lib/observability/requests.ts); one for the
   * service `name` unless given. Its plugin must be among Apollo's plugins.
   */
  observer?: RequestObserver;
  /**
   * GET /metrics: the Prometheus exposition, or an HttpError for a caller who may not read it.
   * Without it, /metrics is not a route.
   */
  metrics?: (request: http.IncomingMessage) => Promise<string>;
  /**
   * Pages for browsers (the gateway's dashboard and IDE): the answer to a GET or HEAD, or null
   * for a path that is not a page (then the API's routes answer it).
   */
  pages?: (request: http.IncomingMessage, url: URL) => StaticPage | null;
}

export interface StaticPage {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** 16 MiB unless GONGKAI_MAX_BODY_BYTES says otherwise: room for a report PDF pushed as base64. */
export function maxBodyBytesFromEnv(): number {
  const value = Number(process.env.GONGKAI_MAX_BODY_BYTES || 16 * 1024 * 1024);
  return Number.isSafeInteger(value) && value > 0 ? value : 16 * 1024 * 1024;
}

/** A refusal before GraphQL runs, answered as a GraphQL error body with this HTTP status. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** What is discarded of a refused request's body before its connection is dropped. */
const DISCARD_BYTES = 1024 * 1024;
const DISCARD_MS = 2000;

/**
 * A request answered before its body was read (refused, or over the limit): the answer closes
 * the connection, and what the client still sends is discarded — never buffered — for a moment
 * (so that it reads the answer), then the connection is dropped.
 */
function dropUnreadBody(request: http.IncomingMessage): void {
  if (request.complete || request.destroyed) return;
  let discarded = 0;
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_BYTES) request.socket.destroy();
  });
  request.resume();
  setTimeout(() => request.socket.destroy(), DISCARD_MS).unref();
}

/** The body, refused as soon as it is over `limit` bytes: never more than that is held. */
function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`);
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      stop();
      chunks.length = 0;
      request.pause();
      reject(tooLarge());
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

function parseJsonBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (!contentType?.includes('json')) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'request body is not valid JSON');
  }
}

/** The operation as the request carries it: a JSON body for POST, the query string for GET. */
function payloadOf(method: string, body: unknown, search: URLSearchParams): GraphQLPayload {
  if (method === 'GET') {
    const variables = search.get('variables');
    let parsed: unknown;
    try {
      parsed = variables ? JSON.parse(variables) : undefined;
    } catch {
      throw new HttpError(400, 'BAD_REQUEST', 'variables is not valid JSON');
    }
    return { query: search.get('query') ?? undefined, variables: parsed, operationName: search.get('operationName') ?? undefined };
  }
  if (Array.isArray(body)) throw new HttpError(400, 'BAD_REQUEST', 'batched requests are not accepted');
  return typeof body === 'object' && body !== null ? (body as GraphQLPayload) : {};
}

function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

/** How a client reaches an address the server listens on (`localhost` for every interface). */
function urlHostOf(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startGraphQLHttpServer<TContext extends BaseContext>(
  options: GraphQLHttpServerOptions<TContext>,
): Promise<RunningHttpServer> {
  const { apollo, authenticate, context, health, maxBodyBytes = maxBodyBytesFromEnv() } = options;
  const admit = async (request: http.IncomingMessage, route: 'graphql' | 'health'): Promise<Admission> =>
    (options.admit ? await options.admit(request, route) : undefined) ?? {};
  const host = options.host ?? '0.0.0.0';
  const name = options.name ?? 'http';
  const observer = options.observer ?? new RequestObserver({ service: name });
  const log = observer.logger;

  async function handleGraphQL(request: http.IncomingMessage, response: http.ServerResponse, url: URL) {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const method = (request.method ?? 'GET').toUpperCase();
    // limit first, parse later: nothing of the body is read before the request is admitted
    const admission = await admit(request, 'graphql');
    const raw = method === 'POST' ? await readBody(request, Math.min(admission.maxBodyBytes ?? maxBodyBytes, maxBodyBytes)) : '';
    const body = parseJsonBody(raw, request.headers['content-type']);
    const payload = payloadOf(method, body, url.searchParams);
    options.screen?.(payload);
    const identity = await authenticate(request, payload, admission);
    const contextThunk: ContextThunk<TContext> = () => context(identity, request);
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      context: contextThunk,
    });
    for (const [key, value] of result.headers) response.setHeader(key, value);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  }

  const server = http.createServer((request, response) => {
    const requestId = (options.acceptRequestId ? requestIdFromHeader(request.headers[REQUEST_ID_HEADER]) : null) ?? newRequestId();
    response.setHeader(REQUEST_ID_HEADER, requestId);
    // one log line, counts and a span for each GraphQL request; none for probes and scrapes
    const graphql = (request.url ?? '').split('?')[0] === '/graphql';
    withRequestId(requestId, () => (graphql ? observer.observe(request, response, requestId, () => route(request, response, requestId)) : route(request, response, requestId)));
  });

  function route(request: http.IncomingMessage, response: http.ServerResponse, requestId: string): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const page = options.pages?.(request, url);
    if (page) {
      response.writeHead(page.status, { ...page.headers, 'content-length': String(page.body.length) });
      response.end(request.method === 'HEAD' ? undefined : page.body);
      return;
    }
    const work =
      url.pathname === '/live'
        ? Promise.resolve(sendJson(response, 200, { live: true }))
        : url.pathname === '/health'
        ? admit(request, 'health').then(() => health()).then((report) => sendJson(response, report.ready ? 200 : 503, report))
        : url.pathname === '/graphql'
          ? handleGraphQL(request, response, url)
        : url.pathname === '/metrics' && options.metrics
          ? options.metrics(request).then((text) => {
              response.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE });
              response.end(text);
            })
          : Promise.resolve(sendJson(response, 404, { error: `no route ${url.pathname}; the API is at /graphql` }));
    work.catch((thrown: unknown) => {
      // the database away before GraphQL ran (a subgraph's nonce check): 503, try again later
      const databaseAway = !(thrown instanceof HttpError) && isDatabaseUnavailable(thrown);
      if (databaseAway) log.error('database unavailable', { requestId, cause: String((thrown as Error)?.message).split('\n')[0] });
      const error = databaseAway ? new HttpError(503, DATABASE_UNAVAILABLE_CODE, databaseUnavailableMessage(), retryAfterHeader()) : thrown;
      const known = error instanceof HttpError;
      if (!request.complete && !response.headersSent) {
        response.setHeader('connection', 'close');
        dropUnreadBody(request);
      }
      // the details stay here, under the id the client is given
      if (!known) log.error('request failed', { requestId, error: error instanceof Error ? error : String(error) });
      if (response.headersSent) {
        response.end();
        return;
      }
      const status = known ? error.status : 500;
      const code = known ? error.code : 'INTERNAL_SERVER_ERROR';
      const message = known ? error.message : `internal error; the details are in the hub's log under request id ${requestId}`;
      noteErrorCode(code);
      sendJson(response, status, { errors: [{ message, extensions: { code, requestId } }], extensions: { requestId } }, known ? error.headers : {});
    });
  }
  // Keep-alive between gateway and subgraphs saves a TCP handshake per subrequest.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${urlHostOf(host)}:${port}/graphql`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}
