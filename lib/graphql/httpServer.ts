// The one HTTP front every gongkai service uses (gateway and subgraphs): POST/GET /graphql through
// Apollo Server, GET /health for readiness, a bounded JSON body, and a clean drain on close.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextThunk } from '@apollo/server';

export interface HealthReport {
  ready: boolean;
  [detail: string]: unknown;
}

export interface GraphQLHttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  context: (request: http.IncomingMessage) => Promise<TContext>;
  health: () => Promise<HealthReport>;
  port: number;
  host?: string;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes?: number;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** 16 MiB unless GONGKAI_MAX_BODY_BYTES says otherwise: room for a report PDF pushed as base64. */
function maxBodyBytesFromEnv(): number {
  const value = Number(process.env.GONGKAI_MAX_BODY_BYTES || 16 * 1024 * 1024);
  return Number.isSafeInteger(value) && value > 0 ? value : 16 * 1024 * 1024;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, `request body over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `request body over ${limit} bytes`);
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
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

export async function startGraphQLHttpServer<TContext extends BaseContext>(
  options: GraphQLHttpServerOptions<TContext>,
): Promise<RunningHttpServer> {
  const { apollo, context, health, maxBodyBytes = maxBodyBytesFromEnv() } = options;

  async function handleGraphQL(request: http.IncomingMessage, response: http.ServerResponse, search: string) {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const raw = request.method === 'POST' ? await readBody(request, maxBodyBytes) : '';
    const contextThunk: ContextThunk<TContext> = () => context(request);
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (request.method ?? 'GET').toUpperCase(),
        headers,
        search,
        body: parseJsonBody(raw, request.headers['content-type']),
      },
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
    const { pathname, search } = new URL(request.url ?? '/', 'http://localhost');
    const work =
      pathname === '/health'
        ? health().then((report) => sendJson(response, report.ready ? 200 : 503, report))
        : pathname === '/graphql'
          ? handleGraphQL(request, response, search)
          : Promise.resolve(sendJson(response, 404, { error: `no route ${pathname}; the API is at /graphql` }));
    work.catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) console.error(error);
      if (!response.headersSent) sendJson(response, status, { errors: [{ message: (error as Error).message }] });
      else response.end();
    });
  });
  // Keep-alive between gateway and subgraphs saves a TCP handshake per subrequest.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://localhost:${port}/graphql`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}
