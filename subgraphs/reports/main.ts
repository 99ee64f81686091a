// Entry point of the reports subgraph as its own HTTP server:
//   DATABASE_URL=postgres://… REPORTS_PORT=4002 node subgraphs/reports/main.ts
import { runSubgraphMain } from '../../lib/runtime/subgraphMain.ts';
import { reportsSubgraph } from './subgraph.ts';

await runSubgraphMain(reportsSubgraph);
