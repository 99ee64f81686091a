// Entry point of the agencies subgraph as its own HTTP server:
//   DATABASE_URL=postgres://… AGENCIES_PORT=4001 node subgraphs/agencies/main.ts
import { runSubgraphMain } from '../../lib/runtime/subgraphMain.ts';
import { agenciesSubgraph } from './subgraph.ts';

await runSubgraphMain(agenciesSubgraph);
