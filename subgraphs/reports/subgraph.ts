// The reports subgraph: annual disclosure reports, their figures, oversight flags and rollups.
import type { SubgraphModule } from '../../lib/runtime/subgraph.ts';
import { reportsCacheDeclarations } from './cacheDeclarations.ts';
import { createReportsLoaders, type ReportsContext } from './loaders.ts';
import { reportsMigrations } from './migrations/index.ts';
import { agencyResolvers } from './resolvers/agency.ts';
import { annualReportResolvers, figureResolvers, sourceDocumentResolvers } from './resolvers/annualReport.ts';
import { flagResolvers } from './resolvers/flag.ts';
import { mutationResolvers } from './resolvers/mutation.ts';
import { queryResolvers } from './resolvers/query.ts';
import { reportsListSizes } from './resolvers/listSizes.ts';
import { regionResolvers } from './resolvers/region.ts';
import { loadSampleReports } from './sample/sampleReports.ts';
import { reportsMetrics } from './metrics.ts';
import { sampleWasRemoved } from '../../lib/database/sampleMarker.ts';

export const reportsSubgraph: SubgraphModule<ReportsContext['loaders']> = {
  name: 'reports',
  // Reads are batched aggregates and writes bulk statements: all hand-written SQL, no entities.
  entities: [],
  migrations: reportsMigrations,
  resolvers: {
    Query: { ...queryResolvers, _listSizes: reportsListSizes },
    Mutation: mutationResolvers,
    Region: regionResolvers,
    Agency: agencyResolvers,
    AnnualReport: annualReportResolvers,
    Figure: figureResolvers,
    SourceDocument: sourceDocumentResolvers,
    Flag: flagResolvers,
  },
  cacheDeclarations: reportsCacheDeclarations,
  createLoaders: createReportsLoaders,
  metrics: reportsMetrics,
  async bootstrap(orm, { sampleData, log }) {
    // Never again once `gongkai sample remove` has run (lib/database/sampleMarker.ts).
    if (!sampleData || (await sampleWasRemoved(orm.em.fork(), 'reports'))) return;
    const stored = await loadSampleReports(orm.em.fork());
    if (stored) log(`sample data: ${stored} annual reports (marked SAMPLE)`);
  },
};
