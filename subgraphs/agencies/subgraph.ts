// The agencies subgraph: the region hierarchy and the agency directory.
import type { SubgraphModule } from '../../lib/runtime/subgraph.ts';
import { agenciesCacheDeclarations } from './cacheDeclarations.ts';
import { agenciesEntities } from './entities/index.ts';
import { createAgenciesLoaders, type AgenciesContext } from './loaders.ts';
import { AgencySchema } from './entities/Agency.ts';
import { agenciesMigrations } from './migrations/index.ts';
import { syncRegionRegistry } from './regions/syncRegionRegistry.ts';
import { agencyResolvers, lineageLinkResolvers } from './resolvers/agency.ts';
import { mutationResolvers } from './resolvers/mutation.ts';
import { queryResolvers } from './resolvers/query.ts';
import { agenciesListSizes } from './resolvers/listSizes.ts';
import { regionResolvers } from './resolvers/region.ts';
import { loadSampleAgencies } from './sample/sampleAgencies.ts';
import { sampleWasRemoved } from '../../lib/database/sampleMarker.ts';

export const agenciesSubgraph: SubgraphModule<AgenciesContext['loaders']> = {
  name: 'agencies',
  entities: agenciesEntities,
  migrations: agenciesMigrations,
  resolvers: {
    Query: { ...queryResolvers, _listSizes: agenciesListSizes },
    Mutation: mutationResolvers,
    Region: regionResolvers,
    Agency: agencyResolvers,
    LineageLink: lineageLinkResolvers,
  },
  cacheDeclarations: agenciesCacheDeclarations,
  createLoaders: createAgenciesLoaders,
  async bootstrap(orm, { sampleData, log }) {
    const em = orm.em.fork();
    const changed = await syncRegionRegistry(em);
    if (changed) log(`region registry: ${changed} regions added or updated`);
    // Never again once `gongkai sample remove` has run (lib/database/sampleMarker.ts).
    if (sampleData && (await em.count(AgencySchema, {})) === 0 && !(await sampleWasRemoved(em, 'agencies'))) {
      log(`sample data: ${await loadSampleAgencies(em)} agencies (marked SAMPLE)`);
    }
  },
};
