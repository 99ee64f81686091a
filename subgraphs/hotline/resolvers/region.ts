import type { HotlineContext } from '../loaders.ts';
import { yearArgument } from '../../../lib/graphql/arguments.ts';
import { periodArguments, type PeriodArgs } from '../rollups/period.ts';

export const regionResolvers = {
  __resolveReference: (ref: { code: string }) => ref,
  hotlineTicketsReceived: (region: { code: string }, args: { year: number }, { loaders }: HotlineContext) =>
    loaders.ticketsReceived(yearArgument('year', args.year)!).load(region.code),
  hotline: (region: { code: string }, args: PeriodArgs & { includeSubtree?: boolean | null }, { loaders }: HotlineContext) =>
    loaders.regionFigures({ period: periodArguments(args), includeSubtree: args.includeSubtree ?? true }).load(region.code),
};
