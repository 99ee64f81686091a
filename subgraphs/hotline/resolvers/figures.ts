import type { HotlineContext, ReferenceKind } from '../loaders.ts';
import type { Figures } from '../rollups/rollupSql.ts';
import type { Period } from '../rollups/period.ts';
import { MAX_SERIES_MONTHS, monthsOf, type SeriesScope } from '../rollups/monthly.ts';
import { clientError } from '../../../lib/graphql/errors.ts';

/** Figures as the resolvers return them: with their scope and period, which byMonth asks again per month. */
export type ScopedFigures = Figures & { series: { period: Period; scope: SeriesScope } };

export const scoped = (figures: Figures, period: Period, scope: SeriesScope): ScopedFigures => ({ ...figures, series: { period, scope } });

interface Count {
  kind: ReferenceKind;
  code: string | null;
  received: number;
}

const withKind = (kind: ReferenceKind, counts: { code: string | null; received: number }[]): Count[] =>
  counts.map((c) => ({ kind, ...c }));

export const figuresResolvers = {
  byCategory: (f: Figures) => withKind('category', f.byCategory),
  byLine: (f: Figures) => withKind('line', f.byLine),
  byChannel: (f: Figures) => withKind('channel', f.byChannel),
  byMonth: (f: ScopedFigures, _: unknown, { loaders }: HotlineContext) => {
    const months = monthsOf(f.series.period).length;
    if (months > MAX_SERIES_MONTHS) {
      throw clientError('BAD_USER_INPUT', `byMonth lists at most ${MAX_SERIES_MONTHS} months and this period has ${months}: ask for a shorter period (from/to or year)`);
    }
    return loaders.monthFigures(f.series).load(f.key!);
  },
};

export const countResolvers = {
  name: async (c: Count, _: unknown, { loaders }: HotlineContext) => (await loaders.referenceRow(c.kind, c.code))?.name ?? null,
};
