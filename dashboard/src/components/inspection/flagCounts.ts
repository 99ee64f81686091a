// How many flags of each code a subtree has in a year. The API has no count-by-code field:
// each code is a Query.flags with that code, of which only totalCount is selected (one SQL
// count each, no rows), as aliases of one request. A code the list below does not know is in
// `all` only, shown as the difference.
import { graphql } from '../../gql';
import type { FlagsCountsQuery } from '../../gql/graphql';

export const FlagsCounts = graphql(`
  query FlagsCounts($regionCode: ID!, $year: Int!) {
    all: flags(regionCode: $regionCode, year: $year, first: 1) { totalCount }
    error: flags(regionCode: $regionCode, year: $year, severity: ERROR, first: 1) { totalCount }
    warning: flags(regionCode: $regionCode, year: $year, severity: WARNING, first: 1) { totalCount }
    info: flags(regionCode: $regionCode, year: $year, severity: INFO, first: 1) { totalCount }
    MISSING_REPORT: flags(regionCode: $regionCode, year: $year, code: "MISSING_REPORT", first: 1) { totalCount }
    LATE_PUBLICATION: flags(regionCode: $regionCode, year: $year, code: "LATE_PUBLICATION", first: 1) { totalCount }
    APPLICATION_IDENTITY: flags(regionCode: $regionCode, year: $year, code: "APPLICATION_IDENTITY", first: 1) { totalCount }
    APPLICANT_ROW_TOTAL: flags(regionCode: $regionCode, year: $year, code: "APPLICANT_ROW_TOTAL", first: 1) { totalCount }
    SUBTOTAL_MISMATCH: flags(regionCode: $regionCode, year: $year, code: "SUBTOTAL_MISMATCH", first: 1) { totalCount }
    OUTCOME_TOTAL_MISMATCH: flags(regionCode: $regionCode, year: $year, code: "OUTCOME_TOTAL_MISMATCH", first: 1) { totalCount }
    REVIEW_TOTAL_MISMATCH: flags(regionCode: $regionCode, year: $year, code: "REVIEW_TOTAL_MISMATCH", first: 1) { totalCount }
    PROSE_CONTRADICTS_TABLE: flags(regionCode: $regionCode, year: $year, code: "PROSE_CONTRADICTS_TABLE", first: 1) { totalCount }
    CARRY_OVER_CHAIN: flags(regionCode: $regionCode, year: $year, code: "CARRY_OVER_CHAIN", first: 1) { totalCount }
    CUMULATIVE_DECREASE: flags(regionCode: $regionCode, year: $year, code: "CUMULATIVE_DECREASE", first: 1) { totalCount }
    NEAR_DUPLICATE_TEXT: flags(regionCode: $regionCode, year: $year, code: "NEAR_DUPLICATE_TEXT", first: 1) { totalCount }
    NEEDS_REVIEW: flags(regionCode: $regionCode, year: $year, code: "NEEDS_REVIEW", first: 1) { totalCount }
    EXTRACTION_AMBIGUOUS_CELL_SPLIT: flags(regionCode: $regionCode, year: $year, code: "EXTRACTION_AMBIGUOUS_CELL_SPLIT", first: 1) { totalCount }
    EXTRACTION_UNREADABLE_TABLE_ROW: flags(regionCode: $regionCode, year: $year, code: "EXTRACTION_UNREADABLE_TABLE_ROW", first: 1) { totalCount }
    EXTRACTION_EXTRA_TABLE_CELLS: flags(regionCode: $regionCode, year: $year, code: "EXTRACTION_EXTRA_TABLE_CELLS", first: 1) { totalCount }
    EXTRACTION_BLANK_TABLE_CELLS: flags(regionCode: $regionCode, year: $year, code: "EXTRACTION_BLANK_TABLE_CELLS", first: 1) { totalCount }
    EXTRACTION_NO_TEXT_LAYER: flags(regionCode: $regionCode, year: $year, code: "EXTRACTION_NO_TEXT_LAYER", first: 1) { totalCount }
    EXTRACTION_REGION_UNRESOLVED: flags(regionCode: $regionCode, year: $year, code: "EXTRACTION_REGION_UNRESOLVED", first: 1) { totalCount }
    EXTRACTION_YEAR_UNRESOLVED: flags(regionCode: $regionCode, year: $year, code: "EXTRACTION_YEAR_UNRESOLVED", first: 1) { totalCount }
    EXTRACTION_REGION_NAME_CORRECTED: flags(regionCode: $regionCode, year: $year, code: "EXTRACTION_REGION_NAME_CORRECTED", first: 1) { totalCount }
    EXTRACTION_SUMMED_BREAKDOWN: flags(regionCode: $regionCode, year: $year, code: "EXTRACTION_SUMMED_BREAKDOWN", first: 1) { totalCount }
  }
`);

export interface CodeCount {
  code: string;
  count: number;
}

const NOT_CODES = new Set(['all', 'error', 'warning', 'info']);

/** The codes with at least one flag, most first; null when the counts were refused. */
export function codeCounts(data: FlagsCountsQuery): CodeCount[] | null {
  if (!data.all) return null;
  const counts = Object.entries(data)
    .filter(([alias]) => !NOT_CODES.has(alias))
    .map(([code, connection]) => ({ code, count: (connection as { totalCount: number } | null)?.totalCount ?? 0 }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return counts;
}

/** Flags whose code the aliases above do not cover (a code added to the API later). */
export function uncountedFlags(data: FlagsCountsQuery): number {
  const counted = (codeCounts(data) ?? []).reduce((sum, entry) => sum + entry.count, 0);
  return (data.all?.totalCount ?? 0) - counted;
}
