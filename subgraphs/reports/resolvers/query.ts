import type { RegionLevel } from '../../../lib/regions/divisions.ts';
import { idArgument, pageSizeArgument, regionCodeArgument, yearArgument } from '../../../lib/graphql/arguments.ts';
import { decodeCursor, encodeCursor, isNonNegativeInteger } from '../../../lib/graphql/cursor.ts';
import type { ReportsContext } from '../loaders.ts';
import { demand } from '../../../lib/auth/policy.ts';
import { visibleReport } from './annualReport.ts';
import { countFlags, flagPosition, listFlags, type FlagFilter, type FlagPosition } from '../oversight/flagListing.ts';
import type { Severity } from '../oversight/flag.ts';
import { rankAgencies, rankChildRegions, rankingPosition, type RankingMetric, type RankingPosition } from '../rollups/ranking.ts';

// (agency id, flag code, flag id): integers of integer columns, and a code as flags spell them
const isFlagPosition = (value: unknown): value is FlagPosition =>
  Array.isArray(value) && value.length === 3 && isNonNegativeInteger(value[0]) && typeof value[1] === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(value[1]) && isNonNegativeInteger(value[2]);

interface FlagsArgs {
  regionCode: string;
  year: number;
  code?: string | null;
  severity?: Severity | null;
  first?: number | null;
  after?: string | null;
}

interface RankingArgs {
  regionCode: string;
  year: number;
  metric: RankingMetric;
  level?: RegionLevel | null;
  ascending?: boolean | null;
  first?: number | null;
  after?: string | null;
}

// (value, region code or agency id): a finite number or null, and a key of the kind ranked
const isRankingPosition = (value: unknown): value is RankingPosition =>
  Array.isArray(value) &&
  value.length === 2 &&
  (value[0] === null || Number.isFinite(value[0])) &&
  ((typeof value[1] === 'string' && /^[1-9][0-9]{5}$/.test(value[1])) || (isNonNegativeInteger(value[1]) && value[1] > 0));

export const queryResolvers = {
  annualReport: async (_: unknown, args: { id: string }, context: ReportsContext) =>
    visibleReport(await context.loaders.reportById.load(idArgument('id', args.id)), context),

  flags: async (_: unknown, args: FlagsArgs, { em, identity }: ReportsContext) => {
    const regionCode = regionCodeArgument('regionCode', args.regionCode);
    demand(identity, 'read-internal', regionCode, `the flags of region ${regionCode}`);
    const filter: FlagFilter = {
      regionCode,
      year: yearArgument('year', args.year)!,
      code: args.code?.trim() || null,
      severity: args.severity ?? null,
    };
    const first = pageSizeArgument('first', args.first ?? 50, 500);
    const after = args.after ? decodeCursor('flag', args.after, isFlagPosition) : null;
    const { flags, hasNextPage } = await listFlags(em, filter, { first, after });
    const edges = flags.map((node) => ({ cursor: encodeCursor('flag', flagPosition(node)), node }));
    return {
      edges,
      nodes: flags,
      pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: () => countFlags(em, filter),
    };
  },

  ranking: async (_: unknown, args: RankingArgs, { em, identity }: ReportsContext) => {
    const regionCode = regionCodeArgument('regionCode', args.regionCode);
    // Ranking agencies by FLAGGED_COUNT says which agencies are flagged: flag data, under the
    // rule of `flags` (docs/security.md). Child regions rank on their rollups, which are public.
    if (args.level && args.metric === 'FLAGGED_COUNT') {
      demand(identity, 'read-internal', regionCode, `the flags of the agencies of region ${regionCode} (ranking by FLAGGED_COUNT)`);
    }
    const year = yearArgument('year', args.year)!;
    const first = pageSizeArgument('first', args.first ?? 50, 1000);
    const ascending = args.ascending ?? false;
    // The cursor names its ranking: a position in another one (metric, region, order…) would
    // silently skip or repeat entries, so it is refused.
    const kind = ['ranking', regionCode, year, args.metric, args.level ?? 'CHILD_REGIONS', ascending ? 'ASC' : 'DESC'].join(':');
    const after = args.after ? decodeCursor(kind, args.after, isRankingPosition) : null;
    const entries = args.level
      ? await rankAgencies(em, regionCode, args.level, year, args.metric, ascending, first, after)
      : await rankChildRegions(em, regionCode, year, args.metric, ascending, first, after);
    return entries.map((entry) => ({
      cursor: encodeCursor(kind, rankingPosition(entry)),
      rank: entry.rank,
      value: entry.value,
      region: entry.regionCode ? { code: entry.regionCode } : null,
      agency: entry.agencyId ? { id: String(entry.agencyId) } : null,
    }));
  },
};
