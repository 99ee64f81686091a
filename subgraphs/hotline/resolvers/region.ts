import type { HotlineContext } from '../loaders.ts';
import { yearArgument } from '../../../lib/graphql/arguments.ts';

export const regionResolvers = {
  __resolveReference: (ref: { code: string }) => ref,
  hotlineTicketsReceived: (region: { code: string }, args: { year: number }, { loaders }: HotlineContext) =>
    loaders.ticketsReceived(yearArgument('year', args.year)!).load(region.code),
};
