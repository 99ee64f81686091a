import type { HotlineContext } from '../loaders.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { selectsAnyOf } from '../../../lib/graphql/selection.ts';
import { periodArguments, type PeriodArgs } from '../rollups/period.ts';

export const regionResolvers = {
  __resolveReference: (ref: { code: string }) => ref,
  hotlineTicketsReceived: async (region: { code: string }, args: { year: number }, { loaders }: HotlineContext) =>
    (await loaders.regionFigures({ period: periodArguments({ year: args.year }), includeSubtree: true, breakdowns: false }).load(region.code))
      .received,
  hotline: (region: { code: string }, args: PeriodArgs & { includeSubtree?: boolean | null }, { loaders }: HotlineContext, info: GraphQLResolveInfo) =>
    loaders
      .regionFigures({
        period: periodArguments(args),
        includeSubtree: args.includeSubtree ?? true,
        // the per-category/line/channel counts cost a second aggregation: only when asked for
        breakdowns: selectsAnyOf(info, ['byCategory', 'byLine', 'byChannel']),
      })
      .load(region.code),
};
