// How a subgraph runs as its own process: settings from the environment, a clean stop on
// SIGINT/SIGTERM, and a clear message instead of a stack trace when it cannot start.
import { subgraphPort } from '../config.ts';
import { internalKeyFromEnv } from '../auth/internalSignature.ts';
import { startSubgraph, type SubgraphModule } from './subgraph.ts';
import { createLogger } from '../observability/log.ts';

export async function runSubgraphMain<TLoaders>(module: SubgraphModule<TLoaders>): Promise<void> {
  const log = createLogger(module.name);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    log.error(
      `DATABASE_URL is not set. Run the whole hub with 'npm start' (it provides an embedded Postgres), ` +
        `or point this subgraph at a database: DATABASE_URL=postgres://user:pass@host:5432/gongkai`,
    );
    process.exit(2);
  }
  try {
    const running = await startSubgraph(module, {
      databaseUrl,
      internalKey: internalKeyFromEnv(),
      port: subgraphPort(module.name),
      sampleData: process.env.GONGKAI_SAMPLE_DATA === '1',
    });
    log.info(`ready at ${running.url}`);
    const stop = () => {
      running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error('error while stopping', { error: error instanceof Error ? error : String(error) });
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    log.error(`could not start: ${(error as Error).message}`);
    process.exit(1);
  }
}
