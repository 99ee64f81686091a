// Entry point of the hotline subgraph as its own HTTP server:
//   DATABASE_URL=postgres://… HOTLINE_PORT=4003 node subgraphs/hotline/main.ts
import { runSubgraphMain } from '../../lib/runtime/subgraphMain.ts';
import { hotlineSubgraph } from './subgraph.ts';

await runSubgraphMain(hotlineSubgraph);
