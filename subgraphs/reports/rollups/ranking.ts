// Query.ranking: the child regions of a region, or the agencies of one level in its subtree,
// ordered by a metric. Child regions are ranked on their rollups (the same numbers their
// Region.disclosure shows); agencies on their own current report — confirmed agencies only, as
// the rollups count them.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { levelOfCodeSql, subtreePrefix } from '../../../lib/regions/codes.ts';
import type { RegionLevel } from '../../../lib/regions/divisions.ts';
import { addCounts, disclosureRates, disclosureRollups, emptyCounts, type DisclosureCounts } from './disclosureRollup.ts';

export type RankingMetric =
  | 'APPLICATIONS_RECEIVED'
  | 'APPLICATIONS_PER_AGENCY'
  | 'DENIAL_RATE'
  | 'CORRECTION_RATE'
  | 'LATE_COUNT'
  | 'MISSING_COUNT'
  | 'FLAGGED_COUNT'
  | 'FILING_RATE';

export interface RankingEntry {
  rank: number;
  value: number | null;
  regionCode: string | null;
  agencyId: number | null;
}

function metricOf(counts: DisclosureCounts, metric: RankingMetric): number | null {
  const rates = disclosureRates(counts);
  switch (metric) {
    case 'APPLICATIONS_RECEIVED':
      return counts.totals.applicationsReceived;
    case 'APPLICATIONS_PER_AGENCY':
      return counts.agencies > 0 ? counts.totals.applicationsReceived / counts.agencies : null;
    case 'DENIAL_RATE':
      return rates.denialRate;
    case 'CORRECTION_RATE':
      return rates.correctionRate;
    case 'LATE_COUNT':
      return counts.late;
    case 'MISSING_COUNT':
      return counts.missing;
    case 'FLAGGED_COUNT':
      return counts.flagged;
    case 'FILING_RATE':
      return rates.filingRate;
  }
}

/** Where a page of a ranking starts: after the entry of this value and region code or agency id. */
export type RankingPosition = [value: number | null, key: string | number];

const keyOf = (item: { regionCode: string | null; agencyId: number | null }): string | number => item.regionCode ?? item.agencyId!;

/**
 * Highest first unless ascending; entries without a value (no denominator) come last; equal
 * values in code or id order — a total order, so that a page after a position continues it.
 */
function ranked<T extends { value: number | null; regionCode: string | null; agencyId: number | null }>(
  items: T[],
  ascending: boolean,
  first: number,
  after: RankingPosition | null,
): (T & { rank: number })[] {
  const compare = (a: { value: number | null; key: string | number }, b: { value: number | null; key: string | number }): number => {
    if (a.value !== b.value) {
      if (a.value === null || b.value === null) return a.value === null ? 1 : -1;
      return ascending ? a.value - b.value : b.value - a.value;
    }
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  };
  const sorted = items.map((item) => ({ item, value: item.value, key: keyOf(item) })).sort(compare);
  const start = after ? sorted.findIndex((entry) => compare(entry, { value: after[0], key: after[1] }) > 0) : 0;
  if (start < 0) return [];
  return sorted.slice(start, start + first).map((entry, i) => ({ ...entry.item, rank: start + i + 1 }));
}

/** The `after` position of an entry of a ranking. */
export const rankingPosition = (entry: RankingEntry): RankingPosition => [entry.value, keyOf(entry)];

export async function rankChildRegions(
  em: EntityManager,
  regionCode: string,
  year: number,
  metric: RankingMetric,
  ascending: boolean,
  first: number,
  after: RankingPosition | null,
): Promise<RankingEntry[]> {
  const children = await sql<{ code: string }>(em, `select code from directory.region where parent_code = $1 order by code`, [regionCode]);
  const codes = children.map((c) => c.code);
  const rollups = codes.length ? await disclosureRollups(em, codes, year) : [];
  const items = codes.map((code, i) => ({
    regionCode: code,
    agencyId: null,
    value: metricOf(rollups[i]!.reduce(addCounts, emptyCounts()), metric),
  }));
  return ranked(items, ascending, first, after);
}

interface AgencyRow {
  agency_id: number;
  filed: boolean;
  is_late: boolean | null;
  flag_count: number | null;
  applications_received: number | null;
  denied: number | null;
  reconsiderations: number | null;
  reconsiderations_corrected: number | null;
  reconsiderations_pending: number | null;
  lawsuits: number | null;
  lawsuits_corrected: number | null;
  lawsuits_pending: number | null;
}

function agencyCounts(row: AgencyRow): DisclosureCounts {
  const counts = emptyCounts();
  counts.agencies = 1;
  counts.filed = row.filed ? 1 : 0;
  counts.missing = row.filed ? 0 : 1;
  counts.late = row.is_late ? 1 : 0;
  counts.flagged = (row.flag_count ?? 0) > 0 ? 1 : 0;
  const t = counts.totals;
  t.applicationsReceived = row.applications_received ?? 0;
  t.denied = row.denied ?? 0;
  t.reconsiderations = row.reconsiderations ?? 0;
  t.reconsiderationsCorrected = row.reconsiderations_corrected ?? 0;
  t.reconsiderationsPending = row.reconsiderations_pending ?? 0;
  t.lawsuits = row.lawsuits ?? 0;
  t.lawsuitsCorrected = row.lawsuits_corrected ?? 0;
  t.lawsuitsPending = row.lawsuits_pending ?? 0;
  return counts;
}

export async function rankAgencies(
  em: EntityManager,
  regionCode: string,
  level: RegionLevel,
  year: number,
  metric: RankingMetric,
  ascending: boolean,
  first: number,
  after: RankingPosition | null,
): Promise<RankingEntry[]> {
  const rows = await sql<AgencyRow>(
    em,
    `select a.id as agency_id, r.id is not null as filed, r.is_late, r.flag_count, r.applications_received, r.denied,
            r.reconsiderations, r.reconsiderations_corrected, r.reconsiderations_pending,
            r.lawsuits, r.lawsuits_corrected, r.lawsuits_pending
       from directory.agency a
       left join reports.annual_report r on r.agency_id = a.id and r.year = $3 and r.superseded_at is null
      where a.region_code like $1 and ${levelOfCodeSql('a.region_code')} = $2
        and coalesce(a.active_from, 0) <= $3 and coalesce(a.active_to, 9999) >= $3
        and a.review_status = 'CONFIRMED'
      order by a.id`,
    [`${subtreePrefix(regionCode)}%`, level, year],
  );
  const items = rows.map((row) => ({ regionCode: null, agencyId: row.agency_id, value: metricOf(agencyCounts(row), metric) }));
  return ranked(items, ascending, first, after);
}
