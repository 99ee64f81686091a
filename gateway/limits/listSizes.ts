// How many items a list field gives, for the cost limit (documentLimits.ts): the sizes the
// subgraphs observe in their own tables (Query._listSizes, lib/graphql/listSizeStatistics.ts),
// fetched by gateway/listSizeStatistics.ts; the fixed guesses below where a subgraph has not
// published one (no data yet, or the statistics could not be read).
//
// An estimate is the most items one parent has (never the 95th percentile: the cost limit is a
// security control, and a query about the largest city must not be let through on the
// numbers of a typical one), at least 1. When the query says which parent — the level and the
// province of a code argument, a level argument, a region's children one level down in the same
// province — the statistic of that kind of parent is used (湖南省's cities are not priced with
// 重庆市's 38 districts and counties), else the largest of all kinds. A size argument (`first: 1000`) is a bound the caller sets; the data's
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
  // a year's months, as the figures are mostly asked for (hotline(year:)); a longer period has up
  // to 120, read in the same statement as the period's own figures, whose weight is the cost
  'HotlineFigures.byMonth': 12,
};
export const DEFAULT_LIST_SIZE = 20;

const LEVELS: readonly RegionLevel[] = ['PROVINCE', 'CITY', 'COUNTY'];

/**
 * What the query tells of the regions a field is about: the levels they can be at, and the
 * province they are in (its two-digit code prefix); null when it tells nothing.
 */
export interface RegionScope {
  levels: ReadonlySet<RegionLevel> | null;
  province: string | null;
}

/** The regions one level down from a region of these levels (a province's children: cities, or counties under a municipality). */
const BELOW: Record<RegionLevel, readonly RegionLevel[]> = { PROVINCE: ['CITY', 'COUNTY'], CITY: ['COUNTY'], COUNTY: [] };
const ABOVE: Record<RegionLevel, readonly RegionLevel[]> = { PROVINCE: [], CITY: ['PROVINCE'], COUNTY: ['CITY', 'PROVINCE'] };

const step = (from: ReadonlySet<RegionLevel> | null, direction: Record<RegionLevel, readonly RegionLevel[]>): ReadonlySet<RegionLevel> | null => {
  if (!from) return null;
  const next = new Set([...from].flatMap((level) => direction[level]));
  return next.size > 0 ? next : null;
};

const scope = (levels: ReadonlySet<RegionLevel> | null, province: string | null): RegionScope | null =>
  levels || province ? { levels, province } : null;

const isLevel = (value: unknown): value is RegionLevel => typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
const validCode = (value: unknown): string | null => (typeof value === 'string' && isRegionCode(value) ? value : null);

/** A field's argument values, as the query gives them (variables resolved); undefined when not given. */
export type ArgumentValue = (name: string) => unknown;

/**
 * What the query tells of the regions a field returns: `region(code:)` by its code,
 * `regions(level:)` and `regions(parentCode:)` by their arguments, `children` and `parent` one
 * level from their region's, in its province.
 */
export function regionScopeOf(coordinate: string, argument: ArgumentValue, parent: RegionScope | null): RegionScope | null {
  switch (coordinate) {
    case 'Query.region': {
      const code = validCode(argument('code'));
      return code ? { levels: new Set([levelOfCode(code)]), province: code.slice(0, 2) } : null;
    }
    case 'Query.regions': {
      const level = argument('level');
      const parentCode = validCode(argument('parentCode'));
      const below = parentCode ? step(new Set([levelOfCode(parentCode)]), BELOW) : null;
      return scope(isLevel(level) ? new Set([level]) : below, parentCode ? parentCode.slice(0, 2) : null);
    }
    case 'Region.children':
      return parent ? scope(step(parent.levels, BELOW), parent.province) : null;
    case 'Region.parent':
      return parent ? scope(step(parent.levels, ABOVE), parent.province) : null;
    default:
      return null;
  }
}

/** A key of a region scope, for memoising what depends on it. */
export const regionScopeKey = (scope: RegionScope | null): string =>
  scope ? `${scope.province ?? '*'}:${scope.levels ? [...scope.levels].sort().join(',') : '*'}` : '*';

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

  /**
   * Per parent region in the scope: of its levels (every level when unknown), within its province
   * when known, else nationwide (`*`: any parent, when a level has no statistic).
   */
  #perRegion(field: string, scope: RegionScope | null, prefix = ''): number | null {
    const levels = [...(scope?.levels ?? LEVELS)];
    if (scope?.province && this.observed(field, '*') !== null) {
      // the field is published: a level the province has no row for has no such parent (or no items)
      return Math.max(0, ...levels.map((level) => this.observed(field, `${scope.province}:${prefix}${level}`) ?? 0));
    }
    return this.#largest(field, levels.map((level) => `${prefix}${level}`)) ?? (prefix ? null : this.observed(field, '*'));
  }

  #regionAgencies(scope: RegionScope | null, includeSubtree: unknown): number | null {
    // a region's subtree holds its own agencies and those below
    return this.#perRegion('Region.agencies', scope, includeSubtree === true ? 'subtree:' : '');
  }

  /** Regions (of a level, or of any) whose name holds every CJK character of the search: at most as many as hold its rarest. */
  #regionSearch(search: unknown, level: RegionLevel | null): number | null {
    if (typeof search !== 'string') return null;
    const characters = [...new Set(search.trim())].filter((c) => CJK_CHARACTER.test(c));
    if (characters.length === 0) return null;
    const within = level ? `${level}:` : '';
    const counts = characters.map((c) => this.observed('Query.regions', `${within}char:${c}`) ?? this.observed('Query.regions', `${within}char:*`));
    return counts.some((n) => n === null) ? null : Math.min(...(counts as number[]));
  }

  /**
   * The most items the field can give for one parent, from the statistics and the arguments the
   * query gives; null when no statistic applies (the caller keeps its fixed guess).
   */
  bound(coordinate: string, argument: ArgumentValue, parent: RegionScope | null): number | null {
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
        const parentCode = validCode(argument('parentCode'));
        bounds.push(this.observed('Query.regions', '*'), this.#regionSearch(argument('search'), null));
        if (isLevel(level)) bounds.push(this.observed('Query.regions', level), this.#regionSearch(argument('search'), level));
        if (parentCode) bounds.push(this.#perRegion('Region.children', { levels: new Set([levelOfCode(parentCode)]), province: parentCode.slice(0, 2) }));
        break;
      }
      case 'Query.agencies': {
        const level = argument('level');
        const regionCode = validCode(argument('regionCode'));
        bounds.push(this.observed('Query.agencies', '*'));
        if (isLevel(level)) bounds.push(this.observed('Query.agencies', level));
        if (regionCode) {
          bounds.push(this.#regionAgencies({ levels: new Set([levelOfCode(regionCode)]), province: regionCode.slice(0, 2) }, argument('includeSubtree')));
        }
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
