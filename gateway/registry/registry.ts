// The registry as a running gateway holds it: its database (schema `registry`, migrated on
// start), the supergraph it follows, and the periodic health checks of municipal subgraphs.
import type { MikroORM } from '@mikro-orm/postgresql';
import { subgraphAddressPolicyFromEnv, type SubgraphAddressPolicy } from './addresses.ts';
import { startHealthChecks, type HealthChecks } from './health.ts';
import { RegistrySupergraph } from './reload.ts';
import { openRegistryDatabase } from './store.ts';
import { createLogger } from '../../lib/observability/log.ts';

export interface RegistryOptions {
  databaseUrl: string;
  /** How often the gateway looks for a new supergraph version (GONGKAI_REGISTRY_POLL_MS, 2000). */
  pollMs?: number;
  /** How often municipal subgraphs are checked (GONGKAI_REGISTRY_HEALTH_MS, 10000). */
  healthMs?: number;
  /** Which addresses may be registered and called (GONGKAI_SUBGRAPH_ALLOW, gateway/registry/addresses.ts). */
  subgraphAddresses?: SubgraphAddressPolicy;
  log?: (line: string) => void;
}

export interface Registry {
  orm: MikroORM;
  supergraph: RegistrySupergraph;
  health: HealthChecks;
  addresses: SubgraphAddressPolicy;
  close(): Promise<void>;
}

export function registryOptionsFromEnv(databaseUrl: string): RegistryOptions {
  const ms = (name: string, fallback: number) => {
    const value = Number(process.env[name] || fallback);
    if (!Number.isFinite(value) || value < 50) throw new Error(`${name} must be a number of milliseconds (≥ 50), got '${process.env[name]}'`);
    return value;
  };
  return {
    databaseUrl,
    pollMs: ms('GONGKAI_REGISTRY_POLL_MS', 2000),
    healthMs: ms('GONGKAI_REGISTRY_HEALTH_MS', 10_000),
    // read at start: a list that cannot be read stops the gateway
    subgraphAddresses: subgraphAddressPolicyFromEnv(),
  };
}

export async function openRegistry(options: RegistryOptions): Promise<Registry> {
  const logger = createLogger('gateway');
  const log = options.log ?? ((line: string) => logger.info(`registry: ${line}`));
  const addresses = options.subgraphAddresses ?? subgraphAddressPolicyFromEnv();
  const orm = await openRegistryDatabase(options.databaseUrl, 4, log);
  log(`municipal subgraph addresses allowed: ${addresses.description}`);
  const supergraph = new RegistrySupergraph(orm, options.pollMs ?? 2000, log, addresses);
  const health = startHealthChecks(orm, options.healthMs ?? 10_000, log, addresses);
  return {
    orm,
    supergraph,
    health,
    addresses,
    async close() {
      health.stop();
      await orm.close();
    },
  };
}
