// HotlineFigures.byMonth: the figures of a period's scope per calendar month (China Standard
// Time, as the period itself), from the same statement as the period's totals (rollupRowsSql)
// with the month added to each scope's key, so the months add up to the totals. Every month of
// the period is listed, one without tickets with zeros, so that a chart has no gaps.
import type { EntityManager } from '@mikro-orm/postgresql';
import { subtreePrefix } from '../../../lib/regions/codes.ts';
import type { Period } from './period.ts';
import { agencyScopes, regionScopes, rollup, type Figures } from './rollupSql.ts';

/** Where a HotlineFigures came from, so that byMonth can ask the same of every month. */
export type SeriesScope = { kind: 'region'; includeSubtree: boolean } | { kind: 'agency' };

export interface MonthFigures extends Figures {
  /** YYYY-MM. */
  month: string;
}

const lastDayOfMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/**
 * The longest series byMonth gives: ten years of months. Without it a period of 1949–2100 would
 * make 1 824 rows per region, and a few hundred regions in one request a costly statement.
 */
export const MAX_SERIES_MONTHS = 120;

/** The months (YYYY-MM) a period touches, first to last. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  let [y, m] = period.from.split('-').map(Number) as [number, number];
  const last = period.to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    months.push(month);
    if (month >= last) return months;
    if (++m > 12) [y, m] = [y + 1, 1];
  }
}

/** The monthly figures of each key (region code or agency id) of a batch: one SQL statement. */
export async function monthlyFigures(
  em: EntityManager,
  keys: readonly string[],
  period: Period,
  scope: SeriesScope,
): Promise<MonthFigures[][]> {
  const source = scope.kind === 'region' ? regionScopes(keys, scope.includeSubtree, subtreePrefix) : agencyScopes(keys);
  const months = monthsOf(period);
  const figures = await rollup(
    em,
    source,
    period,
    keys.flatMap((key) => months.map((month) => `${key}|${month}`)),
    { breakdowns: false, monthly: true },
  );
  return keys.map((_, i) =>
    months.map((month, j) => {
      const first = `${month}-01`;
      const last = lastDayOfMonth(month);
      return {
        ...figures[i * months.length + j]!,
        month,
        from: first > period.from ? first : period.from,
        to: last < period.to ? last : period.to,
      };
    }),
  );
}
