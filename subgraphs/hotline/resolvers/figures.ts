import type { HotlineContext, ReferenceKind } from '../loaders.ts';
import type { Figures } from '../rollups/rollupSql.ts';
import type { Period } from '../rollups/period.ts';
import type { SeriesScope } from '../rollups/monthly.ts';

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
  byMonth: (f: ScopedFigures, _: unknown, { loaders }: HotlineContext) =>
    loaders.monthFigures(f.series).load(f.key!),
};

export const countResolvers = {
  name: async (c: Count, _: unknown, { loaders }: HotlineContext) => (await loaders.referenceRow(c.kind, c.code))?.name ?? null,
};
