// Runs the city's 12345 subgraph: node main.ts [--port 4100] [--host 0.0.0.0] [--schema v2]
// (Node ≥ 22.17 runs the TypeScript directly.) Then, on the hub's side:
//   gongkai subgraph add city_hotline http://<this host>:4100/graphql --region 430100
import { startCityHotline, type SchemaVersion } from './server.ts';

const option = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};

const running = await startCityHotline({
  port: Number(option('--port') ?? process.env.PORT ?? 4100),
  host: option('--host') ?? '127.0.0.1',
  schema: (option('--schema') as SchemaVersion | undefined) ?? 'v1',
});
console.log(`[city-hotline] ready at ${running.url} (health: ${new URL('/health', running.url)})`);
const stop = () => void running.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
