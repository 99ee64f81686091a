// `gongkai start`: the database, the three subgraphs and the gateway, ready at /graphql, with
// the labelled sample data on first start. Ctrl-C stops everything, the embedded Postgres too.
import type { Command } from '../command.ts';
import { SUBGRAPH_NAMES, dataDir, gatewayPort, subgraphPort, subgraphUrl, type SubgraphName } from '../../lib/config.ts';
import { newInternalKey } from '../../lib/auth/internalSignature.ts';
import { devSigningKey } from '../../gateway/auth/devKeys.ts';
import { provisionDatabase } from '../../lib/database/provision.ts';
import { spawnService, stopService, waitUntilHealthy, type ServiceProcess } from '../../lib/runtime/services.ts';

const log = (line: string) => console.log(`[gongkai] ${line}`);

const command: Command = {
  usage: 'gongkai start [--no-sample-data]\n\nEnvironment: PORT (4000), DATABASE_URL (unset: embedded Postgres), GONGKAI_DATA_DIR (./.data), GONGKAI_PG_PORT (54320), AGENCIES_PORT/REPORTS_PORT/HOTLINE_PORT (PORT+1..3)',
  async run(args) {
    const sampleData = !args.includes('--no-sample-data');
    const database = await provisionDatabase(log);
    log(`database: ${database.description}`);
    // The gateway and the subgraphs it starts share a fresh key unless the operator set one.
    const internalKey = process.env.GONGKAI_INTERNAL_KEY || newInternalKey();
    const tokens: Record<string, string> = {};
    if (!process.env.GONGKAI_JWT_SECRET && !process.env.GONGKAI_JWT_JWKS) {
      tokens.GONGKAI_JWT_JWKS = (await devSigningKey(dataDir())).jwksPath;
      log(`tokens: development key ${tokens.GONGKAI_JWT_JWKS} (mint with: gongkai token --sub NAME --region CODE --roles analyst)`);
    }

    const services: ServiceProcess[] = [];
    let stopping = false;
    const shutdown = async (exitCode: number) => {
      if (stopping) return;
      stopping = true;
      log('stopping…');
      await Promise.all(services.map((service) => stopService(service)));
      await database.stop();
      log('stopped');
      process.exit(exitCode);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void shutdown(0));

    try {
      // agencies first: the others' first-start samples are built on its directory read model.
      const startSubgraphs = async (names: readonly SubgraphName[]) => {
        const started = names.map((name) => {
          const service = spawnService(name, {
            DATABASE_URL: database.url,
            GONGKAI_INTERNAL_KEY: internalKey,
            [`${name.toUpperCase()}_PORT`]: String(subgraphPort(name)),
            GONGKAI_SAMPLE_DATA: sampleData ? '1' : '0',
          });
          services.push(service);
          return service;
        });
        // where the gateway will reach them (they listen on GONGKAI_SUBGRAPH_HOST, loopback by default)
        await Promise.all(started.map((service, i) => waitUntilHealthy(service, new URL('/health', subgraphUrl(names[i]!)).toString())));
      };
      await startSubgraphs(['agencies']);
      await startSubgraphs(SUBGRAPH_NAMES.filter((name) => name !== 'agencies'));
      const gateway = spawnService('gateway', {
        ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [`${n.toUpperCase()}_URL`, subgraphUrl(n)])),
        GONGKAI_INTERNAL_KEY: internalKey,
        // the registry of municipal subgraphs (schema `registry`)
        DATABASE_URL: database.url,
        ...tokens,
      });
      services.push(gateway);
      await waitUntilHealthy(gateway, `http://localhost:${gatewayPort()}/health`);
    } catch (error) {
      log(`could not start: ${(error as Error).message}`);
      await shutdown(1);
      return 1;
    }
    log(`ready: http://localhost:${gatewayPort()}/graphql (health: http://localhost:${gatewayPort()}/health)`);

    // A service that dies later takes the hub down rather than leaving half a graph running.
    const crashed = await Promise.race(services.map((service) => service.exited.then(() => service)));
    if (!stopping) {
      log(`${crashed.name} stopped unexpectedly; shutting down`);
      await shutdown(1);
    }
    return 0;
  },
};

export default command;
