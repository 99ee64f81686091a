// The hub's own subgraphs, for code that handles all of them alike (start-up, tests, benchmark).
import { agenciesSubgraph } from '../../subgraphs/agencies/subgraph.ts';
import { hotlineSubgraph } from '../../subgraphs/hotline/subgraph.ts';
import { reportsSubgraph } from '../../subgraphs/reports/subgraph.ts';
import type { SubgraphModule } from './subgraph.ts';

export const SUBGRAPH_MODULES: readonly SubgraphModule<any>[] = [agenciesSubgraph, reportsSubgraph, hotlineSubgraph];
