import { yearArgument } from '../../../lib/graphql/arguments.ts';
import type { ReportsContext } from '../loaders.ts';
import { addCounts, disclosureRates, emptyCounts } from '../rollups/disclosureRollup.ts';

export const regionResolvers = {
  __resolveReference: (ref: { code: string }) => ref,
  disclosure: async (region: { code: string }, args: { year: number }, { loaders }: ReportsContext) => {
    const year = yearArgument('year', args.year)!;
    const byLevel = await loaders.disclosure(year).load(region.code);
    const whole = byLevel.reduce(addCounts, emptyCounts());
    return {
      year,
      ...whole,
      rates: disclosureRates(whole),
      byLevel: byLevel.map((level) => ({ ...level, rates: disclosureRates(level) })),
    };
  },
  reportedHotlines: (region: { code: string }, args: { year: number }, { loaders }: ReportsContext) =>
    loaders.hotlines(yearArgument('year', args.year)!).load(region.code),
};
