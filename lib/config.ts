// Every setting the hub reads from the environment, in one place, with its default.
import { resolve } from 'node:path';

export type SubgraphName = 'agencies' | 'reports' | 'hotline';
export const SUBGRAPH_NAMES: readonly SubgraphName[] = ['agencies', 'reports', 'hotline'];

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number (0-65535), got '${raw}'`);
  }
  return value;
}

export const gatewayPort = (): number => intFromEnv('PORT', 4000);

/** Subgraph ports default to the three ports after the gateway's (4001, 4002, 4003). */
export function subgraphPort(name: SubgraphName): number {
  const offset = SUBGRAPH_NAMES.indexOf(name) + 1;
  return intFromEnv(`${name.toUpperCase()}_PORT`, gatewayPort() + offset);
}

/**
 * The address the subgraphs listen on (GONGKAI_SUBGRAPH_HOST): loopback unless set, since only
 * the gateway calls them, and on one machine. Deployments whose gateway reaches the subgraphs
 * over a network (docker-compose.yml) set 0.0.0.0 or the address of that network's interface.
 */
export function subgraphHost(): string {
  const host = process.env.GONGKAI_SUBGRAPH_HOST?.trim() || '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) throw new Error(`GONGKAI_SUBGRAPH_HOST must be an address or host name, got '${host}'`);
  return host;
}

/** How this machine reaches a subgraph listening on `host`: loopback when it listens on every interface. */
function localAddressOf(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Where the gateway reaches a subgraph; `AGENCIES_URL` etc. override it (docker-compose does). */
export function subgraphUrl(name: SubgraphName): string {
  return process.env[`${name.toUpperCase()}_URL`] || `http://${localAddressOf(subgraphHost())}:${subgraphPort(name)}/graphql`;
}

export const dataDir = (): string => resolve(process.env.GONGKAI_DATA_DIR || '.data');

export const embeddedPostgresPort = (): number => intFromEnv('GONGKAI_PG_PORT', 54320);

/** The external database, when one is configured; otherwise the hub runs an embedded one. */
export const externalDatabaseUrl = (): string | undefined => process.env.DATABASE_URL || undefined;
