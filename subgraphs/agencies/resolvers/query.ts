import type { AgenciesContext } from '../loaders.ts';
import type { ReviewStatus } from '../entities/Agency.ts';
import { RegionSchema } from '../entities/Region.ts';
import { SectorSchema } from '../entities/Sector.ts';
import type { RegionLevel } from '../../../lib/regions/divisions.ts';
import { placeholderDivisions } from '../../../lib/regions/divisions.ts';
import { likeContains } from '../../../lib/database/like.ts';
import { sql } from '../../../lib/database/sql.ts';
import { clientError } from '../../../lib/graphql/errors.ts';
import { decodeCursor, encodeCursor, isNonNegativeInteger } from '../../../lib/graphql/cursor.ts';
import { countAgencies, findAgencyPage, type AgencyFilter } from '../directory/searchAgencies.ts';
import { idArgument, pageSizeArgument, regionCodeArgument, searchArgument } from '../../../lib/graphql/arguments.ts';

interface AgenciesArgs {
  regionCode?: string | null;
  includeSubtree?: boolean | null;
  sector?: string | null;
  level?: RegionLevel | null;
  search?: string | null;
  reviewStatus?: ReviewStatus | null;
  first?: number | null;
  after?: string | null;
}

function refusePlaceholder(code: string): void {
  const placeholder = placeholderDivisions().find((p) => p.code === code);
  if (placeholder) {
    throw clientError(
      'REGION_PLACEHOLDER',
      `${code} (${placeholder.name}) is a placeholder in GB/T 2260, not a region; its county-level units belong to ${placeholder.provinceCode}`,
      { provinceCode: placeholder.provinceCode },
    );
  }
}

export const queryResolvers = {
  region: (_: unknown, args: { code: string }, { loaders }: AgenciesContext) => {
    const code = regionCodeArgument('code', args.code);
    refusePlaceholder(code);
    return loaders.regionByCode.load(code);
  },

  regions: async (
    _: unknown,
    args: { level?: RegionLevel | null; parentCode?: string | null; search?: string | null },
    { em }: AgenciesContext,
  ) => {
    const search = searchArgument('search', args.search);
    const rows = await sql<Record<string, unknown>>(
      em,
      `select * from agencies.region
        where ($1::text is null or level = $1)
          and ($2::text is null or parent_code = $2)
          and ($3::text is null or name ilike $3)
        order by code`,
      [args.level ?? null, args.parentCode ? regionCodeArgument('parentCode', args.parentCode) : null, search && likeContains(search)],
    );
    return rows.map((row) => em.map(RegionSchema, row));
  },

  agency: (_: unknown, args: { id: string }, { loaders }: AgenciesContext) => loaders.agencyById.load(idArgument('id', args.id)),

  agencies: async (_: unknown, args: AgenciesArgs, { em }: AgenciesContext) => {
    const filter: AgencyFilter = {
      regionCode: args.regionCode ? regionCodeArgument('regionCode', args.regionCode) : null,
      includeSubtree: args.includeSubtree ?? false,
      sector: args.sector ?? null,
      level: args.level ?? null,
      search: searchArgument('search', args.search),
      reviewStatus: args.reviewStatus ?? null,
    };
    const first = pageSizeArgument('first', args.first ?? 50, 500);
    const afterId = args.after ? decodeCursor('agency', args.after, isNonNegativeInteger) : null;
    const { agencies, hasNextPage } = await findAgencyPage(em, filter, { first, afterId });
    const edges = agencies.map((node) => ({ cursor: encodeCursor('agency', node.id), node }));
    return {
      edges,
      nodes: agencies,
      pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      // A function: graphql-js calls it only when the client selects totalCount.
      totalCount: () => countAgencies(em, filter),
    };
  },

  sectors: (_: unknown, __: unknown, { em }: AgenciesContext) => em.find(SectorSchema, {}, { orderBy: { position: 'asc' } }),
};
