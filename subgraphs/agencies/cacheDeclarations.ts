// What each resolver of the agencies subgraph reads, for the gateway's answer cache
// (lib/cache/answerDependencies.ts). The region hierarchy is reference data (GB/T 2260, synced
// at start); an agency's answers depend on the agencies of its region in every year, since a
// write to an agency (created, edited, moved, linked) records its region(s) for every year.
import type { CacheDeclarations } from '../../lib/cache/answerDependencies.ts';
import { subtreeDependency } from '../../lib/cache/changes.ts';
import { NATIONAL } from '../../lib/auth/identity.ts';
import type { AgenciesContext } from './loaders.ts';
import type { Agency } from './entities/Agency.ts';

/** An agency's own subtree; one that was not found becomes any agency created anywhere. */
const agencyDependency = (agency: Agency | null | undefined) => [subtreeDependency(agency?.regionCode ?? NATIONAL, null)];

export const agenciesCacheDeclarations: CacheDeclarations<AgenciesContext> = {
  'Query.region': 'static',
  'Query.regions': 'static',
  'Query.agency': (_parent: unknown, _args: unknown, _context: AgenciesContext, agency: Agency | null) => agencyDependency(agency),
  'Query.agencies': (_parent: unknown, args: { regionCode?: string | null }) => [subtreeDependency(args.regionCode ?? NATIONAL, null)],
  'Query.sectors': 'static',
  // the gateway's list-size statistics: internal, read every few minutes
  'Query._listSizes': 'uncacheable',
  'Mutation.createAgency': 'uncacheable',
  'Mutation.updateAgency': 'uncacheable',
  'Mutation.confirmAgency': 'uncacheable',
  'Region.__resolveReference': 'static',
  'Region.parent': 'static',
  'Region.children': 'static',
  'Region.ancestors': 'static',
  'Region.agencies': (region: { code: string }) => [subtreeDependency(region.code, null)],
  'Region.agencyConnection': (region: { code: string }) => [subtreeDependency(region.code, null)],
  'Agency.__resolveReference': (_reference: unknown, _args: unknown, _context: AgenciesContext, agency: Agency | null) => agencyDependency(agency),
  'Agency.sector': 'static',
  'Agency.region': 'static',
  'Agency.level': 'static',
  // lineage links are written with the regions of both agencies
  'Agency.predecessors': (agency: Agency) => agencyDependency(agency),
  'Agency.successors': (agency: Agency) => agencyDependency(agency),
  'LineageLink.agency': (_link: unknown, _args: unknown, _context: AgenciesContext, agency: Agency | null) => agencyDependency(agency),
};
