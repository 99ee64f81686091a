// Region.disclosure(year): for every region of a batch, in one SQL statement, the expected
// filers (confirmed agencies of the directory read model), the reports filed (by confirmed
// agencies), and their headline figures summed per level of the reporting agency. The region's own totals are the sum over its levels, so the
// invariant totals = Σ byLevel holds by construction.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { levelOfCode, levelOfCodeSql, subtreeRootsSql, subtreesRange } from '../../../lib/regions/codes.ts';
import type { RegionLevel } from '../../../lib/regions/divisions.ts';

export interface DisclosureTotals {
  proactiveTotal: number;
  applicationsReceived: number;
  granted: number;
  partial: number;
  denied: number;
  reconsiderations: number;
  reconsiderationsCorrected: number;
  reconsiderationsPending: number;
  lawsuits: number;
  lawsuitsCorrected: number;
  lawsuitsPending: number;
  feesAmount: number;
}

export interface DisclosureCounts {
  agencies: number;
  filed: number;
  missing: number;
  late: number;
  flagged: number;
  totals: DisclosureTotals;
}

export interface LevelRollup extends DisclosureCounts {
  level: RegionLevel;
}

const TOTAL_COLUMNS: [keyof DisclosureTotals, string][] = [
  ['proactiveTotal', 'proactive_total'],
  ['applicationsReceived', 'applications_received'],
  ['granted', 'granted'],
  ['partial', 'partial'],
  ['denied', 'denied'],
  ['reconsiderations', 'reconsiderations'],
  ['reconsiderationsCorrected', 'reconsiderations_corrected'],
  ['reconsiderationsPending', 'reconsiderations_pending'],
  ['lawsuits', 'lawsuits'],
  ['lawsuitsCorrected', 'lawsuits_corrected'],
  ['lawsuitsPending', 'lawsuits_pending'],
  ['feesAmount', 'fees_amount'],
];

const LEVELS: RegionLevel[] = ['PROVINCE', 'CITY', 'COUNTY'];

/**
 * The agencies whose reports no rollup counts yet: those ingestion registered and no editor has
 * confirmed (directory.agency.review_status). Few at any time, and indexed by their owner for
 * exactly this predicate: `r.agency_id not in (…)` is one hashed lookup per report.
 */
export const UNCONFIRMED_AGENCIES = `select id from directory.agency where review_status <> 'CONFIRMED'`;

/** The levels a region's subtree can hold: a city's has no PROVINCE agencies. */
export const levelsBelow = (code: string): RegionLevel[] => LEVELS.slice(LEVELS.indexOf(levelOfCode(code)));

export const emptyTotals = (): DisclosureTotals =>
  Object.fromEntries(TOTAL_COLUMNS.map(([field]) => [field, 0])) as unknown as DisclosureTotals;

export function addCounts(into: DisclosureCounts, from: DisclosureCounts): DisclosureCounts {
  into.agencies += from.agencies;
  into.filed += from.filed;
  into.missing += from.missing;
  into.late += from.late;
  into.flagged += from.flagged;
  for (const [field] of TOTAL_COLUMNS) into.totals[field] += from.totals[field];
  return into;
}

export const emptyCounts = (): DisclosureCounts => ({ agencies: 0, filed: 0, missing: 0, late: 0, flagged: 0, totals: emptyTotals() });

/**
 * A sum that does not depend on the order the plan adds the rows in. The counts are whole numbers,
 * which double precision adds exactly in any order (below 2^53); fees (万元) are fractions, summed
 * as numeric. Only fees: numeric sums of all twelve columns cost 15–20 ms per province batch and
 * ~350 ms for the country's 134 000 reports (docs/performance.md, "Where a miss spends its time").
 */
const sumOf = (expression: string, column: string): string => (column === 'fees_amount' ? `sum(${expression}::numeric)` : `sum(${expression})`);

type RollupRow = { code: string; year: number; level: RegionLevel; agencies: string; missing: string; filed: string; late: string; flagged: string } & Record<
  string,
  number | string
>;

/** The rollups of a batch of regions in one year: a series of one. */
export async function disclosureRollups(em: EntityManager, codes: readonly string[], year: number): Promise<LevelRollup[][]> {
  return (await disclosureSeries(em, codes, [year])).map(([levels]) => levels!);
}

/**
 * The rollups of a batch of regions in each of some years (Region.disclosure and
 * Region.disclosureTrend): per region, per year in the order given, per level. One SQL statement;
 * each year is counted as it would be alone (its expected filers are the agencies active in it).
 */
export async function disclosureSeries(em: EntityManager, codes: readonly string[], years: readonly number[]): Promise<LevelRollup[][][]> {
  const columns = TOTAL_COLUMNS.map(([, column]) => column);
  // Counted once per region code over the batch's union range, then added into every region of
  // the batch whose subtree holds that code (an equality hash join; docs/performance.md).
  // "Missing": each expected filer is first joined (a hash join) to the year's current reports
  // of the batch's own range, read index-only from annual_report_rollup_idx — that finds nearly
  // all of them; only those not found there are probed for a report anywhere (one filed under
  // another region code still counts). A probe per agency cost ~250 ms for the country's
  // 137 510 and ~10 ms of a province's ~20 (docs/performance.md). annual_report_current_idx is
  // unique, so the join adds no rows. The active-years test is written with
  // coalesce on purpose: spelled `active_from is null or …`, the planner's better estimate made
  // it hash-join the whole country's reports for a province too (四川: 35–45 ms, not 15–25).
  // Only confirmed agencies are expected filers, and the reports of the others (registered by
  // ingestion, awaiting an editor) are left out: a hashed subplan over the few unconfirmed
  // agencies, which the directory's partial index lists (docs/read-models.md).
  const rows = await sql<RollupRow>(
    em,
    `with by_code as (
       select coalesce(e.region_code, f.region_code) as region_code, coalesce(e.year, f.year) as year,
              coalesce(e.agencies, 0) as agencies, coalesce(e.missing, 0) as missing, coalesce(f.filed, 0) as filed,
              coalesce(f.late, 0) as late, coalesce(f.flagged, 0) as flagged, ${columns.map((c) => `f.${c}`).join(', ')}
         from (select a.region_code, y.year, count(*) as agencies,
                      count(*) filter (where r.agency_id is null and not exists (
                        select 1 from reports.annual_report o where o.agency_id = a.id and o.year = y.year and o.superseded_at is null)) as missing
                 from directory.agency a
                 cross join unnest($4::int[]) as y(year)
                 left join (select agency_id, year from reports.annual_report
                             where year = any($4::int[]) and superseded_at is null and region_code >= $2 and region_code < $3) r
                        on r.agency_id = a.id and r.year = y.year
                where a.region_code >= $2 and a.region_code < $3
                  and coalesce(a.active_from, 0) <= y.year and coalesce(a.active_to, 9999) >= y.year
                  and a.review_status = 'CONFIRMED'
                group by a.region_code, y.year) e
         full join (
               select r.region_code, r.year, count(*) as filed, count(*) filter (where r.is_late) as late,
                      count(*) filter (where r.flag_count > 0) as flagged,
                      ${columns.map((c) => `${sumOf(`r.${c}`, c)} as ${c}`).join(', ')}
                 from reports.annual_report r
                where r.year = any($4::int[]) and r.superseded_at is null and r.region_code >= $2 and r.region_code < $3
                  and r.agency_id not in (${UNCONFIRMED_AGENCIES})
                group by r.region_code, r.year) f on f.region_code = e.region_code and f.year = e.year
     )
     select b.code, x.year::int as year, ${levelOfCodeSql('x.region_code')} as level,
            sum(x.agencies) as agencies, sum(x.missing) as missing, sum(x.filed) as filed, sum(x.late) as late,
            sum(x.flagged) as flagged, ${columns.map((c) => `coalesce(sum(x.${c}), 0) as ${c}`).join(', ')}
       from by_code x
       cross join lateral ${subtreeRootsSql('x.region_code', codes)} as c(code)
       join unnest($1::text[]) as b(code) on b.code = c.code
      group by 1, 2, 3`,
    [[...codes], ...subtreesRange(codes), [...years]],
  );
  const found = new Map(rows.map((row) => [`${row.code}:${row.year}:${row.level}`, row]));
  return codes.map((code) =>
    years.map((year) => levelsBelow(code).map((level) => {
      const row = found.get(`${code}:${year}:${level}`);
      return {
        level,
        agencies: Number(row?.agencies ?? 0),
        filed: Number(row?.filed ?? 0),
        missing: Number(row?.missing ?? 0),
        late: Number(row?.late ?? 0),
        flagged: Number(row?.flagged ?? 0),
        totals: Object.fromEntries(TOTAL_COLUMNS.map(([field, column]) => [field, Number(row?.[column] ?? 0)])) as unknown as DisclosureTotals,
      };
    })),
  );
}

/** Denial rate and 纠错率 in percent; null where the denominator is zero. */
export function disclosureRates(counts: DisclosureCounts) {
  const t = counts.totals;
  const ratio = (part: number, whole: number) => (whole > 0 ? (100 * part) / whole : null);
  const concluded = t.reconsiderations - t.reconsiderationsPending + t.lawsuits - t.lawsuitsPending;
  return {
    denialRate: ratio(t.denied, t.applicationsReceived),
    correctionRate: ratio(t.reconsiderationsCorrected + t.lawsuitsCorrected, concluded),
    filingRate: ratio(counts.filed, counts.agencies),
    lateRate: ratio(counts.late, counts.filed),
  };
}
