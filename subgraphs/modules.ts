// The hub's own subgraphs, for code that handles all of them alike (start-up, tests, benchmark).
import { agenciesSubgraph } from './agencies/subgraph.ts';
import { hotlineSubgraph } from './hotline/subgraph.ts';
import { reportsSubgraph } from './reports/subgraph.ts';
import type { SubgraphModule } from '../lib/runtime/subgraph.ts';

export const SUBGRAPH_MODULES: readonly SubgraphModule<any>[] = [agenciesSubgraph, reportsSubgraph, hotlineSubgraph];
