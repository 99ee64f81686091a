// `gongkai start`: the database, the three subgraphs and the gateway, ready at /graphql, with
// the labelled sample data on first start. Once the hub is ready, a part that crashes is started
// again while the others keep answering (lib/runtime/supervisor.ts; docs/operations.md, "What
// restarts what"). Ctrl-C stops everything, the embedded Postgres last. With --replicas N each
// service runs as N processes on its one port (lib/runtime/clusterPrimary.ts; docs/operations.md,
// "Scale out: replicas and a read replica").
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../outcome.ts';
import { SUBGRAPH_NAMES, dataDir, gatewayPort, subgraphPort, subgraphUrl, type SubgraphName } from '../../lib/config.ts';
import { newInternalKey } from '../../lib/auth/internalSignature.ts';
import { devSigningKey } from '../../gateway/auth/devKeys.ts';
import { provisionDatabase } from '../../lib/database/provision.ts';
import { spawnService, stopService, waitUntilHealthy, type ServiceName, type ServiceProcess } from '../../lib/runtime/services.ts';
import { Supervisor, type PartRun } from '../../lib/runtime/supervisor.ts';

const log = (line: string) => console.log(`[gongkai] ${line}`);

const runOf = (service: ServiceProcess): PartRun => ({
  pid: service.child.pid,
  exited: service.exited.then(() => ({ code: service.child.exitCode, signal: service.child.signalCode })),
  stop: () => stopService(service),
});

/** `--replicas N` (or GONGKAI_REPLICAS): how many processes of each service; 1 unless set. */
export function replicasFrom(args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const at = args.indexOf('--replicas');
  const given = at >= 0 ? (args[at + 1] ?? '') : env.GONGKAI_REPLICAS;
  if (at < 0 && (given === undefined || given === '')) return 1;
  const replicas = Number(given);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 64) {
    throw new CliError('USAGE', `start: --replicas (GONGKAI_REPLICAS) must be a whole number from 1 to 64, got '${given}'`);
  }
  return replicas;
}

const command: Command = {
  usage:
    'gongkai start [--no-sample-data] [--replicas N]\n\n--replicas N: N processes of the gateway and of each subgraph, each service on its one port (default 1)\n\nEnvironment: PORT (4000), DATABASE_URL (unset: embedded Postgres), DATABASE_READ_URL (a streaming replica for the subgraphs\' reads), GONGKAI_REPLICAS (--replicas), GONGKAI_DATA_DIR (./.data), GONGKAI_PG_PORT (54320), AGENCIES_PORT/REPORTS_PORT/HOTLINE_PORT (PORT+1..3)',
  async run(args) {
    const sampleData = !args.includes('--no-sample-data');
    const replicas = replicasFrom(args);
    const unknown = args.filter((arg, i) => arg.startsWith('-') && arg !== '--no-sample-data' && arg !== '--replicas' && args[i - 1] !== '--replicas');
    if (unknown.length > 0) throw new CliError('USAGE', `start: unknown option ${unknown[0]}`);
    // a failure to start it is one line with its code (lib/database/startFailure.ts)
    const database = await provisionDatabase(log, { ownServer: true });
    log(`database: ${database.description}`);
    // The gateway and the subgraphs it starts share a fresh key unless the operator set one.
    const internalKey = process.env.GONGKAI_INTERNAL_KEY || newInternalKey();
    const tokens: Record<string, string> = {};
    if (!process.env.GONGKAI_JWT_SECRET && !process.env.GONGKAI_JWT_JWKS) {
      tokens.GONGKAI_JWT_JWKS = (await devSigningKey(dataDir())).jwksPath;
      log(`tokens: development key ${tokens.GONGKAI_JWT_JWKS} (mint with: gongkai token --sub NAME --region CODE --roles analyst)`);
    }

    const supervisor = new Supervisor(log);
    let stopping: Promise<void> | null = null;
    const stopAll = () =>
      (stopping ??= (async () => {
        log('stopping…');
        await supervisor.stop();
        // last: the services may still be writing
        await database.stop();
        log('stopped');
      })());
    // the command ends (exit 0) once a signal has stopped everything
    let finish: (code: number) => void = () => {};
    const finished = new Promise<number>((resolve) => (finish = resolve));
    const stopBySignal = () =>
      void stopAll().then(() => {
        finish(EXIT.ok);
        // nothing of the hub is left to hold the process; should a stray handle do so, it does not keep a stopped hub alive
        setTimeout(() => process.exit(EXIT.ok), 2000).unref();
      });
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stopBySignal);

    // The embedded server is restarted in place after a crash; the services reconnect to it.
    const embedded = database.embedded;
    if (embedded) {
      // stopped by stopAll, after the services
      const databaseRun = (): PartRun => ({ exited: embedded.exited(), stop: async () => {} });
      supervisor.track({ name: 'database', start: async () => (await embedded.restart(), databaseRun()) }, databaseRun());
    }
    // A person watching the terminal reads text lines; a log shipper (output not a terminal, or
    // GONGKAI_LOG_FORMAT set) gets the services' JSON lines.
    const logFormat = process.env.GONGKAI_LOG_FORMAT || (process.stdout.isTTY ? 'text' : 'json');
    const startService = (name: ServiceName, serviceEnv: NodeJS.ProcessEnv): ServiceProcess => {
      const env = { ...serviceEnv, GONGKAI_LOG_FORMAT: logFormat };
      const service = spawnService(name, env, replicas);
      log(`${name} started (pid ${service.child.pid}${replicas > 1 ? `, ${replicas} replicas` : ''})`);
      supervisor.track({ name, start: async () => runOf(spawnService(name, env, replicas)) }, runOf(service));
      return service;
    };

    try {
      // agencies first: the others' first-start samples are built on its directory read model.
      const startSubgraphs = async (names: readonly SubgraphName[]) => {
        const started = names.map((name) =>
          startService(name, {
            DATABASE_URL: database.url,
            GONGKAI_INTERNAL_KEY: internalKey,
            [`${name.toUpperCase()}_PORT`]: String(subgraphPort(name)),
            GONGKAI_SAMPLE_DATA: sampleData ? '1' : '0',
          }),
        );
        // where the gateway will reach them (they listen on GONGKAI_SUBGRAPH_HOST, loopback by default)
        await Promise.all(started.map((service, i) => waitUntilHealthy(service, new URL('/health', subgraphUrl(names[i]!)).toString())));
      };
      await startSubgraphs(['agencies']);
      await startSubgraphs(SUBGRAPH_NAMES.filter((name) => name !== 'agencies'));
      const gateway = startService('gateway', {
        ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [`${n.toUpperCase()}_URL`, subgraphUrl(n)])),
        GONGKAI_INTERNAL_KEY: internalKey,
        // the registry of municipal subgraphs (schema `registry`)
        DATABASE_URL: database.url,
        ...tokens,
      });
      await waitUntilHealthy(gateway, `http://localhost:${gatewayPort()}/health`);
    } catch (error) {
      const interrupted = stopping !== null;
      await stopAll();
      if (interrupted) return EXIT.ok;
      throw new CliError('START_FAILED', `the hub could not start: ${(error as Error).message}; fix the cause and run gongkai start again`);
    }
    log(`ready: the dashboard at http://localhost:${gatewayPort()}/, the API at http://localhost:${gatewayPort()}/graphql (health: http://localhost:${gatewayPort()}/health)`);
    supervisor.supervise();
    return finished;
  },
};

export default command;
