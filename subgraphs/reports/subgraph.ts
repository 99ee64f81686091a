// The reports subgraph: annual disclosure reports, their figures and rollups.
import type { SubgraphModule } from '../../lib/runtime/subgraph.ts';
import { createReportsLoaders, type ReportsContext } from './loaders.ts';
import { AnnualReportSchema } from './entities/AnnualReport.ts';
import { reportsMigrations } from './migrations/index.ts';
import { regionResolvers } from './resolvers/region.ts';

export const reportsSubgraph: SubgraphModule<ReportsContext['loaders']> = {
  name: 'reports',
  entities: [AnnualReportSchema],
  migrations: reportsMigrations,
  resolvers: { Region: regionResolvers },
  createLoaders: createReportsLoaders,
};
