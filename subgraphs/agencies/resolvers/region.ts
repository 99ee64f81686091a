import type { AgenciesContext, RegionAgenciesArgs } from '../loaders.ts';
import type { Region } from '../entities/Region.ts';
import { ancestorCodeCandidates } from '../../../lib/regions/codes.ts';
import { pageSizeArgument, searchArgument } from '../../../lib/graphql/arguments.ts';
import { decodeCursor, encodeCursor, isNonNegativeInteger } from '../../../lib/graphql/cursor.ts';

interface RegionAgenciesFieldArgs {
  sector?: string | null;
  search?: string | null;
  includeSubtree?: boolean | null;
  first?: number | null;
}

interface RegionAgencyConnectionArgs extends RegionAgenciesFieldArgs {
  after?: string | null;
}

// Its own cursor kind: a cursor of Query.agencies (another filter set) is refused here.
const CURSOR_KIND = 'regionAgency';

const filterOf = (args: RegionAgenciesFieldArgs): RegionAgenciesArgs => ({
  sector: args.sector ?? null,
  search: searchArgument('search', args.search),
  includeSubtree: args.includeSubtree ?? false,
});

export const regionResolvers = {
  __resolveReference: (ref: { code: string }, { loaders }: AgenciesContext) => loaders.regionByCode.load(ref.code),
  parent: (region: Region, _: unknown, { loaders }: AgenciesContext) =>
    region.parentCode ? loaders.regionByCode.load(region.parentCode) : null,
  children: (region: Region, _: unknown, { loaders }: AgenciesContext) => loaders.childrenOfRegion.load(region.code),
  ancestors: async (region: Region, _: unknown, { loaders }: AgenciesContext) => {
    const found = await loaders.regionByCode.loadMany(ancestorCodeCandidates(region.code));
    return found.filter((r): r is Region => r != null && !(r instanceof Error));
  },
  agencies: (region: Region, args: RegionAgenciesFieldArgs, { loaders }: AgenciesContext) =>
    loaders
      .agenciesOfRegion({ ...filterOf(args), afterId: null, limit: pageSizeArgument('first', args.first ?? 100, 1000) })
      .load(region.code),
  agencyConnection: async (region: Region, args: RegionAgencyConnectionArgs, { loaders }: AgenciesContext) => {
    const filter = filterOf(args);
    const first = pageSizeArgument('first', args.first ?? 50, 500);
    const afterId = args.after ? decodeCursor(CURSOR_KIND, args.after, isNonNegativeInteger) : null;
    // One row more than the page tells whether another page follows.
    const rows = await loaders.agenciesOfRegion({ ...filter, afterId, limit: first + 1 }).load(region.code);
    const agencies = rows.slice(0, first);
    const edges = agencies.map((node) => ({ cursor: encodeCursor(CURSOR_KIND, node.id), node }));
    return {
      edges,
      nodes: agencies,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      // A function: counted (in one statement per batch) only when the client selects totalCount.
      totalCount: () => loaders.agencyCountOfRegion(filter).load(region.code),
    };
  },
};
