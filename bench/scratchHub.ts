// The hub as separate service processes on a scratch database with the sample data, for the
// benchmark sections that change the hub while they measure it (reloads, a slow city): the
// gateway with its registry, an admin token for its mutations, and the machine's non-loopback
// address for fake municipal subgraphs (production refuses loopback ones).
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { benchToken } from './benchTokens.ts';
import { dropDatabase, ensureDatabase } from '../lib/database/createDatabase.ts';
import { databaseUrl } from '../lib/database/urls.ts';
import { newInternalKey } from '../lib/auth/internalSignature.ts';
import { spawnService, stopService, waitUntilHealthy, type ServiceProcess } from '../lib/runtime/services.ts';

/** Queries of the hub's own subgraphs over its sample data, none of a municipal subgraph's fields. */
export const HUB_ONLY_QUERIES = [
  `{ region(code: "430100") { name level children { code name } disclosure(year: 2024) { filed } hotlineTicketsReceived(year: 2024) } }`,
  `{ region(code: "320000") { name children { code name } disclosure(year: 2023) { filed } } }`,
  `{ region(code: "430000") { name hotlineTicketsReceived(year: 2023) children { code hotlineTicketsReceived(year: 2023) } } }`,
];

export interface ScratchHub {
  gatewayUrl: string;
  /** A national admin's bearer token, for the registry's mutations. */
  adminToken: string;
  /** Where fake municipal subgraphs listen: an address the gateway may call. */
  cityHost: string;
  /** POSTs a GraphQL request to the gateway. */
  post(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
}

/** An address of this machine other than loopback: production refuses loopback subgraphs. */
function externalAddress(): string | null {
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return null;
}

/** Starts the hub on database `name` of the server (dropped first and at stop), ports from basePort. */
export async function startScratchHub(serverDatabaseUrl: string, name: string, basePort: number): Promise<ScratchHub> {
  const scratch = databaseUrl(serverDatabaseUrl, name);
  await dropDatabase(scratch);
  await ensureDatabase(scratch);
  const host = externalAddress();
  const secret = randomBytes(32).toString('hex');
  const ports = { gateway: basePort, agencies: basePort + 1, reports: basePort + 2, hotline: basePort + 3 };
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: scratch,
    GONGKAI_INTERNAL_KEY: newInternalKey(),
    GONGKAI_SAMPLE_DATA: '1',
    PORT: String(ports.gateway),
    AGENCIES_PORT: String(ports.agencies),
    REPORTS_PORT: String(ports.reports),
    HOTLINE_PORT: String(ports.hotline),
    AGENCIES_URL: `http://127.0.0.1:${ports.agencies}/graphql`,
    REPORTS_URL: `http://127.0.0.1:${ports.reports}/graphql`,
    HOTLINE_URL: `http://127.0.0.1:${ports.hotline}/graphql`,
    GONGKAI_RATE_LIMIT: '0',
    // a log line per request would cost this machine's CPU more than the requests
    GONGKAI_LOG_REQUESTS: '0',
    GONGKAI_JWT_SECRET: secret,
    ...(host ? { NODE_ENV: 'production', GONGKAI_SUBGRAPH_ALLOW: host } : { NODE_ENV: 'development' }),
  };
  const services: ServiceProcess[] = [];
  const stop = async () => {
    for (const service of services.reverse()) await stopService(service).catch(() => {});
    await dropDatabase(scratch).catch(() => {});
  };
  try {
    for (const service of ['agencies', 'reports', 'hotline', 'gateway'] as const) {
      const started = spawnService(service, env);
      services.push(started);
      await waitUntilHealthy(started, `http://127.0.0.1:${ports[service]}/health`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
  const adminToken = await benchToken(env, { subject: 'bench-admin', region: '000000', roles: ['admin'] });
  return {
    gatewayUrl,
    adminToken,
    cityHost: host ?? '127.0.0.1',
    async post(query, variables = {}, token) {
      const response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, text: await response.text() };
    },
    stop,
  };
}
