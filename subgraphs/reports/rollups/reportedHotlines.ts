// Region.reportedHotlines(year): the hotline.<line>.<metric> figures of a subtree's current
// reports (of confirmed agencies, as every rollup), per line, for a whole batch of regions in one statement. Counts add up; rates do not,
// so they are averaged over the reports that state them. The filter `f.key like 'hotline.%'` is
// the predicate of figure_hotline_idx, the same expression: reworded, the index no longer
// applies and every figure of every report is read (docs/performance.md; a test holds the plan).
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { subtreeRootsSql, subtreesRange } from '../../../lib/regions/codes.ts';
import { HOTLINE_LINES, HOTLINE_METRICS } from '../figures/vocabulary.ts';
import { UNCONFIRMED_AGENCIES } from './disclosureRollup.ts';

export type ReportedHotlineTotals = { line: string; reports: number } & Record<string, unknown>;

export async function reportedHotlines(em: EntityManager, codes: readonly string[], year: number): Promise<ReportedHotlineTotals[][]> {
  const rows = await sql<{ code: string; line: string; metric: string | null; total: number; mean: number; reports: number }>(
    em,
    `select b.code, split_part(f.key, '.', 2) as line, split_part(f.key, '.', 3) as metric,
            sum(f.value) as total, avg(f.value) as mean, count(distinct r.id)::int as reports
       from reports.annual_report r
       cross join lateral ${subtreeRootsSql('r.region_code', codes)} as c(code)
       join unnest($1::text[]) as b(code) on b.code = c.code
       join reports.figure f on f.report_id = r.id and f.key like 'hotline.%'
      where r.year = $4 and r.superseded_at is null and r.region_code >= $2 and r.region_code < $3
        and r.agency_id not in (${UNCONFIRMED_AGENCIES})
      -- (code, line) rows count the reports stating anything of the line; (code, line, metric) rows the figures
      group by grouping sets ((1, 2, 3), (1, 2))`,
    [[...codes], ...subtreesRange(codes), year],
  );
  const units = new Map<string, string>(HOTLINE_METRICS.map(([metric, , unit]) => [metric, unit]));
  return codes.map((code) => {
    const mine = rows.filter((row) => row.code === code);
    return HOTLINE_LINES.flatMap((line) => {
      const ofLine = mine.filter((row) => row.line === line);
      if (!ofLine.length) return [];
      const values = Object.fromEntries(
        HOTLINE_METRICS.map(([metric]) => {
          const row = ofLine.find((r) => r.metric === metric);
          return [metric, row ? (units.get(metric) === 'PERCENT' ? row.mean : row.total) : null];
        }),
      );
      return [{ line, reports: ofLine.find((row) => row.metric === null)?.reports ?? 0, ...values }];
    });
  });
}
