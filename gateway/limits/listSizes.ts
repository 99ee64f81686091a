// How many items a list field gives, for the cost limit (documentLimits.ts): the sizes the
// subgraphs observe in their own tables (Query._listSizes, lib/graphql/listSizeStatistics.ts),
// fetched by gateway/listSizeStatistics.ts; the fixed guesses below where a subgraph has not
// published one (no data yet, or the statistics could not be read).
//
// An estimate is the most items one parent has (never the 95th percentile: the cost limit is a
// security control, and a query about the largest city must not be let through on the
// numbers of a typical one), at least 1. When the query says which parent — the region of a
// code argument, a level argument — the statistic of that kind of parent is used, else the
// largest of all kinds. A size argument (`first: 1000`) is a bound the caller sets; the data's
// own bound is the other, and the smaller of the two is what the list can return.
import type { RegionLevel } from '../../lib/regions/divisions.ts';
import { isRegionCode, levelOfCode } from '../../lib/regions/codes.ts';
import type { ListSizeStatistic } from '../../lib/graphql/listSizeStatistics.ts';

/** How many items a list field without a size argument is expected to return, when no subgraph says. */
export const LIST_SIZES: Readonly<Record<string, number>> = {
  'Query.regions': 500,
  // a province has 14 cities on average, a city 9 counties
  'Region.children': 15,
  'Region.ancestors': 2,
  'Agency.reports': 17,
  'DisclosureRollup.byLevel': 3,
  'HotlineFigures.byLevel': 3,
  'HotlineFigures.byCategory': 8,
  'HotlineFigures.byLine': 6,
  'HotlineFigures.byChannel': 5,
  'Region.reportedHotlines': 6,
  'AnnualReport.figures': 200,
};
export const DEFAULT_LIST_SIZE = 20;

const LEVELS: readonly RegionLevel[] = ['PROVINCE', 'CITY', 'COUNTY'];

/** The levels a region of the query can be at; null when the query does not tell. */
export type RegionLevels = ReadonlySet<RegionLevel> | null;

/** The regions one level down from a region of these levels (a province's children: cities, or counties under a municipality). */
const BELOW: Record<RegionLevel, readonly RegionLevel[]> = { PROVINCE: ['CITY', 'COUNTY'], CITY: ['COUNTY'], COUNTY: [] };
const ABOVE: Record<RegionLevel, readonly RegionLevel[]> = { PROVINCE: [], CITY: ['PROVINCE'], COUNTY: ['CITY', 'PROVINCE'] };

const levelsOf = (from: RegionLevels, step: Record<RegionLevel, readonly RegionLevel[]>): RegionLevels => {
  if (!from) return null;
  const next = new Set([...from].flatMap((level) => step[level]));
  return next.size > 0 ? next : null;
};

const isLevel = (value: unknown): value is RegionLevel => typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
const codeLevel = (value: unknown): RegionLevel | null => (typeof value === 'string' && isRegionCode(value) ? levelOfCode(value) : null);

/** A field's argument values, as the query gives them (variables resolved); undefined when not given. */
export type ArgumentValue = (name: string) => unknown;

/**
 * The levels of the regions a field returns, when the query tells them: `region(code:)` by its
 * code, `regions(level:)` and `regions(parentCode:)` by their argument, `children` and `parent`
 * one level from their region's.
 */
export function regionLevelsOf(coordinate: string, argument: ArgumentValue, parent: RegionLevels): RegionLevels {
  switch (coordinate) {
    case 'Query.region': {
      const level = codeLevel(argument('code'));
      return level ? new Set([level]) : null;
    }
    case 'Query.regions': {
      const level = argument('level');
      if (isLevel(level)) return new Set([level]);
      const parentLevel = codeLevel(argument('parentCode'));
      return parentLevel ? levelsOf(new Set([parentLevel]), BELOW) : null;
    }
    case 'Region.children':
      return levelsOf(parent, BELOW);
    case 'Region.parent':
      return levelsOf(parent, ABOVE);
    default:
      return null;
  }
}

/** A search of region names is bounded by each CJK character it holds (a name has them all); other characters are matched ignoring case, and bound nothing here. */
const CJK_CHARACTER = /[\u3400-\u9fff\uf900-\ufaff]/u;

/** The observed sizes published by the subgraphs at one moment. */
export class ListSizes {
  /** No statistics: every list is estimated by the fixed guesses. */
  static readonly GUESSES = new ListSizes([], null);

  readonly #max = new Map<string, number>();
  /** When the statistics were read; null for the fixed guesses alone. */
  readonly observedAt: Date | null;

  constructor(statistics: readonly ListSizeStatistic[], observedAt: Date | null = new Date()) {
    for (const { field, scope, max } of statistics) {
      if (!Number.isSafeInteger(max) || max < 0) continue;
      const key = `${field}|${scope}`;
      this.#max.set(key, Math.max(this.#max.get(key) ?? 0, max));
    }
    this.observedAt = observedAt;
  }

  get size(): number {
    return this.#max.size;
  }

  /** The most items of `field` one parent of `scope` has; null when no subgraph published it. */
  observed(field: string, scope: string): number | null {
    return this.#max.get(`${field}|${scope}`) ?? null;
  }

  /** The largest of a field's statistics over these scopes; null unless every one is known. */
  #largest(field: string, scopes: readonly string[]): number | null {
    let largest = 0;
    for (const scope of scopes) {
      const max = this.observed(field, scope);
      if (max === null) return null;
      largest = Math.max(largest, max);
    }
    return largest;
  }

  /** Per parent region of these levels (every level when unknown), or per parent of any kind (`*`). */
  #perRegion(field: string, levels: RegionLevels, prefix = ''): number | null {
    const scopes = [...(levels ?? LEVELS)].map((level) => `${prefix}${level}`);
    return this.#largest(field, scopes) ?? (prefix ? null : this.observed(field, '*'));
  }

  #regionAgencies(levels: RegionLevels, includeSubtree: unknown): number | null {
    // a region's subtree holds its own agencies and those below
    return includeSubtree === true ? this.#perRegion('Region.agencies', levels, 'subtree:') : this.#perRegion('Region.agencies', levels);
  }

  #regionSearch(search: unknown): number | null {
    if (typeof search !== 'string') return null;
    const characters = [...new Set(search.trim())].filter((c) => CJK_CHARACTER.test(c));
    if (characters.length === 0) return null;
    const counts = characters.map((c) => this.observed('Query.regions', `char:${c}`) ?? this.observed('Query.regions', 'char:*'));
    return counts.some((n) => n === null) ? null : Math.min(...(counts as number[]));
  }

  /**
   * The most items the field can give for one parent, from the statistics and the arguments the
   * query gives; null when no statistic applies (the caller keeps its fixed guess).
   */
  bound(coordinate: string, argument: ArgumentValue, parent: RegionLevels): number | null {
    const bounds: (number | null)[] = [];
    switch (coordinate) {
      case 'Region.children':
        bounds.push(this.#perRegion('Region.children', parent));
        break;
      case 'Region.agencies':
      case 'Region.agencyConnection':
        bounds.push(this.#regionAgencies(parent, argument('includeSubtree')));
        break;
      case 'Query.regions': {
        const level = argument('level');
        const parentLevel = codeLevel(argument('parentCode'));
        bounds.push(this.observed('Query.regions', '*'));
        if (isLevel(level)) bounds.push(this.observed('Query.regions', level));
        if (parentLevel) bounds.push(this.#perRegion('Region.children', new Set([parentLevel])));
        bounds.push(this.#regionSearch(argument('search')));
        break;
      }
      case 'Query.agencies': {
        const level = argument('level');
        const regionLevel = codeLevel(argument('regionCode'));
        bounds.push(this.observed('Query.agencies', '*'));
        if (isLevel(level)) bounds.push(this.observed('Query.agencies', level));
        if (regionLevel) bounds.push(this.#regionAgencies(new Set([regionLevel]), argument('includeSubtree')));
        break;
      }
      default:
        bounds.push(this.observed(coordinate, '*'));
    }
    const known = bounds.filter((b): b is number => b !== null);
    // at least 1: statistics are minutes old, and a list empty then may not be now
    return known.length > 0 ? Math.max(1, Math.min(...known)) : null;
  }
}
