// What the ranking panel ranks: a metric of Query.ranking, the children (level null) or the
// agencies of one level of the subtree, in either order, a page at a time.
import type { RankingMetric, RegionLevel } from '../../gql/graphql';

export interface RankingSettings {
  metric: RankingMetric;
  level: RegionLevel | null;
  ascending: boolean;
}

export const RANKING_PAGE_SIZE = 20;

/** Counties have no children: their ranking is of their own agencies. */
export const defaultRankingLevel = (regionLevel: RegionLevel): RegionLevel | null => (regionLevel === 'COUNTY' ? 'COUNTY' : null);
