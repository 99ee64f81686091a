import type { RegionLevel } from '../../gql/graphql';

export const LEVEL_LABELS: Readonly<Record<RegionLevel, string>> = { PROVINCE: '省级', CITY: '市级', COUNTY: '县级' };

/** A region's own level and those below it: the agency levels of its subtree. */
export function levelsFrom(level: RegionLevel): RegionLevel[] {
  const all: RegionLevel[] = ['PROVINCE', 'CITY', 'COUNTY'];
  return all.slice(all.indexOf(level));
}
