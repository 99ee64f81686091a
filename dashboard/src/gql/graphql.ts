/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What Query.ranking orders by: the rollup of a child region, or an agency's own report. */
export type RankingMetric =
  /** Applications received per expected filer (件 per agency). */
  | 'APPLICATIONS_PER_AGENCY'
  /** 本年新收政府信息公开申请数量 summed (件). */
  | 'APPLICATIONS_RECEIVED'
  /** 纠错率, percent: corrected / concluded reconsiderations and lawsuits. */
  | 'CORRECTION_RATE'
  /** 不予公开率, percent: denied / received. */
  | 'DENIAL_RATE'
  /** 报送率, percent: filed / expected filers. */
  | 'FILING_RATE'
  /** Reports with a WARNING or ERROR flag (份; for an agency 1 or 0). Ranking agencies by it is flag data. */
  | 'FLAGGED_COUNT'
  /** Reports published late (份; for an agency 1 or 0). */
  | 'LATE_COUNT'
  /** Expected filers without a report (个; for an agency 1 or 0). */
  | 'MISSING_COUNT';

/**
 * Administrative level (行政级别) of a region, and of an agency: the level of its jurisdiction's
 * region code, so a province's departments are PROVINCE level even when they sit in the capital city.
 */
export type RegionLevel =
  /** 市级: a prefecture-level city, 自治州, 地区 or 盟 (code XXYY00, e.g. 430100 长沙市). */
  | 'CITY'
  /** 县级: a county, county-level city, 市辖区 district, 旗 or development zone (any other code, e.g. 430102 芙蓉区). */
  | 'COUNTY'
  /** 省级: a province, autonomous region or 直辖市 (code XX0000, e.g. 430000 湖南省, 110000 北京市). */
  | 'PROVINCE';

/** How much a flag matters. */
export type Severity =
  /** The report contradicts itself or is missing: counted in `flagged`. */
  | 'ERROR'
  /** Worth knowing (blank table cells, a region or year the person ingesting supplied, a figure summed from its parts); not counted in `flagged`. */
  | 'INFO'
  /** To check: counted in `flagged`. */
  | 'WARNING';

export type CheckTokenQueryVariables = Exact<{ [key: string]: never; }>;


export type CheckTokenQuery = { sectors: Array<{ code: string }> };

export type FlagsCountsQueryVariables = Exact<{
  regionCode: string | number;
  year: number;
}>;


export type FlagsCountsQuery = { all: { totalCount: number } | null, error: { totalCount: number } | null, warning: { totalCount: number } | null, info: { totalCount: number } | null, MISSING_REPORT: { totalCount: number } | null, LATE_PUBLICATION: { totalCount: number } | null, APPLICATION_IDENTITY: { totalCount: number } | null, APPLICANT_ROW_TOTAL: { totalCount: number } | null, SUBTOTAL_MISMATCH: { totalCount: number } | null, OUTCOME_TOTAL_MISMATCH: { totalCount: number } | null, REVIEW_TOTAL_MISMATCH: { totalCount: number } | null, PROSE_CONTRADICTS_TABLE: { totalCount: number } | null, CARRY_OVER_CHAIN: { totalCount: number } | null, CUMULATIVE_DECREASE: { totalCount: number } | null, NEAR_DUPLICATE_TEXT: { totalCount: number } | null, NEEDS_REVIEW: { totalCount: number } | null, EXTRACTION_AMBIGUOUS_CELL_SPLIT: { totalCount: number } | null, EXTRACTION_UNREADABLE_TABLE_ROW: { totalCount: number } | null, EXTRACTION_EXTRA_TABLE_CELLS: { totalCount: number } | null, EXTRACTION_BLANK_TABLE_CELLS: { totalCount: number } | null, EXTRACTION_NO_TEXT_LAYER: { totalCount: number } | null, EXTRACTION_REGION_UNRESOLVED: { totalCount: number } | null, EXTRACTION_YEAR_UNRESOLVED: { totalCount: number } | null, EXTRACTION_REGION_NAME_CORRECTED: { totalCount: number } | null, EXTRACTION_SUMMED_BREAKDOWN: { totalCount: number } | null };

export type InspectionRegionQueryVariables = Exact<{
  code: string | number;
  from: number;
  to: number;
}>;


export type InspectionRegionQuery = { region: { code: string, name: string, level: RegionLevel, ancestors: Array<{ code: string, name: string }>, disclosureTrend: Array<{ year: number, agencies: number, filed: number }> } | null };

export type RegionViewTrendYearFragment = { year: number, agencies: number, filed: number, missing: number, late: number, flagged: number, totals: { applicationsReceived: number, granted: number, partial: number, denied: number, feesAmount: number }, rates: { denialRate: number | null, correctionRate: number | null, filingRate: number | null, lateRate: number | null }, byLevel: Array<{ level: RegionLevel, agencies: number, filed: number, missing: number, late: number, flagged: number, totals: { applicationsReceived: number, denied: number }, rates: { denialRate: number | null, correctionRate: number | null, filingRate: number | null, lateRate: number | null } }> };

export type RegionViewOverviewFragment = { code: string, name: string, level: RegionLevel, ancestors: Array<{ code: string, name: string, level: RegionLevel }>, disclosureTrend: Array<{ year: number, agencies: number, filed: number, missing: number, late: number, flagged: number, totals: { applicationsReceived: number, granted: number, partial: number, denied: number, feesAmount: number }, rates: { denialRate: number | null, correctionRate: number | null, filingRate: number | null, lateRate: number | null }, byLevel: Array<{ level: RegionLevel, agencies: number, filed: number, missing: number, late: number, flagged: number, totals: { applicationsReceived: number, denied: number }, rates: { denialRate: number | null, correctionRate: number | null, filingRate: number | null, lateRate: number | null } }> }> };

export type RegionViewHotlineFragment = { received: number, resolved: number, overdue: number, onTimeRate: number | null, satisfactionRate: number | null, medianHandlingHours: number | null, byLine: Array<{ code: string | null, name: string | null, received: number }>, byCategory: Array<{ code: string | null, name: string | null, received: number }>, byMonth: Array<{ month: string, received: number, overdue: number, onTimeRate: number | null, satisfactionRate: number | null }> };

export type RegionViewHotlineHeadlineFragment = { received: number, overdue: number, onTimeRate: number | null, satisfactionRate: number | null, medianHandlingHours: number | null };

export type RegionViewAgencyPageFragment = { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, level: RegionLevel, sector: { name: string }, report: { id: string, isLate: boolean | null, publishedOn: string | null } | null }> };

export type RegionViewChildFragment = { code: string, name: string, level: RegionLevel, disclosure: { agencies: number, filed: number, missing: number, late: number, totals: { applicationsReceived: number }, rates: { filingRate: number | null, lateRate: number | null, denialRate: number | null, correctionRate: number | null } }, hotline: { received: number, onTimeRate: number | null, satisfactionRate: number | null } };

export type RegionViewYearPanelsFragment = { children: Array<{ code: string, name: string, level: RegionLevel, disclosure: { agencies: number, filed: number, missing: number, late: number, totals: { applicationsReceived: number }, rates: { filingRate: number | null, lateRate: number | null, denialRate: number | null, correctionRate: number | null } }, hotline: { received: number, onTimeRate: number | null, satisfactionRate: number | null } }>, hotline: { received: number, resolved: number, overdue: number, onTimeRate: number | null, satisfactionRate: number | null, medianHandlingHours: number | null, byLine: Array<{ code: string | null, name: string | null, received: number }>, byCategory: Array<{ code: string | null, name: string | null, received: number }>, byMonth: Array<{ month: string, received: number, overdue: number, onTimeRate: number | null, satisfactionRate: number | null }> }, hotlinePrevious: { received: number, overdue: number, onTimeRate: number | null, satisfactionRate: number | null, medianHandlingHours: number | null }, reportedHotlines: Array<{ line: string, reports: number, calls: number | null, consultations: number | null, complaints: number | null, tips: number | null, accepted: number | null, resolved: number | null, referred: number | null, handlingRate: number | null, satisfaction: number | null }>, agencyConnection: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, level: RegionLevel, sector: { name: string }, report: { id: string, isLate: boolean | null, publishedOn: string | null } | null }> } };

export type RegionViewRankingEntryFragment = { rank: number, cursor: string, value: number | null, region: { code: string, name: string } | null, agency: { id: string, name: string } | null };

export type RegionViewPageQueryVariables = Exact<{
  code: string | number;
  year: number;
  previousYear: number;
  trendFrom: number;
  trendTo: number;
  rankingMetric: RankingMetric;
  rankingLevel?: RegionLevel | null | undefined;
  ascending: boolean;
  rankingFirst: number;
  agencyFirst: number;
}>;


export type RegionViewPageQuery = { region: { code: string, name: string, level: RegionLevel, ancestors: Array<{ code: string, name: string, level: RegionLevel }>, disclosureTrend: Array<{ year: number, agencies: number, filed: number, missing: number, late: number, flagged: number, totals: { applicationsReceived: number, granted: number, partial: number, denied: number, feesAmount: number }, rates: { denialRate: number | null, correctionRate: number | null, filingRate: number | null, lateRate: number | null }, byLevel: Array<{ level: RegionLevel, agencies: number, filed: number, missing: number, late: number, flagged: number, totals: { applicationsReceived: number, denied: number }, rates: { denialRate: number | null, correctionRate: number | null, filingRate: number | null, lateRate: number | null } }> }>, children: Array<{ code: string, name: string, level: RegionLevel, disclosure: { agencies: number, filed: number, missing: number, late: number, totals: { applicationsReceived: number }, rates: { filingRate: number | null, lateRate: number | null, denialRate: number | null, correctionRate: number | null } }, hotline: { received: number, onTimeRate: number | null, satisfactionRate: number | null } }>, hotline: { received: number, resolved: number, overdue: number, onTimeRate: number | null, satisfactionRate: number | null, medianHandlingHours: number | null, byLine: Array<{ code: string | null, name: string | null, received: number }>, byCategory: Array<{ code: string | null, name: string | null, received: number }>, byMonth: Array<{ month: string, received: number, overdue: number, onTimeRate: number | null, satisfactionRate: number | null }> }, hotlinePrevious: { received: number, overdue: number, onTimeRate: number | null, satisfactionRate: number | null, medianHandlingHours: number | null }, reportedHotlines: Array<{ line: string, reports: number, calls: number | null, consultations: number | null, complaints: number | null, tips: number | null, accepted: number | null, resolved: number | null, referred: number | null, handlingRate: number | null, satisfaction: number | null }>, agencyConnection: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, level: RegionLevel, sector: { name: string }, report: { id: string, isLate: boolean | null, publishedOn: string | null } | null }> } } | null, ranking: Array<{ rank: number, cursor: string, value: number | null, region: { code: string, name: string } | null, agency: { id: string, name: string } | null }> | null };

export type RegionViewOverviewQueryVariables = Exact<{
  code: string | number;
  trendFrom: number;
  trendTo: number;
}>;


export type RegionViewOverviewQuery = { region: { code: string, name: string, level: RegionLevel, ancestors: Array<{ code: string, name: string, level: RegionLevel }>, disclosureTrend: Array<{ year: number, agencies: number, filed: number, missing: number, late: number, flagged: number, totals: { applicationsReceived: number, granted: number, partial: number, denied: number, feesAmount: number }, rates: { denialRate: number | null, correctionRate: number | null, filingRate: number | null, lateRate: number | null }, byLevel: Array<{ level: RegionLevel, agencies: number, filed: number, missing: number, late: number, flagged: number, totals: { applicationsReceived: number, denied: number }, rates: { denialRate: number | null, correctionRate: number | null, filingRate: number | null, lateRate: number | null } }> }> } | null };

export type RegionViewYearQueryVariables = Exact<{
  code: string | number;
  year: number;
  previousYear: number;
  rankingMetric: RankingMetric;
  rankingLevel?: RegionLevel | null | undefined;
  ascending: boolean;
  rankingFirst: number;
  agencyFirst: number;
}>;


export type RegionViewYearQuery = { region: { code: string, children: Array<{ code: string, name: string, level: RegionLevel, disclosure: { agencies: number, filed: number, missing: number, late: number, totals: { applicationsReceived: number }, rates: { filingRate: number | null, lateRate: number | null, denialRate: number | null, correctionRate: number | null } }, hotline: { received: number, onTimeRate: number | null, satisfactionRate: number | null } }>, hotline: { received: number, resolved: number, overdue: number, onTimeRate: number | null, satisfactionRate: number | null, medianHandlingHours: number | null, byLine: Array<{ code: string | null, name: string | null, received: number }>, byCategory: Array<{ code: string | null, name: string | null, received: number }>, byMonth: Array<{ month: string, received: number, overdue: number, onTimeRate: number | null, satisfactionRate: number | null }> }, hotlinePrevious: { received: number, overdue: number, onTimeRate: number | null, satisfactionRate: number | null, medianHandlingHours: number | null }, reportedHotlines: Array<{ line: string, reports: number, calls: number | null, consultations: number | null, complaints: number | null, tips: number | null, accepted: number | null, resolved: number | null, referred: number | null, handlingRate: number | null, satisfaction: number | null }>, agencyConnection: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, level: RegionLevel, sector: { name: string }, report: { id: string, isLate: boolean | null, publishedOn: string | null } | null }> } } | null, ranking: Array<{ rank: number, cursor: string, value: number | null, region: { code: string, name: string } | null, agency: { id: string, name: string } | null }> | null };

export type RegionViewRankingQueryVariables = Exact<{
  code: string | number;
  year: number;
  rankingMetric: RankingMetric;
  rankingLevel?: RegionLevel | null | undefined;
  ascending: boolean;
  rankingFirst: number;
  after?: string | null | undefined;
}>;


export type RegionViewRankingQuery = { ranking: Array<{ rank: number, cursor: string, value: number | null, region: { code: string, name: string } | null, agency: { id: string, name: string } | null }> | null };

export type RegionViewAgenciesQueryVariables = Exact<{
  code: string | number;
  year: number;
  agencyFirst: number;
  after?: string | null | undefined;
}>;


export type RegionViewAgenciesQuery = { region: { code: string, agencyConnection: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, level: RegionLevel, sector: { name: string }, report: { id: string, isLate: boolean | null, publishedOn: string | null } | null }> } } | null };

export type FlagsPageQueryVariables = Exact<{
  regionCode: string | number;
  year: number;
  code?: string | null | undefined;
  severity?: Severity | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FlagsPageQuery = { flags: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string | null, code: string, severity: Severity, message: string, year: number, figures: Array<{ key: string, value: number | null }>, agency: { id: string, name: string, level: RegionLevel, region: { code: string, name: string } }, report: { id: string, version: number } | null }> } | null };

export type ProvincesQueryVariables = Exact<{ [key: string]: never; }>;


export type ProvincesQuery = { regions: Array<{ code: string, name: string }> };

export type RegionPlaceQueryVariables = Exact<{
  code: string | number;
}>;


export type RegionPlaceQuery = { region: { code: string, name: string, level: RegionLevel, ancestors: Array<{ code: string, name: string, level: RegionLevel }>, children: Array<{ code: string, name: string, level: RegionLevel }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const RegionViewTrendYearFragmentDoc = new TypedDocumentString(`
    fragment RegionViewTrendYear on DisclosureRollup {
  year
  agencies
  filed
  missing
  late
  flagged
  totals {
    applicationsReceived
    granted
    partial
    denied
    feesAmount
  }
  rates {
    denialRate
    correctionRate
    filingRate
    lateRate
  }
  byLevel {
    level
    agencies
    filed
    missing
    late
    flagged
    totals {
      applicationsReceived
      denied
    }
    rates {
      denialRate
      correctionRate
      filingRate
      lateRate
    }
  }
}
    `, {"fragmentName":"RegionViewTrendYear"}) as unknown as TypedDocumentString<RegionViewTrendYearFragment, unknown>;
export const RegionViewOverviewFragmentDoc = new TypedDocumentString(`
    fragment RegionViewOverview on Region {
  code
  name
  level
  ancestors {
    code
    name
    level
  }
  disclosureTrend(from: $trendFrom, to: $trendTo) {
    ...RegionViewTrendYear
  }
}
    fragment RegionViewTrendYear on DisclosureRollup {
  year
  agencies
  filed
  missing
  late
  flagged
  totals {
    applicationsReceived
    granted
    partial
    denied
    feesAmount
  }
  rates {
    denialRate
    correctionRate
    filingRate
    lateRate
  }
  byLevel {
    level
    agencies
    filed
    missing
    late
    flagged
    totals {
      applicationsReceived
      denied
    }
    rates {
      denialRate
      correctionRate
      filingRate
      lateRate
    }
  }
}`, {"fragmentName":"RegionViewOverview"}) as unknown as TypedDocumentString<RegionViewOverviewFragment, unknown>;
export const RegionViewChildFragmentDoc = new TypedDocumentString(`
    fragment RegionViewChild on Region {
  code
  name
  level
  disclosure(year: $year) {
    agencies
    filed
    missing
    late
    totals {
      applicationsReceived
    }
    rates {
      filingRate
      lateRate
      denialRate
      correctionRate
    }
  }
  hotline(year: $year) {
    received
    onTimeRate
    satisfactionRate
  }
}
    `, {"fragmentName":"RegionViewChild"}) as unknown as TypedDocumentString<RegionViewChildFragment, unknown>;
export const RegionViewHotlineFragmentDoc = new TypedDocumentString(`
    fragment RegionViewHotline on HotlineFigures {
  received
  resolved
  overdue
  onTimeRate
  satisfactionRate
  medianHandlingHours
  byLine {
    code
    name
    received
  }
  byCategory {
    code
    name
    received
  }
  byMonth {
    month
    received
    overdue
    onTimeRate
    satisfactionRate
  }
}
    `, {"fragmentName":"RegionViewHotline"}) as unknown as TypedDocumentString<RegionViewHotlineFragment, unknown>;
export const RegionViewHotlineHeadlineFragmentDoc = new TypedDocumentString(`
    fragment RegionViewHotlineHeadline on HotlineFigures {
  received
  overdue
  onTimeRate
  satisfactionRate
  medianHandlingHours
}
    `, {"fragmentName":"RegionViewHotlineHeadline"}) as unknown as TypedDocumentString<RegionViewHotlineHeadlineFragment, unknown>;
export const RegionViewAgencyPageFragmentDoc = new TypedDocumentString(`
    fragment RegionViewAgencyPage on AgencyConnection {
  totalCount
  pageInfo {
    hasNextPage
    endCursor
  }
  nodes {
    id
    name
    level
    sector {
      name
    }
    report(year: $year) {
      id
      isLate
      publishedOn
    }
  }
}
    `, {"fragmentName":"RegionViewAgencyPage"}) as unknown as TypedDocumentString<RegionViewAgencyPageFragment, unknown>;
export const RegionViewYearPanelsFragmentDoc = new TypedDocumentString(`
    fragment RegionViewYearPanels on Region {
  children {
    ...RegionViewChild
  }
  hotline(year: $year) {
    ...RegionViewHotline
  }
  hotlinePrevious: hotline(year: $previousYear) {
    ...RegionViewHotlineHeadline
  }
  reportedHotlines(year: $year) {
    line
    reports
    calls
    consultations
    complaints
    tips
    accepted
    resolved
    referred
    handlingRate
    satisfaction
  }
  agencyConnection(first: $agencyFirst) {
    ...RegionViewAgencyPage
  }
}
    fragment RegionViewHotline on HotlineFigures {
  received
  resolved
  overdue
  onTimeRate
  satisfactionRate
  medianHandlingHours
  byLine {
    code
    name
    received
  }
  byCategory {
    code
    name
    received
  }
  byMonth {
    month
    received
    overdue
    onTimeRate
    satisfactionRate
  }
}
fragment RegionViewHotlineHeadline on HotlineFigures {
  received
  overdue
  onTimeRate
  satisfactionRate
  medianHandlingHours
}
fragment RegionViewAgencyPage on AgencyConnection {
  totalCount
  pageInfo {
    hasNextPage
    endCursor
  }
  nodes {
    id
    name
    level
    sector {
      name
    }
    report(year: $year) {
      id
      isLate
      publishedOn
    }
  }
}
fragment RegionViewChild on Region {
  code
  name
  level
  disclosure(year: $year) {
    agencies
    filed
    missing
    late
    totals {
      applicationsReceived
    }
    rates {
      filingRate
      lateRate
      denialRate
      correctionRate
    }
  }
  hotline(year: $year) {
    received
    onTimeRate
    satisfactionRate
  }
}`, {"fragmentName":"RegionViewYearPanels"}) as unknown as TypedDocumentString<RegionViewYearPanelsFragment, unknown>;
export const RegionViewRankingEntryFragmentDoc = new TypedDocumentString(`
    fragment RegionViewRankingEntry on RankingEntry {
  rank
  cursor
  value
  region {
    code
    name
  }
  agency {
    id
    name
  }
}
    `, {"fragmentName":"RegionViewRankingEntry"}) as unknown as TypedDocumentString<RegionViewRankingEntryFragment, unknown>;
export const CheckTokenDocument = new TypedDocumentString(`
    query CheckToken {
  sectors {
    code
  }
}
    `, {"hash":"sha256:7c318c616a68f1ad9473bb33dc198a370f4806f91b7aec4a26a70a4cbc40fa9d"}) as unknown as TypedDocumentString<CheckTokenQuery, CheckTokenQueryVariables>;
export const FlagsCountsDocument = new TypedDocumentString(`
    query FlagsCounts($regionCode: ID!, $year: Int!) {
  all: flags(regionCode: $regionCode, year: $year, first: 1) {
    totalCount
  }
  error: flags(regionCode: $regionCode, year: $year, severity: ERROR, first: 1) {
    totalCount
  }
  warning: flags(
    regionCode: $regionCode
    year: $year
    severity: WARNING
    first: 1
  ) {
    totalCount
  }
  info: flags(regionCode: $regionCode, year: $year, severity: INFO, first: 1) {
    totalCount
  }
  MISSING_REPORT: flags(
    regionCode: $regionCode
    year: $year
    code: "MISSING_REPORT"
    first: 1
  ) {
    totalCount
  }
  LATE_PUBLICATION: flags(
    regionCode: $regionCode
    year: $year
    code: "LATE_PUBLICATION"
    first: 1
  ) {
    totalCount
  }
  APPLICATION_IDENTITY: flags(
    regionCode: $regionCode
    year: $year
    code: "APPLICATION_IDENTITY"
    first: 1
  ) {
    totalCount
  }
  APPLICANT_ROW_TOTAL: flags(
    regionCode: $regionCode
    year: $year
    code: "APPLICANT_ROW_TOTAL"
    first: 1
  ) {
    totalCount
  }
  SUBTOTAL_MISMATCH: flags(
    regionCode: $regionCode
    year: $year
    code: "SUBTOTAL_MISMATCH"
    first: 1
  ) {
    totalCount
  }
  OUTCOME_TOTAL_MISMATCH: flags(
    regionCode: $regionCode
    year: $year
    code: "OUTCOME_TOTAL_MISMATCH"
    first: 1
  ) {
    totalCount
  }
  REVIEW_TOTAL_MISMATCH: flags(
    regionCode: $regionCode
    year: $year
    code: "REVIEW_TOTAL_MISMATCH"
    first: 1
  ) {
    totalCount
  }
  PROSE_CONTRADICTS_TABLE: flags(
    regionCode: $regionCode
    year: $year
    code: "PROSE_CONTRADICTS_TABLE"
    first: 1
  ) {
    totalCount
  }
  CARRY_OVER_CHAIN: flags(
    regionCode: $regionCode
    year: $year
    code: "CARRY_OVER_CHAIN"
    first: 1
  ) {
    totalCount
  }
  CUMULATIVE_DECREASE: flags(
    regionCode: $regionCode
    year: $year
    code: "CUMULATIVE_DECREASE"
    first: 1
  ) {
    totalCount
  }
  NEAR_DUPLICATE_TEXT: flags(
    regionCode: $regionCode
    year: $year
    code: "NEAR_DUPLICATE_TEXT"
    first: 1
  ) {
    totalCount
  }
  NEEDS_REVIEW: flags(
    regionCode: $regionCode
    year: $year
    code: "NEEDS_REVIEW"
    first: 1
  ) {
    totalCount
  }
  EXTRACTION_AMBIGUOUS_CELL_SPLIT: flags(
    regionCode: $regionCode
    year: $year
    code: "EXTRACTION_AMBIGUOUS_CELL_SPLIT"
    first: 1
  ) {
    totalCount
  }
  EXTRACTION_UNREADABLE_TABLE_ROW: flags(
    regionCode: $regionCode
    year: $year
    code: "EXTRACTION_UNREADABLE_TABLE_ROW"
    first: 1
  ) {
    totalCount
  }
  EXTRACTION_EXTRA_TABLE_CELLS: flags(
    regionCode: $regionCode
    year: $year
    code: "EXTRACTION_EXTRA_TABLE_CELLS"
    first: 1
  ) {
    totalCount
  }
  EXTRACTION_BLANK_TABLE_CELLS: flags(
    regionCode: $regionCode
    year: $year
    code: "EXTRACTION_BLANK_TABLE_CELLS"
    first: 1
  ) {
    totalCount
  }
  EXTRACTION_NO_TEXT_LAYER: flags(
    regionCode: $regionCode
    year: $year
    code: "EXTRACTION_NO_TEXT_LAYER"
    first: 1
  ) {
    totalCount
  }
  EXTRACTION_REGION_UNRESOLVED: flags(
    regionCode: $regionCode
    year: $year
    code: "EXTRACTION_REGION_UNRESOLVED"
    first: 1
  ) {
    totalCount
  }
  EXTRACTION_YEAR_UNRESOLVED: flags(
    regionCode: $regionCode
    year: $year
    code: "EXTRACTION_YEAR_UNRESOLVED"
    first: 1
  ) {
    totalCount
  }
  EXTRACTION_REGION_NAME_CORRECTED: flags(
    regionCode: $regionCode
    year: $year
    code: "EXTRACTION_REGION_NAME_CORRECTED"
    first: 1
  ) {
    totalCount
  }
  EXTRACTION_SUMMED_BREAKDOWN: flags(
    regionCode: $regionCode
    year: $year
    code: "EXTRACTION_SUMMED_BREAKDOWN"
    first: 1
  ) {
    totalCount
  }
}
    `, {"hash":"sha256:4cf18b40464c551379ef0df0eb095a9149a94b1fe6095ba9aa6d88c158de8f30"}) as unknown as TypedDocumentString<FlagsCountsQuery, FlagsCountsQueryVariables>;
export const InspectionRegionDocument = new TypedDocumentString(`
    query InspectionRegion($code: ID!, $from: Int!, $to: Int!) {
  region(code: $code) {
    code
    name
    level
    ancestors {
      code
      name
    }
    disclosureTrend(from: $from, to: $to) {
      year
      agencies
      filed
    }
  }
}
    `, {"hash":"sha256:15d4545bdd9c3f14fff9a15844396a26708cb13fa7cd9ec4e74ad3e68fa510fa"}) as unknown as TypedDocumentString<InspectionRegionQuery, InspectionRegionQueryVariables>;
export const RegionViewPageDocument = new TypedDocumentString(`
    query RegionViewPage($code: ID!, $year: Int!, $previousYear: Int!, $trendFrom: Int!, $trendTo: Int!, $rankingMetric: RankingMetric!, $rankingLevel: RegionLevel, $ascending: Boolean!, $rankingFirst: Int!, $agencyFirst: Int!) {
  region(code: $code) {
    ...RegionViewOverview
    ...RegionViewYearPanels
  }
  ranking(
    regionCode: $code
    year: $year
    metric: $rankingMetric
    level: $rankingLevel
    ascending: $ascending
    first: $rankingFirst
  ) {
    ...RegionViewRankingEntry
  }
}
    fragment RegionViewTrendYear on DisclosureRollup {
  year
  agencies
  filed
  missing
  late
  flagged
  totals {
    applicationsReceived
    granted
    partial
    denied
    feesAmount
  }
  rates {
    denialRate
    correctionRate
    filingRate
    lateRate
  }
  byLevel {
    level
    agencies
    filed
    missing
    late
    flagged
    totals {
      applicationsReceived
      denied
    }
    rates {
      denialRate
      correctionRate
      filingRate
      lateRate
    }
  }
}
fragment RegionViewOverview on Region {
  code
  name
  level
  ancestors {
    code
    name
    level
  }
  disclosureTrend(from: $trendFrom, to: $trendTo) {
    ...RegionViewTrendYear
  }
}
fragment RegionViewHotline on HotlineFigures {
  received
  resolved
  overdue
  onTimeRate
  satisfactionRate
  medianHandlingHours
  byLine {
    code
    name
    received
  }
  byCategory {
    code
    name
    received
  }
  byMonth {
    month
    received
    overdue
    onTimeRate
    satisfactionRate
  }
}
fragment RegionViewHotlineHeadline on HotlineFigures {
  received
  overdue
  onTimeRate
  satisfactionRate
  medianHandlingHours
}
fragment RegionViewAgencyPage on AgencyConnection {
  totalCount
  pageInfo {
    hasNextPage
    endCursor
  }
  nodes {
    id
    name
    level
    sector {
      name
    }
    report(year: $year) {
      id
      isLate
      publishedOn
    }
  }
}
fragment RegionViewChild on Region {
  code
  name
  level
  disclosure(year: $year) {
    agencies
    filed
    missing
    late
    totals {
      applicationsReceived
    }
    rates {
      filingRate
      lateRate
      denialRate
      correctionRate
    }
  }
  hotline(year: $year) {
    received
    onTimeRate
    satisfactionRate
  }
}
fragment RegionViewYearPanels on Region {
  children {
    ...RegionViewChild
  }
  hotline(year: $year) {
    ...RegionViewHotline
  }
  hotlinePrevious: hotline(year: $previousYear) {
    ...RegionViewHotlineHeadline
  }
  reportedHotlines(year: $year) {
    line
    reports
    calls
    consultations
    complaints
    tips
    accepted
    resolved
    referred
    handlingRate
    satisfaction
  }
  agencyConnection(first: $agencyFirst) {
    ...RegionViewAgencyPage
  }
}
fragment RegionViewRankingEntry on RankingEntry {
  rank
  cursor
  value
  region {
    code
    name
  }
  agency {
    id
    name
  }
}`, {"hash":"sha256:8e5166a87703bfe44f2c5d283e910e87e6df1a1cde38472af8d741fece0be99e"}) as unknown as TypedDocumentString<RegionViewPageQuery, RegionViewPageQueryVariables>;
export const RegionViewOverviewDocument = new TypedDocumentString(`
    query RegionViewOverview($code: ID!, $trendFrom: Int!, $trendTo: Int!) {
  region(code: $code) {
    ...RegionViewOverview
  }
}
    fragment RegionViewTrendYear on DisclosureRollup {
  year
  agencies
  filed
  missing
  late
  flagged
  totals {
    applicationsReceived
    granted
    partial
    denied
    feesAmount
  }
  rates {
    denialRate
    correctionRate
    filingRate
    lateRate
  }
  byLevel {
    level
    agencies
    filed
    missing
    late
    flagged
    totals {
      applicationsReceived
      denied
    }
    rates {
      denialRate
      correctionRate
      filingRate
      lateRate
    }
  }
}
fragment RegionViewOverview on Region {
  code
  name
  level
  ancestors {
    code
    name
    level
  }
  disclosureTrend(from: $trendFrom, to: $trendTo) {
    ...RegionViewTrendYear
  }
}`, {"hash":"sha256:b9d023d361397b10172e989430ac05bd7be3c36ccc5de1516fb8222cf5f20424"}) as unknown as TypedDocumentString<RegionViewOverviewQuery, RegionViewOverviewQueryVariables>;
export const RegionViewYearDocument = new TypedDocumentString(`
    query RegionViewYear($code: ID!, $year: Int!, $previousYear: Int!, $rankingMetric: RankingMetric!, $rankingLevel: RegionLevel, $ascending: Boolean!, $rankingFirst: Int!, $agencyFirst: Int!) {
  region(code: $code) {
    code
    ...RegionViewYearPanels
  }
  ranking(
    regionCode: $code
    year: $year
    metric: $rankingMetric
    level: $rankingLevel
    ascending: $ascending
    first: $rankingFirst
  ) {
    ...RegionViewRankingEntry
  }
}
    fragment RegionViewHotline on HotlineFigures {
  received
  resolved
  overdue
  onTimeRate
  satisfactionRate
  medianHandlingHours
  byLine {
    code
    name
    received
  }
  byCategory {
    code
    name
    received
  }
  byMonth {
    month
    received
    overdue
    onTimeRate
    satisfactionRate
  }
}
fragment RegionViewHotlineHeadline on HotlineFigures {
  received
  overdue
  onTimeRate
  satisfactionRate
  medianHandlingHours
}
fragment RegionViewAgencyPage on AgencyConnection {
  totalCount
  pageInfo {
    hasNextPage
    endCursor
  }
  nodes {
    id
    name
    level
    sector {
      name
    }
    report(year: $year) {
      id
      isLate
      publishedOn
    }
  }
}
fragment RegionViewChild on Region {
  code
  name
  level
  disclosure(year: $year) {
    agencies
    filed
    missing
    late
    totals {
      applicationsReceived
    }
    rates {
      filingRate
      lateRate
      denialRate
      correctionRate
    }
  }
  hotline(year: $year) {
    received
    onTimeRate
    satisfactionRate
  }
}
fragment RegionViewYearPanels on Region {
  children {
    ...RegionViewChild
  }
  hotline(year: $year) {
    ...RegionViewHotline
  }
  hotlinePrevious: hotline(year: $previousYear) {
    ...RegionViewHotlineHeadline
  }
  reportedHotlines(year: $year) {
    line
    reports
    calls
    consultations
    complaints
    tips
    accepted
    resolved
    referred
    handlingRate
    satisfaction
  }
  agencyConnection(first: $agencyFirst) {
    ...RegionViewAgencyPage
  }
}
fragment RegionViewRankingEntry on RankingEntry {
  rank
  cursor
  value
  region {
    code
    name
  }
  agency {
    id
    name
  }
}`, {"hash":"sha256:c9dd87cb1f691999732f565c18a98760c3e5ab0fe68656f63f3df5ac02ff259f"}) as unknown as TypedDocumentString<RegionViewYearQuery, RegionViewYearQueryVariables>;
export const RegionViewRankingDocument = new TypedDocumentString(`
    query RegionViewRanking($code: ID!, $year: Int!, $rankingMetric: RankingMetric!, $rankingLevel: RegionLevel, $ascending: Boolean!, $rankingFirst: Int!, $after: String) {
  ranking(
    regionCode: $code
    year: $year
    metric: $rankingMetric
    level: $rankingLevel
    ascending: $ascending
    first: $rankingFirst
    after: $after
  ) {
    ...RegionViewRankingEntry
  }
}
    fragment RegionViewRankingEntry on RankingEntry {
  rank
  cursor
  value
  region {
    code
    name
  }
  agency {
    id
    name
  }
}`, {"hash":"sha256:80cd7610c0bc5b5c2bc8eacadcbc1b1147ead98638fb15f9d6fad31772be7bab"}) as unknown as TypedDocumentString<RegionViewRankingQuery, RegionViewRankingQueryVariables>;
export const RegionViewAgenciesDocument = new TypedDocumentString(`
    query RegionViewAgencies($code: ID!, $year: Int!, $agencyFirst: Int!, $after: String) {
  region(code: $code) {
    code
    agencyConnection(first: $agencyFirst, after: $after) {
      ...RegionViewAgencyPage
    }
  }
}
    fragment RegionViewAgencyPage on AgencyConnection {
  totalCount
  pageInfo {
    hasNextPage
    endCursor
  }
  nodes {
    id
    name
    level
    sector {
      name
    }
    report(year: $year) {
      id
      isLate
      publishedOn
    }
  }
}`, {"hash":"sha256:20814c98f154d25aa1340bd2a2ae7c6e51e7cb69e68f28ff8eeabf4515c540ef"}) as unknown as TypedDocumentString<RegionViewAgenciesQuery, RegionViewAgenciesQueryVariables>;
export const FlagsPageDocument = new TypedDocumentString(`
    query FlagsPage($regionCode: ID!, $year: Int!, $code: String, $severity: Severity, $first: Int, $after: String) {
  flags(
    regionCode: $regionCode
    year: $year
    code: $code
    severity: $severity
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      code
      severity
      message
      year
      figures {
        key
        value
      }
      agency {
        id
        name
        level
        region {
          code
          name
        }
      }
      report {
        id
        version
      }
    }
  }
}
    `, {"hash":"sha256:ec1abe742e416c6a0351d607ce28e71fe2cc5eaa52614728d710c309284ee553"}) as unknown as TypedDocumentString<FlagsPageQuery, FlagsPageQueryVariables>;
export const ProvincesDocument = new TypedDocumentString(`
    query Provinces {
  regions(level: PROVINCE) {
    code
    name
  }
}
    `, {"hash":"sha256:6536821f7cb0729b52c23cbd2869535c317bb31e635eeef18b7db1c864fa1404"}) as unknown as TypedDocumentString<ProvincesQuery, ProvincesQueryVariables>;
export const RegionPlaceDocument = new TypedDocumentString(`
    query RegionPlace($code: ID!) {
  region(code: $code) {
    code
    name
    level
    ancestors {
      code
      name
      level
    }
    children {
      code
      name
      level
    }
  }
}
    `, {"hash":"sha256:e5226511fddc0041dddd4a655de22f66f1ef5857f5f72392473a53e54887b291"}) as unknown as TypedDocumentString<RegionPlaceQuery, RegionPlaceQueryVariables>;