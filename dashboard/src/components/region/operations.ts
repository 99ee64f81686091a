// The region page's operations. A drill-down step is one request (RegionViewPage: where the region
// sits, its trend over the years held, and every panel for the year shown); changing the year
// asks only for the year's panels, and the ranking and agency list page on their own.
import { graphql } from '../../gql';

graphql(`
  fragment RegionViewTrendYear on DisclosureRollup {
    year agencies filed missing late flagged
    totals { applicationsReceived granted partial denied feesAmount }
    rates { denialRate correctionRate filingRate lateRate }
    byLevel {
      level agencies filed missing late flagged
      totals { applicationsReceived denied }
      rates { denialRate correctionRate filingRate lateRate }
    }
  }
`);

graphql(`
  fragment RegionViewOverview on Region {
    code name level
    ancestors { code name level }
    disclosureTrend(from: $trendFrom, to: $trendTo) { ...RegionViewTrendYear }
  }
`);

graphql(`
  fragment RegionViewHotline on HotlineFigures {
    received resolved overdue onTimeRate satisfactionRate medianHandlingHours
    byLine { code name received }
    byCategory { code name received }
    byMonth { month received overdue onTimeRate satisfactionRate }
  }
`);

graphql(`
  fragment RegionViewHotlineHeadline on HotlineFigures {
    received overdue onTimeRate satisfactionRate medianHandlingHours
  }
`);

graphql(`
  fragment RegionViewAgencyPage on AgencyConnection {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id name level activeFrom activeTo reviewStatus
      sector { name }
      report(year: $year) { id isLate publishedOn }
    }
  }
`);

graphql(`
  fragment RegionViewChild on Region {
    code name level
    disclosure(year: $year) {
      agencies filed missing late
      totals { applicationsReceived }
      rates { filingRate lateRate denialRate correctionRate }
    }
    hotline(year: $year) { received onTimeRate satisfactionRate }
  }
`);

graphql(`
  fragment RegionViewYearPanels on Region {
    children { ...RegionViewChild }
    hotline(year: $year) { ...RegionViewHotline }
    hotlinePrevious: hotline(year: $previousYear) { ...RegionViewHotlineHeadline }
    reportedHotlines(year: $year) {
      line reports calls consultations complaints tips accepted resolved referred handlingRate satisfaction
    }
    agencyConnection(first: $agencyFirst) { ...RegionViewAgencyPage }
  }
`);

graphql(`
  fragment RegionViewRankingEntry on RankingEntry {
    rank cursor value
    region { code name }
    agency { id name }
  }
`);

export const RegionViewPage = graphql(`
  query RegionViewPage(
    $code: ID!, $year: Int!, $previousYear: Int!, $trendFrom: Int!, $trendTo: Int!,
    $rankingMetric: RankingMetric!, $rankingLevel: RegionLevel, $ascending: Boolean!, $rankingFirst: Int!,
    $agencyFirst: Int!
  ) {
    region(code: $code) { ...RegionViewOverview ...RegionViewYearPanels }
    ranking(regionCode: $code, year: $year, metric: $rankingMetric, level: $rankingLevel, ascending: $ascending, first: $rankingFirst) {
      ...RegionViewRankingEntry
    }
  }
`);

export const RegionViewOverviewQuery = graphql(`
  query RegionViewOverview($code: ID!, $trendFrom: Int!, $trendTo: Int!) {
    region(code: $code) { ...RegionViewOverview }
  }
`);

export const RegionViewYear = graphql(`
  query RegionViewYear(
    $code: ID!, $year: Int!, $previousYear: Int!,
    $rankingMetric: RankingMetric!, $rankingLevel: RegionLevel, $ascending: Boolean!, $rankingFirst: Int!,
    $agencyFirst: Int!
  ) {
    region(code: $code) { code ...RegionViewYearPanels }
    ranking(regionCode: $code, year: $year, metric: $rankingMetric, level: $rankingLevel, ascending: $ascending, first: $rankingFirst) {
      ...RegionViewRankingEntry
    }
  }
`);

export const RegionViewRanking = graphql(`
  query RegionViewRanking(
    $code: ID!, $year: Int!, $rankingMetric: RankingMetric!, $rankingLevel: RegionLevel, $ascending: Boolean!,
    $rankingFirst: Int!, $after: String
  ) {
    ranking(regionCode: $code, year: $year, metric: $rankingMetric, level: $rankingLevel, ascending: $ascending, first: $rankingFirst, after: $after) {
      ...RegionViewRankingEntry
    }
  }
`);

export const RegionViewAgencies = graphql(`
  query RegionViewAgencies($code: ID!, $year: Int!, $agencyFirst: Int!, $after: String) {
    region(code: $code) {
      code
      agencyConnection(first: $agencyFirst, after: $after) { ...RegionViewAgencyPage }
    }
  }
`);
