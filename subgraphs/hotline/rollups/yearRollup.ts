// The year rollup: the hotline figures of every region for every calendar year, computed ahead
// into hotline.year_rollup with the same statement that computes them on demand
// (rollupRowsSql), and read back when a request asks for a whole calendar year that is over —
// the dashboards' usual question. Any other period, and a year whose tickets changed since its
// last refresh, is computed from the tickets as before: the answer is the same either way,
// only its cost differs (docs/performance.md).
//
// Freshness is kept per (province, year): triggers on hotline.ticket bump its generation in the
// writing transaction (Migration20261123000000YearRollup); a refresh stores the rows and the
// generation it computed them from, in one REPEATABLE READ transaction, so a ticket written
// while it ran makes it fail rather than store figures that miss it.
//
// What a refresh records in the hotline's change log (lib/cache/changeLog.ts), in its
// transaction: nothing for a stale (province, year) — its rows were not served, its figures were
// computed from the tickets, the same figures the refresh stores. A refresh of current rows
// (`--all`, after agencies changed level) can change what every region of the province shows in
// that year: it records each region whose rows it replaced (a change at the province alone
// would reach only the province's and the country's answers, not its cities' and counties').
// Any hotline write committed while such a refresh runs makes the record fail as a concurrent
// update, and the refresh is tried again, as for its tickets.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { recordChanges } from '../../../lib/cache/changeLog.ts';
import { regionChanges } from '../../../lib/cache/changes.ts';
import { everySubtreeRootSql, subtreePrefix } from '../../../lib/regions/codes.ts';
import { periodArguments, type Period } from './period.ts';
import {
  FIGURE_GROUPINGS,
  ROLLUP_COLUMNS,
  figuresOfRows,
  regionScopes,
  rollup,
  rollupRowsSql,
  type Figures,
  type RollupRow,
  type ScopeSource,
} from './rollupSql.ts';

/** The calendar year a period is, if it is exactly one and has ended; otherwise null. */
export function endedCalendarYear(period: Period, now = Date.now()): number | null {
  const year = Number(period.from.slice(0, 4));
  if (period.from !== `${year}-01-01` || period.to !== `${year}-12-31`) return null;
  return Date.parse(period.end) <= now ? year : null;
}

/** Figures of regions (their subtrees, or their own tickets), from the year rollup where it is current. */
export async function figuresOfRegions(
  em: EntityManager,
  codes: readonly string[],
  period: Period,
  options: { includeSubtree: boolean; breakdowns: boolean },
): Promise<Figures[]> {
  const computed = (some: readonly string[]) =>
    rollup(em, regionScopes(some, options.includeSubtree, subtreePrefix), period, some, { breakdowns: options.breakdowns });
  const year = endedCalendarYear(period);
  if (year === null) return computed(codes);
  // A (province, year) without a state row never had a ticket: its regions' figures are empty.
  const rows = await sql<RollupRow & { stale: boolean }>(
    em,
    `select s.key, coalesce(st.refreshed_generation is distinct from st.generation, false) as stale, ${ROLLUP_COLUMNS.map((c) => `r.${c}`).join(', ')}
       from unnest($1::text[]) as s(key)
       left join hotline.year_rollup_state st on st.province_prefix = left(s.key, 2) and st.year = $2
       left join hotline.year_rollup r on r.year = $2 and r.subtree = $3 and r.key = s.key
            and st.refreshed_generation is not distinct from st.generation
            and ($4 or r.g = any($5::smallint[]))`,
    [[...codes], year, options.includeSubtree, options.breakdowns, [...FIGURE_GROUPINGS]],
  );
  const figures = figuresOfRows(rows.filter((row) => !row.stale && row.g !== null), period, codes);
  const stale = [...new Set(rows.filter((row) => row.stale).map((row) => row.key))];
  if (stale.length === 0) return figures;
  const recomputed = new Map((await computed(stale)).map((f) => [f.key!, f]));
  return figures.map((f) => recomputed.get(f.key!) ?? f);
}

/**
 * Every ticket of a province, once for each region whose subtree holds it (its province, city
 * and itself), or once under its own code: the keys of the year rollup's rows.
 */
function provinceScopes(prefix: string, subtree: boolean): ScopeSource {
  return {
    from: `hotline.ticket t cross join lateral ${subtree ? everySubtreeRootSql('t.region_code') : '(values (t.region_code))'} as s(key)`,
    where: `t.region_code >= $1 and t.region_code < $2 and s.key is not null`,
    params: [prefix, `${prefix}:`],
  };
}

/** Records every (province, year) that has tickets as stale: after a bulk load that bypassed the triggers. */
export const MARK_EVERY_TICKET_YEAR_STALE = `
  insert into hotline.year_rollup_state as s (province_prefix, year)
  select distinct left(region_code, 2), extract(year from received_at at time zone 'Asia/Shanghai')::smallint from hotline.ticket
  on conflict (province_prefix, year) do update set generation = s.generation + 1`;

export interface RefreshProgress {
  done: number;
  total: number;
  province: string;
  year: number;
}

export interface RefreshSummary {
  /** (province, year) pairs refreshed. */
  refreshed: number;
  /** Pairs whose tickets kept changing during every attempt: still stale, computed on demand. */
  skipped: number;
  seconds: number;
}

const SERIALIZATION_FAILURE = '40001';
const ATTEMPTS = 3;

/**
 * Refreshes every stale (province, year) — or, with `all`, every one (after the agency
 * directory changed the level of agencies: byLevel depends on it and no trigger sees that).
 */
export async function refreshYearRollups(
  em: EntityManager,
  options: { all?: boolean; onProgress?: (progress: RefreshProgress) => void } = {},
): Promise<RefreshSummary> {
  const started = performance.now();
  const pending = await sql<{ province_prefix: string; year: number }>(
    em,
    `select province_prefix, year from hotline.year_rollup_state
      where $1 or refreshed_generation is distinct from generation order by year, province_prefix`,
    [options.all ?? false],
  );
  let refreshed = 0;
  let skipped = 0;
  for (const [i, { province_prefix: prefix, year }] of pending.entries()) {
    options.onProgress?.({ done: i, total: pending.length, province: prefix, year });
    if (await refreshOne(em, prefix, year)) refreshed++;
    else skipped++;
  }
  if (pending.length > 0) options.onProgress?.({ done: pending.length, total: pending.length, province: '', year: 0 });
  return { refreshed, skipped, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

async function refreshOne(em: EntityManager, prefix: string, year: number): Promise<boolean> {
  const period = periodArguments({ year });
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      await em.fork().transactional(
        async (tx) => {
          const [state] = await sql<{ generation: string; served: boolean }>(
            tx,
            `select generation, refreshed_generation is not distinct from generation as served
               from hotline.year_rollup_state where province_prefix = $1 and year = $2`,
            [prefix, year],
          );
          if (!state) return; // its tickets were truncated since the list was read
          const replaced = await sql<{ key: string }>(
            tx,
            `with gone as (delete from hotline.year_rollup where year = $1 and key >= $2 and key < $3 returning key) select distinct key from gone`,
            [year, prefix, `${prefix}:`],
          );
          for (const subtree of [true, false]) {
            const { text, params } = rollupRowsSql(provinceScopes(prefix, subtree), period, { asOf: 'period-end' });
            await sql(
              tx,
              `insert into hotline.year_rollup (year, subtree, key, ${ROLLUP_COLUMNS.join(', ')})
               select $${params.length + 1}, $${params.length + 2}, key, ${ROLLUP_COLUMNS.join(', ')} from (${text}) r`,
              [...params, year, subtree],
            );
          }
          await sql(
            tx,
            `update hotline.year_rollup_state set refreshed_generation = $3, refreshed_at = now() where province_prefix = $1 and year = $2`,
            [prefix, year, state.generation],
          );
          if (state.served) await recordChanges(tx, 'hotline', regionChanges(replaced.map((row) => [row.key, year] as const)));
        },
        { isolationLevel: 'repeatable read' },
      );
      return true;
    } catch (error) {
      // Tickets of this (province, year) were written meanwhile (its generation moved on): again.
      if ((error as { code?: string }).code !== SERIALIZATION_FAILURE) throw error;
    }
  }
  return false;
}
