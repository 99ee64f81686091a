// Entry point of the gateway as its own HTTP server:
//   PORT=4000 AGENCIES_URL=… REPORTS_URL=… HOTLINE_URL=… node gateway/main.ts
import { SUBGRAPH_NAMES, gatewayPort, subgraphUrl } from '../lib/config.ts';
import { startGateway } from './server.ts';

try {
  const gateway = await startGateway({
    port: gatewayPort(),
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphUrl(name)])) as Record<
      (typeof SUBGRAPH_NAMES)[number],
      string
    >,
  });
  console.log(`[gateway] ready at ${gateway.url}`);
  const stop = () => gateway.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(`[gateway] could not start: ${(error as Error).message}`);
  process.exit(1);
}
