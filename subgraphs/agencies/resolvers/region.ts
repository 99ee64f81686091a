import type { AgenciesContext } from '../loaders.ts';
import type { Region } from '../entities/Region.ts';
import { ancestorCodeCandidates } from '../../../lib/regions/codes.ts';
import { pageSizeArgument, searchArgument } from '../../../lib/graphql/arguments.ts';

interface RegionAgenciesFieldArgs {
  sector?: string | null;
  search?: string | null;
  includeSubtree?: boolean | null;
  first?: number | null;
}

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
      .agenciesOfRegion({
        sector: args.sector ?? null,
        search: searchArgument('search', args.search),
        includeSubtree: args.includeSubtree ?? false,
        first: pageSizeArgument('first', args.first ?? 100, 1000),
      })
      .load(region.code),
};
