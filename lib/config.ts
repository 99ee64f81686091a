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

/** Where the gateway reaches a subgraph; `AGENCIES_URL` etc. override it (docker-compose does). */
export function subgraphUrl(name: SubgraphName): string {
  return process.env[`${name.toUpperCase()}_URL`] || `http://localhost:${subgraphPort(name)}/graphql`;
}

export const dataDir = (): string => resolve(process.env.GONGKAI_DATA_DIR || '.data');

export const embeddedPostgresPort = (): number => intFromEnv('GONGKAI_PG_PORT', 54320);

/** The external database, when one is configured; otherwise the hub runs an embedded one. */
export const externalDatabaseUrl = (): string | undefined => process.env.DATABASE_URL || undefined;
