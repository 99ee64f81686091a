import type { ReportsContext } from '../loaders.ts';
import { yearArgument } from '../../../lib/graphql/arguments.ts';

export const regionResolvers = {
  __resolveReference: (ref: { code: string }) => ref,
  reportsFiled: (region: { code: string }, args: { year: number }, { loaders }: ReportsContext) =>
    loaders.reportsFiled(yearArgument('year', args.year)!).load(region.code),
};
