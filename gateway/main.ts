// Entry point of the gateway as its own HTTP server:
//   PORT=4000 AGENCIES_URL=… REPORTS_URL=… HOTLINE_URL=… GONGKAI_INTERNAL_KEY=… DATABASE_URL=… node gateway/main.ts
// DATABASE_URL holds the registry of municipal subgraphs (schema `registry`, docs/subgraphs.md);
// without it the gateway serves the hub's own graph only.
import { SUBGRAPH_NAMES, gatewayPort, subgraphUrl, type SubgraphName } from '../lib/config.ts';
import { internalKeyFromEnv } from '../lib/auth/internalSignature.ts';
import { tokenConfigFromEnv } from './auth/tokens.ts';
import { gatewayDedupeFromEnv } from './dedupe.ts';
import { gatewayLimitsFromEnv } from './limits/config.ts';
import { registryOptionsFromEnv } from './registry/registry.ts';
import { startGateway } from './server.ts';
import { answerCacheOptionsFromEnv } from './cache/cachedSubrequests.ts';
import { createLogger } from '../lib/observability/log.ts';

const log = createLogger('gateway');

try {
  const gateway = await startGateway({
    port: gatewayPort(),
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphUrl(name)])) as Record<SubgraphName, string>,
    internalKey: internalKeyFromEnv(),
    tokens: tokenConfigFromEnv(),
    limits: gatewayLimitsFromEnv(),
    registry: process.env.DATABASE_URL ? registryOptionsFromEnv(process.env.DATABASE_URL) : null,
    dedupe: gatewayDedupeFromEnv(),
    answerCache: answerCacheOptionsFromEnv(process.env.DATABASE_URL, SUBGRAPH_NAMES),
  });
  if (!process.env.DATABASE_URL) log.info('DATABASE_URL is not set: serving the hub\'s own graph, without the subgraph registry');
  log.info(`ready at ${gateway.url}`);
  const stop = () => gateway.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  log.error(`could not start: ${(error as Error).message}`);
  process.exit(1);
}
