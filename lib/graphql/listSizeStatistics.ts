// How long the lists of a subgraph really are: each subgraph publishes, for the list fields it
// resolves, how many items one parent has (the most, and the 95th percentile), in the internal
// field `Query._listSizes` (`@inaccessible`: the public graph does not have it; only the
// gateway's signed requests reach it). The gateway's cost limit estimates list sizes from these
// numbers instead of fixed guesses (gateway/limits/listSizes.ts, docs/security.md).
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../database/sql.ts';

/**
 * One statistic: `field` is `Type.field`; `scope` says which parents it counts — `*` every
 * parent, a region level (`PROVINCE`, `CITY`, `COUNTY`) the parents of that level (for a Query
 * field: its `level` argument), `subtree:LEVEL` with `includeSubtree: true`, `char:X` a name
 * search containing the character X (`char:*`: any character not listed).
 */
export interface ListSizeStatistic {
  field: string;
  scope: string;
  max: number;
  p95: number;
}

/** The operation the gateway sends to each subgraph for them. */
export const LIST_SIZES_QUERY = '{ _listSizes { field scope max p95 } }';

/** A subgraph computes its statistics at most once per this period: one statement, not one per gateway ask. */
export const LIST_SIZES_CACHE_MS = 60_000;

/**
 * SQL over rows `sizes(field, scope, n)` (one per parent) giving `field, scope, max, p95`: what
 * a subgraph's statement ends with. Parents that have no row at all (no data yet) give no
 * statistic, and the gateway keeps its fixed guess for them.
 */
export const summarizeSizesSql = (sizes: string): string =>
  `select field, scope, max(n)::int as max, (percentile_disc(0.95) within group (order by n))::int as p95
     from (${sizes}) as sizes(field, scope, n) group by field, scope`;

interface Cached {
  at: number;
  statistics: Promise<ListSizeStatistic[]>;
}

/**
 * The resolver of `Query._listSizes`: `statement` is the subgraph's one SQL statement, run at
 * most once per LIST_SIZES_CACHE_MS for each database (a test process holds several hubs).
 */
export function listSizesResolver(statement: string): (parent: unknown, args: unknown, context: { em: EntityManager }) => Promise<ListSizeStatistic[]> {
  const cache = new WeakMap<object, Cached>();
  return async (_parent, _args, { em }) => {
    const database = em.getDriver();
    const cached = cache.get(database);
    if (cached && Date.now() - cached.at < LIST_SIZES_CACHE_MS) return cached.statistics;
    const statistics = sql<ListSizeStatistic>(em, statement);
    cache.set(database, { at: Date.now(), statistics });
    // a failed statement is not kept: the next ask tries again
    statistics.catch(() => {
      if (cache.get(database)?.statistics === statistics) cache.delete(database);
    });
    return statistics;
  };
}
