// A city's 12345 platform as a federation subgraph: Apollo Server + @apollo/subgraph over
// in-memory figures (a real one would read its own database). It knows nothing of the hub
// beyond the Region key: the hub sends `{ __typename: "Region", code }` and it answers the
// fields it adds. Standalone on purpose: it imports nothing from gongkai.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

export interface CityHotlineFigures {
  platform: string;
  year: number;
  ticketsReceived: number;
  resolvedRate: number;
  averageResponseHours: number;
  website: string | null;
}

/** The platform's own data, by GB/T 2260 region code. */
export const FIGURES: Record<string, CityHotlineFigures> = {
  '430100': { platform: '长沙12345', year: 2024, ticketsReceived: 1_284_506, resolvedRate: 0.962, averageResponseHours: 3.4, website: 'https://www.changsha.gov.cn/12345' },
  '430102': { platform: '长沙12345', year: 2024, ticketsReceived: 98_113, resolvedRate: 0.971, averageResponseHours: 2.9, website: null },
  '430104': { platform: '长沙12345', year: 2024, ticketsReceived: 121_870, resolvedRate: 0.955, averageResponseHours: 3.8, website: null },
};

export type SchemaVersion = 'v1' | 'v2';

const schemaFile = (version: SchemaVersion) => new URL(version === 'v1' ? './schema.graphql' : './schema-v2.graphql', import.meta.url);

const resolvers = {
  Region: {
    // the gateway hands over the key; anything not ours stays null
    __resolveReference: (reference: { code: string }) => ({ code: reference.code }),
    cityHotline: (region: { code: string }) => FIGURES[region.code] ?? null,
  },
};

export interface RunningCityHotline {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface CityHotlineOptions {
  port?: number;
  host?: string;
  schema?: SchemaVersion;
  /** Sees every request (an access log, say). */
  onRequest?: (request: http.IncomingMessage) => void;
}

export async function startCityHotline(options: CityHotlineOptions = {}): Promise<RunningCityHotline> {
  const version = options.schema ?? 'v1';
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(readFileSync(schemaFile(version), 'utf8')), resolvers: version === 'v1' ? resolvers : {} }),
    // traces are for Apollo's cloud reporting, which a government network does not use
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    options.onRequest?.(request);
    try {
      if (url.pathname === '/health') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ready: true, schema: version }));
        return;
      }
      if (url.pathname !== '/graphql') {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'the API is at /graphql' }));
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(request.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body: raw ? JSON.parse(raw) : undefined },
        context: async () => ({}),
      });
      for (const [key, value] of result.headers) response.setHeader(key, value);
      response.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') response.end(result.body.string);
      else {
        for await (const chunk of result.body.asyncIterator) response.write(chunk);
        response.end();
      }
    } catch (error) {
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4100, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://localhost:${port}/graphql`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}
