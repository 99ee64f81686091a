import { yearArgument } from '../../../lib/graphql/arguments.ts';
import type { ReportsContext } from '../loaders.ts';
import { invalidArgument } from '../../../lib/graphql/errors.ts';
import { addCounts, disclosureRates, emptyCounts, type LevelRollup } from '../rollups/disclosureRollup.ts';

const MAX_TREND_YEARS = 30;

/** A DisclosureRollup: the region's levels, their sum, and the rates of both. */
function disclosureRollup(year: number, byLevel: LevelRollup[]) {
  const whole = byLevel.reduce(addCounts, emptyCounts());
  return {
    year,
    ...whole,
    rates: disclosureRates(whole),
    byLevel: byLevel.map((level) => ({ ...level, rates: disclosureRates(level) })),
  };
}

export const regionResolvers = {
  __resolveReference: (ref: { code: string }) => ref,
  disclosure: async (region: { code: string }, args: { year: number }, { loaders }: ReportsContext) => {
    const year = yearArgument('year', args.year)!;
    return disclosureRollup(year, await loaders.disclosure(year).load(region.code));
  },
  disclosureTrend: async (region: { code: string }, args: { from: number; to: number }, { loaders }: ReportsContext) => {
    const from = yearArgument('from', args.from)!;
    const to = yearArgument('to', args.to)!;
    if (to < from) throw invalidArgument('to', `to (${to}) is before from (${from}); give from ≤ to`);
    if (to - from + 1 > MAX_TREND_YEARS) throw invalidArgument('to', `at most ${MAX_TREND_YEARS} years at a time, got ${from}–${to}; narrow from/to`);
    const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const series = await loaders.disclosureTrend(years).load(region.code);
    return years.map((year, i) => disclosureRollup(year, series[i]!));
  },
  reportedHotlines: (region: { code: string }, args: { year: number }, { loaders }: ReportsContext) =>
    loaders.hotlines(yearArgument('year', args.year)!).load(region.code),
};
