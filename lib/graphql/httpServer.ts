// The one HTTP front every gongkai service uses (gateway and subgraphs): POST/GET /graphql through
// Apollo Server, GET /health for readiness, a bounded JSON body, who is asking (the service's
// `authenticate`), a request id for every request (lib/graphql/requestContext.ts), and a clean
// drain on close.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextThunk } from '@apollo/server';
import type { GraphQLPayload } from '../auth/internalSignature.ts';
import type { Identity } from '../auth/identity.ts';
import { REQUEST_ID_HEADER, newRequestId, requestIdFromHeader, withRequestId } from './requestContext.ts';

export interface HealthReport {
  ready: boolean;
  [detail: string]: unknown;
}

export interface GraphQLHttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Who is asking; throws an HttpError to refuse the request before GraphQL sees it. */
  authenticate: (request: http.IncomingMessage, payload: GraphQLPayload) => Promise<Identity>;
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

async function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`);
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
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
  const host = options.host ?? '0.0.0.0';
  const name = options.name ?? 'http';

  async function handleGraphQL(request: http.IncomingMessage, response: http.ServerResponse, url: URL) {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const method = (request.method ?? 'GET').toUpperCase();
    const raw = method === 'POST' ? await readBody(request, maxBodyBytes) : '';
    const body = parseJsonBody(raw, request.headers['content-type']);
    const identity = await authenticate(request, payloadOf(method, body, url.searchParams));
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
    withRequestId(requestId, () => route(request, response, requestId));
  });

  function route(request: http.IncomingMessage, response: http.ServerResponse, requestId: string): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const work =
      url.pathname === '/health'
        ? health().then((report) => sendJson(response, report.ready ? 200 : 503, report))
        : url.pathname === '/graphql'
          ? handleGraphQL(request, response, url)
          : Promise.resolve(sendJson(response, 404, { error: `no route ${url.pathname}; the API is at /graphql` }));
    work.catch((error: unknown) => {
      const known = error instanceof HttpError;
      // the details stay here, under the id the client is given
      if (!known) console.error(`[${name}] request ${requestId}: ${(error as Error)?.stack ?? String(error)}`);
      if (response.headersSent) {
        response.end();
        return;
      }
      const status = known ? error.status : 500;
      const code = known ? error.code : 'INTERNAL_SERVER_ERROR';
      const message = known ? error.message : `internal error; the details are in the hub's log under request id ${requestId}`;
      sendJson(response, status, { errors: [{ message, extensions: { code, requestId } }] }, known ? error.headers : {});
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
