import type { HotlineContext } from '../loaders.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { selectsAnyOf } from '../../../lib/graphql/selection.ts';
import { periodArguments, type PeriodArgs } from '../rollups/period.ts';
import { scoped } from './figures.ts';

export const regionResolvers = {
  __resolveReference: (ref: { code: string }) => ref,
  hotlineTicketsReceived: async (region: { code: string }, args: { year: number }, { loaders }: HotlineContext) =>
    (await loaders.regionFigures({ period: periodArguments({ year: args.year }), includeSubtree: true, breakdowns: false }).load(region.code))
      .received,
  hotline: async (region: { code: string }, args: PeriodArgs & { includeSubtree?: boolean | null }, { loaders }: HotlineContext, info: GraphQLResolveInfo) => {
    const period = periodArguments(args);
    const includeSubtree = args.includeSubtree ?? true;
    const figures = await loaders
      .regionFigures({
        period,
        includeSubtree,
        // the per-category/line/channel counts cost a second aggregation: only when asked for
        breakdowns: selectsAnyOf(info, ['byCategory', 'byLine', 'byChannel']),
      })
      .load(region.code);
    return scoped(figures, period, { kind: 'region', includeSubtree });
  },
};
