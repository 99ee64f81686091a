// Hotline figures of many scopes (regions' subtrees, agencies) in ONE SQL statement: the
// tickets received in the period are grouped by scope, and with GROUPING SETS by scope and
// level of the agency, category, line and channel, so byLevel and the breakdowns come from the
// same scan. "As of" is the end of the period, or now while the period is still running.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import type { RegionLevel } from '../../../lib/regions/divisions.ts';
import { levelOfCodeSql, subtreeRootsSql } from '../../../lib/regions/codes.ts';
import type { Period } from './period.ts';

export interface Measures {
  received: number;
  direct: number;
  referred: number;
  resolved: number;
  resolvedOnTime: number;
  resolvedWithDue: number;
  open: number;
  overdue: number;
  rated: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  medianHandlingHours: number | null;
  p90HandlingHours: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
}

export interface Figures extends Measures {
  /** The scope: a region code or an agency id. */
  key?: string;
  from: string;
  to: string;
  asOf: string;
  dispatched: number;
  undispatched: number;
  byLevel: (Measures & { level: RegionLevel })[];
  byCategory: { code: string | null; received: number }[];
  byLine: { code: string; received: number }[];
  byChannel: { code: string | null; received: number }[];
}


const LEVELS: RegionLevel[] = ['PROVINCE', 'CITY', 'COUNTY'];

/**
 * Where the tickets of each scope come from. `from` must produce `s.key` (text) joined to the
 * tickets `t`; its parameters are numbered from 1 and the period's follow them.
 */
export interface ScopeSource {
  from: string;
  /** A condition on the tickets `t` that narrows the scan (an index range), if any. */
  where?: string;
  params: unknown[];
}

/**
 * Regions: every ticket whose region code lies in the subtree (or, without subtree, is the code).
 * The batch's union range is a constant [lo, hi) the planner scans by index; each ticket then
 * finds its regions of the batch by equality (itself, its city, its province), a hash join
 * rather than a range comparison with every region (docs/performance.md).
 */
export function regionScopes(codes: readonly string[], includeSubtree: boolean, prefixOf: (code: string) => string): ScopeSource {
  const [lo, hi] = includeSubtree ? subtreesRangeOf(codes, prefixOf) : [codes.reduce((a, b) => (b < a ? b : a)), `${codes.reduce((a, b) => (b > a ? b : a))}:`];
  return {
    from: `hotline.ticket t
           cross join lateral ${includeSubtree ? subtreeRootsSql('t.region_code', codes) : '(values (t.region_code))'} as c(code)
           join unnest($1::text[]) as s(key) on s.key = c.code`,
    where: `t.region_code >= $2 and t.region_code < $3`,
    params: [[...codes], lo, hi],
  };
}

function subtreesRangeOf(codes: readonly string[], prefixOf: (code: string) => string): [string, string] {
  const prefixes = codes.map(prefixOf);
  return [prefixes.reduce((a, b) => (b < a ? b : a)), prefixes.map((p) => `${p}:`).reduce((a, b) => (b > a ? b : a))];
}

export function agencyScopes(ids: readonly string[]): ScopeSource {
  return {
    from: `(select id, id::text as key from unnest($1::bigint[]) as u(id)) s
           join hotline.ticket t on t.agency_id = s.id`,
    params: [[...ids]],
  };
}

/** The agencies of a subtree (optionally one level) that received tickets, each its own scope. */
export function agenciesInSubtree(prefix: string, level: RegionLevel | null): ScopeSource {
  return {
    from: `hotline.ticket t
           join directory.agency sa on sa.id = t.agency_id and sa.region_code >= $1 and sa.region_code < $2
                and ($3::text is null or ${levelOfCodeSql('sa.region_code')} = $3)
           cross join lateral (select t.agency_id::text as key) s`,
    params: [prefix, `${prefix}:`, level],
  };
}

/** One aggregated row: the figures of a key, of a key and level, or one breakdown count. */
export interface RollupRow {
  key: string;
  /** Which grouping, numbered as grouping(lvl, category_code, line_code, channel_code) would. */
  g: number;
  lvl: RegionLevel | null;
  category_code: string | null;
  line_code: string | null;
  channel_code: string | null;
  as_of: Date | null;
  received: number;
  direct: number;
  referred: number;
  resolved: number;
  resolved_on_time: number;
  resolved_with_due: number;
  overdue: number;
  rated: number;
  satisfied: number;
  basically_satisfied: number;
  dissatisfied: number;
  median_hours: number | null;
  p90_hours: number | null;
}

/** The columns of a RollupRow after `key`, in order: the year rollup table stores them as they are. */
export const ROLLUP_COLUMNS = [
  'g', 'lvl', 'category_code', 'line_code', 'channel_code', 'as_of', 'received', 'direct', 'referred', 'resolved',
  'resolved_on_time', 'resolved_with_due', 'overdue', 'rated', 'satisfied', 'basically_satisfied', 'dissatisfied',
  'median_hours', 'p90_hours',
] as const;

/** Grouping numbers of the rows that are figures (not breakdown counts): a scope, and a scope and level. */
export const FIGURE_GROUPINGS = [0b1111, 0b0111] as const;

export interface RollupOptions {
  /** Without breakdowns (byCategory, byLine, byChannel stay empty) the rows are aggregated once. */
  breakdowns?: boolean;
  /**
   * 'now-capped' (the API): as of the end of the period, or now while the period runs.
   * 'period-end': as of the end even when it is still ahead — the year rollup's stored figures,
   * which are read only once the year is over (a later change to a ticket marks them stale).
   */
  asOf?: 'now-capped' | 'period-end';
  /**
   * Per calendar month (China Standard Time) of receipt: each key becomes `key|YYYY-MM`, the
   * counts still as of the period's end, so the months of a scope add up to its period figures.
   */
  monthly?: boolean;
}

/** The statement computing the RollupRows of a scope source over a period. */
export function rollupRowsSql(scope: ScopeSource, period: Period, options: RollupOptions = {}): { text: string; params: unknown[] } {
  const breakdowns = options.breakdowns ?? true;
  const n = scope.params.length;
  const end = `$${n + 2}::timestamptz`;
  const text = `with tk as (
       select ${options.monthly ? `s.key || '|' || to_char(t.received_at at time zone 'Asia/Shanghai', 'YYYY-MM') as key` : 's.key'}, t.line_code, t.category_code, t.channel_code, t.dispatch_mode, t.received_at, t.due_at,
              t.resolved_at, t.satisfaction,
              case when a.id is null then null else ${levelOfCodeSql('a.region_code')} end as lvl,
              ${options.asOf === 'period-end' ? end : `least(${end}, now())`} as as_of
         from ${scope.from}
         left join directory.agency a on a.id = t.agency_id
        where ${scope.where ? `${scope.where} and ` : ''}t.received_at >= $${n + 1}::timestamptz and t.received_at < ${end}
     ),
     -- Figures and byLevel need the percentiles, which make Postgres sort; the breakdowns are
     -- plain counts it can hash. Two aggregations of the same rows, one statement.
     main as (
       select key, grouping(lvl)::int as gl, lvl,
              min(as_of) as as_of,
              count(*)::int as received,
              count(*) filter (where dispatch_mode = 'DIRECT')::int as direct,
              count(*) filter (where dispatch_mode = 'REFERRED')::int as referred,
              count(*) filter (where resolved_at <= as_of)::int as resolved,
              count(*) filter (where resolved_at <= as_of and resolved_at <= due_at)::int as resolved_on_time,
              count(*) filter (where resolved_at <= as_of and due_at is not null)::int as resolved_with_due,
              count(*) filter (where due_at < as_of and (resolved_at is null or resolved_at > as_of))::int as overdue,
              count(satisfaction)::int as rated,
              count(*) filter (where satisfaction = 'SATISFIED')::int as satisfied,
              count(*) filter (where satisfaction = 'BASICALLY_SATISFIED')::int as basically_satisfied,
              count(*) filter (where satisfaction = 'DISSATISFIED')::int as dissatisfied,
              -- one sort gives both percentiles
              percentile_cont(array[0.5, 0.9]) within group (order by case when resolved_at <= as_of then extract(epoch from resolved_at - received_at) / 3600 end) as hours
         from tk
        group by grouping sets ((key), (key, lvl))
     )${breakdowns ? `,
     breakdown as (
       select key, grouping(category_code, line_code, channel_code)::int as gb, category_code, line_code, channel_code,
              count(*)::int as received
         from tk
        group by grouping sets ((key, category_code), (key, line_code), (key, channel_code))
     )` : ''}
     select key, 7 + 8 * gl as g, lvl, null as category_code, null as line_code, null as channel_code, as_of, received, direct,
            referred, resolved, resolved_on_time, resolved_with_due, overdue, rated, satisfied, basically_satisfied, dissatisfied,
            hours[1] as median_hours, hours[2] as p90_hours
       from main${
         breakdowns
           ? `
     union all
     select key, 8 + gb, null, category_code, line_code, channel_code, null, received, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null
       from breakdown`
           : ''
       }`;
  return { text, params: [...scope.params, period.start, period.end] };
}

/** Figures per key, in the order of `keys`; without keys, of every scope that has tickets. */
export async function rollup(
  em: EntityManager,
  scope: ScopeSource,
  period: Period,
  keys: readonly string[] | null,
  options: RollupOptions = {},
): Promise<Figures[]> {
  const { text, params } = rollupRowsSql(scope, period, options);
  return figuresOfRows(await sql<RollupRow>(em, text, params), period, keys);
}

/** Assembles RollupRows (computed now, or read from the year rollup) into Figures per key. */
export function figuresOfRows(rows: readonly RollupRow[], period: Period, keys: readonly string[] | null): Figures[] {
  const asOfDefault = new Date(Math.min(Date.parse(period.end), Date.now())).toISOString();
  const order = keys ?? [...new Set(rows.map((row) => row.key))];
  const figures = new Map<string, Figures>(order.map((key) => [key, emptyFigures(period, asOfDefault)]));
  for (const row of rows) {
    const f = figures.get(row.key);
    if (!f) continue;
    const m = measures(row);
    switch (row.g) {
      case 0b1111:
        Object.assign(f, m, { asOf: new Date(row.as_of!).toISOString() });
        break;
      case 0b0111:
        if (row.lvl === null) f.undispatched = m.received;
        else Object.assign(f.byLevel.find((l) => l.level === row.lvl)!, m);
        break;
      case 0b1011:
        f.byCategory.push({ code: row.category_code, received: row.received });
        break;
      case 0b1101:
        f.byLine.push({ code: row.line_code!, received: row.received });
        break;
      case 0b1110:
        f.byChannel.push({ code: row.channel_code, received: row.received });
        break;
    }
  }
  for (const f of figures.values()) {
    f.dispatched = f.received - f.undispatched;
    for (const list of [f.byCategory, f.byLine, f.byChannel]) list.sort((a, b) => b.received - a.received || String(a.code).localeCompare(String(b.code)));
  }
  return order.map((key) => ({ ...figures.get(key)!, key }));
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

function measures(row: RollupRow): Measures {
  return {
    received: row.received,
    direct: row.direct,
    referred: row.referred,
    resolved: row.resolved,
    resolvedOnTime: row.resolved_on_time,
    resolvedWithDue: row.resolved_with_due,
    open: row.received - row.resolved,
    overdue: row.overdue,
    rated: row.rated,
    satisfied: row.satisfied,
    basicallySatisfied: row.basically_satisfied,
    dissatisfied: row.dissatisfied,
    medianHandlingHours: row.median_hours === null ? null : Number(row.median_hours),
    p90HandlingHours: row.p90_hours === null ? null : Number(row.p90_hours),
    onTimeRate: rate(row.resolved_on_time, row.resolved_with_due),
    satisfactionRate: rate(row.satisfied + row.basically_satisfied, row.rated),
  };
}

const emptyMeasures = (): Measures => ({
  received: 0,
  direct: 0,
  referred: 0,
  resolved: 0,
  resolvedOnTime: 0,
  resolvedWithDue: 0,
  open: 0,
  overdue: 0,
  rated: 0,
  satisfied: 0,
  basicallySatisfied: 0,
  dissatisfied: 0,
  medianHandlingHours: null,
  p90HandlingHours: null,
  onTimeRate: null,
  satisfactionRate: null,
});

function emptyFigures(period: Period, asOf: string): Figures {
  return {
    ...emptyMeasures(),
    from: period.from,
    to: period.to,
    asOf,
    dispatched: 0,
    undispatched: 0,
    byLevel: LEVELS.map((level) => ({ level, ...emptyMeasures() })),
    byCategory: [],
    byLine: [],
    byChannel: [],
  };
}
