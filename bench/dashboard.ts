// The benchmark's two queries — the province dashboard and the national overview — as GraphQL
// through the gateway and as the "SQL floor": ONE hand-written statement against Postgres that
// computes exactly the numbers the GraphQL query asks for, the best a database round trip can
// do. Both are turned into the same plain shape so that tests/bench/floor.test.ts and the
// benchmark can check that they agree, number for number.
//
// The floor reads every subgraph's tables at once (it is a yardstick, not a subgraph: no
// ownership applies), aggregates reports once per region code and rolls those rows up into
// every requested region; its hotline figures are read from the hotline subgraph's year rollup
// (the rows the subgraph reads for a past year), or, for comparison, computed from every ticket
// of the scope, added into each requested region that holds it (found by equality: its
// province, city and own code), since medians are not additive — with the same expressions as
// the subgraphs.
import { subtreePrefix } from '../lib/regions/codes.ts';

const DISCLOSURE = `agencies filed missing late flagged
    totals { proactiveTotal applicationsReceived granted partial denied reconsiderations reconsiderationsCorrected lawsuits lawsuitsCorrected feesAmount }
    rates { denialRate correctionRate filingRate lateRate }
    byLevel { level agencies filed missing late flagged totals { applicationsReceived denied } }`;
const HOTLINE = `received dispatched undispatched resolved overdue onTimeRate satisfactionRate medianHandlingHours
    byLevel { level received resolved overdue onTimeRate satisfactionRate }`;
const FIGURES = `code name level
  disclosure(year: $year) { ${DISCLOSURE} }
  hotline(year: $year) { ${HOTLINE} }`;

/** A province, its children (cities, or the counties of a 直辖市) and their children. */
export const PROVINCE_DASHBOARD = `query ProvinceDashboard($code: ID!, $year: Int!) {
  region(code: $code) {
    ${FIGURES}
    children {
      ${FIGURES}
      children { ${FIGURES} }
    }
  }
}`;

/** All 31 provinces with their rollups. */
export const NATIONAL_OVERVIEW = `query NationalOverview($year: Int!) {
  regions(level: PROVINCE) { ${FIGURES} }
}`;

export type Numbers = Record<string, number | null>;
export interface RegionNumbers {
  disclosure: Numbers;
  hotline: Numbers;
}
/** region code → its numbers, flattened to `field` / `byLevel.CITY.field` paths. */
export type Dashboard = Map<string, RegionNumbers>;

function flatten(value: unknown, prefix = '', out: Numbers = {}): Numbers {
  if (Array.isArray(value)) {
    for (const { level, ...rest } of value as Record<string, unknown>[]) flatten(rest, `${prefix}${level}.`, out);
  } else {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object') flatten(v, `${prefix}${key}.`, out);
      else out[`${prefix}${key}`] = v as number | null;
    }
  }
  return out;
}

interface GraphQLRegion {
  code: string;
  disclosure: unknown;
  hotline: unknown;
  children?: GraphQLRegion[];
}

/** The numbers of a ProvinceDashboard or NationalOverview answer. */
export function dashboardOfResponse(data: { region?: GraphQLRegion; regions?: GraphQLRegion[] }): Dashboard {
  const out: Dashboard = new Map();
  const visit = (region: GraphQLRegion) => {
    out.set(region.code, { disclosure: flatten(region.disclosure), hotline: flatten(region.hotline) });
    region.children?.forEach(visit);
  };
  if (data.region) visit(data.region);
  data.regions?.forEach(visit);
  return out;
}

const LEVEL = (column: string) =>
  `(case when ${column} like '__0000' then 'PROVINCE' when ${column} like '____00' then 'CITY' else 'COUNTY' end)`;

/**
 * Where the floor's hotline figures come from: the tickets (every ticket of the scope
 * aggregated, what the subgraph does for a period it has not computed ahead), or the hotline
 * subgraph's year rollup (what it reads for a whole past year: the best one statement can do).
 */
export type FloorHotline = 'tickets' | 'year-rollup';

const HOTLINE_FROM_TICKETS = `
tickets as (
  select t.region_code, t.received_at, t.due_at, t.resolved_at, t.satisfaction,
         case when a.id is null then null else ${LEVEL('a.region_code')} end as lvl,
         least($6::timestamptz, now()) as as_of
    from hotline.ticket t
    left join directory.agency a on a.id = t.agency_id
   where t.region_code >= $3 and t.region_code < $4
     and t.received_at >= $5::timestamptz and t.received_at < $6::timestamptz
),
hotline as (
  select q.code, grouping(k.lvl) as whole, k.lvl,
         count(*) as received,
         count(*) filter (where k.resolved_at <= k.as_of) as resolved,
         count(*) filter (where k.resolved_at <= k.as_of and k.resolved_at <= k.due_at) as resolved_on_time,
         count(*) filter (where k.resolved_at <= k.as_of and k.due_at is not null) as resolved_with_due,
         count(*) filter (where k.due_at < k.as_of and (k.resolved_at is null or k.resolved_at > k.as_of)) as overdue,
         count(k.satisfaction) as rated,
         count(*) filter (where k.satisfaction in ('SATISFIED', 'BASICALLY_SATISFIED')) as satisfied,
         percentile_cont(0.5) within group (order by case when k.resolved_at <= k.as_of then extract(epoch from k.resolved_at - k.received_at) / 3600 end) as median_hours
    from tickets k
    -- each ticket joins, by equality, the requested regions that hold it: its province, its city, itself
    cross join lateral (values (left(k.region_code, 2) || '0000'),
                               (case when k.region_code not like '__0000' then left(k.region_code, 4) || '00' end),
                               (case when k.region_code not like '____00' then k.region_code end)) as c(code)
    join req q on q.code = c.code
   group by grouping sets ((q.code), (q.code, k.lvl))
)`;

// Rows of the rollup for the year as the subgraph stores them (g 15: the region, 7: a level).
const HOTLINE_FROM_YEAR_ROLLUP = `
hotline as (
  select r.key as code, (r.g = 15)::int as whole, r.lvl, r.received, r.resolved, r.resolved_on_time, r.resolved_with_due,
         r.overdue, r.rated, r.satisfied + r.basically_satisfied as satisfied, r.median_hours
    from hotline.year_rollup r
    join req q on q.code = r.key
   where r.year = $2 and r.subtree and r.g in (7, 15)
)`;

/**
 * The floor: one statement. $1 region codes to report, $2 the year, $3/$4 the [lo, hi) range of
 * region codes that contains all their subtrees (one province: '43'..'43:'; the country: ''..'~');
 * from the tickets, $5/$6 the instants bounding the year.
 */
export const floorSql = (hotline: FloorHotline): string => `
with req as (
  select code, case when code like '__0000' then left(code, 2) when code like '____00' then left(code, 4) else code end as prefix
    from unnest($1::text[]) as code
),
expected as (
  select a.region_code as code, count(*) as agencies,
         count(*) filter (where r.agency_id is null and not exists (
           select 1 from reports.annual_report o where o.agency_id = a.id and o.year = $2 and o.superseded_at is null)) as missing
    from directory.agency a
    left join (select agency_id from reports.annual_report
                where year = $2 and superseded_at is null and region_code >= $3 and region_code < $4) r on r.agency_id = a.id
   where a.region_code >= $3 and a.region_code < $4
     and coalesce(a.active_from, 0) <= $2 and coalesce(a.active_to, 9999) >= $2
     and a.review_status = 'CONFIRMED'
   group by a.region_code
),
filed as (
  select region_code as code, count(*) as filed, count(*) filter (where is_late) as late, count(*) filter (where flag_count > 0) as flagged,
         sum(proactive_total) as proactive_total, sum(applications_received) as applications_received, sum(granted) as granted,
         sum(partial) as partial, sum(denied) as denied, sum(reconsiderations) as reconsiderations,
         sum(reconsiderations_corrected) as reconsiderations_corrected, sum(reconsiderations_pending) as reconsiderations_pending,
         sum(lawsuits) as lawsuits, sum(lawsuits_corrected) as lawsuits_corrected, sum(lawsuits_pending) as lawsuits_pending,
         sum(fees_amount) as fees_amount
    from reports.annual_report
   where year = $2 and superseded_at is null and region_code >= $3 and region_code < $4
     and agency_id not in (select id from directory.agency where review_status <> 'CONFIRMED')
   group by region_code
),
per_code as (
  select coalesce(e.code, f.code) as code, ${LEVEL('coalesce(e.code, f.code)')} as lvl,
         coalesce(e.agencies, 0) as agencies, coalesce(e.missing, 0) as missing, coalesce(f.filed, 0) as filed,
         coalesce(f.late, 0) as late, coalesce(f.flagged, 0) as flagged, f.proactive_total, f.applications_received, f.granted,
         f.partial, f.denied, f.reconsiderations, f.reconsiderations_corrected, f.reconsiderations_pending, f.lawsuits,
         f.lawsuits_corrected, f.lawsuits_pending, f.fees_amount
    from expected e full join filed f on f.code = e.code
),
disclosure as (
  select q.code, grouping(p.lvl) as whole, p.lvl,
         sum(p.agencies) as agencies, sum(p.missing) as missing, sum(p.filed) as filed, sum(p.late) as late, sum(p.flagged) as flagged,
         coalesce(sum(p.proactive_total), 0) as proactive_total, coalesce(sum(p.applications_received), 0) as applications_received,
         coalesce(sum(p.granted), 0) as granted, coalesce(sum(p.partial), 0) as partial, coalesce(sum(p.denied), 0) as denied,
         coalesce(sum(p.reconsiderations), 0) as reconsiderations, coalesce(sum(p.reconsiderations_corrected), 0) as reconsiderations_corrected,
         coalesce(sum(p.reconsiderations_pending), 0) as reconsiderations_pending, coalesce(sum(p.lawsuits), 0) as lawsuits,
         coalesce(sum(p.lawsuits_corrected), 0) as lawsuits_corrected, coalesce(sum(p.lawsuits_pending), 0) as lawsuits_pending,
         coalesce(sum(p.fees_amount), 0) as fees_amount
    from req q join per_code p on p.code like q.prefix || '%'
   group by grouping sets ((q.code), (q.code, p.lvl))
),
${hotline === 'tickets' ? HOTLINE_FROM_TICKETS : HOTLINE_FROM_YEAR_ROLLUP}
select 'D' as kind, code, case when whole = 1 then '*' else lvl end as lvl,
       agencies, missing, filed, late, flagged, proactive_total, applications_received, granted, partial, denied, reconsiderations,
       reconsiderations_corrected, reconsiderations_pending, lawsuits, lawsuits_corrected, lawsuits_pending, fees_amount,
       null::bigint as received, null::bigint as resolved, null::bigint as resolved_on_time, null::bigint as resolved_with_due,
       null::bigint as overdue, null::bigint as rated, null::bigint as satisfied, null::float8 as median_hours, whole
  from disclosure
union all
select 'H', code, case when whole = 1 then '*' else coalesce(lvl, 'NONE') end, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
       received, resolved, resolved_on_time, resolved_with_due, overdue, rated, satisfied, median_hours, whole
  from hotline`;

export interface FloorScope {
  /** The regions to report (the dashboard's province and its descendants, or the provinces). */
  codes: string[];
  year: number;
  /** [lo, hi) holding every code of their subtrees. */
  lo: string;
  hi: string;
}

export function floorParams(scope: FloorScope, hotline: FloorHotline): unknown[] {
  const params = [scope.codes, scope.year, scope.lo, scope.hi];
  return hotline === 'tickets' ? [...params, `${scope.year}-01-01T00:00:00+08:00`, `${scope.year + 1}-01-01T00:00:00+08:00`] : params;
}

/** The scope of the province dashboard, given the province's subtree (directory.region codes). */
export const provinceScope = (province: string, subtree: string[], year: number): FloorScope => {
  const prefix = subtreePrefix(province);
  return { codes: subtree, year, lo: prefix, hi: `${prefix}:` };
};

export const nationalScope = (provinces: string[], year: number): FloorScope => ({ codes: provinces, year, lo: '', hi: '~' });

type FloorRow = Record<string, string | number | null> & { kind: 'D' | 'H'; code: string; lvl: string };

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const ratio = (part: number, whole: number, scale: number) => (whole > 0 ? (scale * part) / whole : null);
const LEVELS = ['PROVINCE', 'CITY', 'COUNTY'] as const;
const levelsFrom = (code: string) => LEVELS.slice(code.endsWith('0000') ? 0 : code.endsWith('00') ? 1 : 2);

/** The floor's rows in the shape of dashboardOfResponse. */
export function dashboardOfFloor(rows: FloorRow[], codes: string[]): Dashboard {
  const out: Dashboard = new Map(codes.map((code) => [code, { disclosure: {}, hotline: {} }]));
  const byKey = new Map(rows.map((row) => [`${row.kind}:${row.code}:${row.lvl}`, row]));
  for (const code of codes) {
    const entry = out.get(code)!;
    const disclosure = (row: FloorRow | undefined, prefix: string, full: boolean) => {
      const d = entry.disclosure;
      for (const key of ['agencies', 'filed', 'missing', 'late', 'flagged']) d[`${prefix}${key}`] = n(row?.[key]);
      if (full) {
        const t = (column: string) => n(row?.[column]);
        Object.assign(d, {
          [`${prefix}totals.proactiveTotal`]: t('proactive_total'),
          [`${prefix}totals.applicationsReceived`]: t('applications_received'),
          [`${prefix}totals.granted`]: t('granted'),
          [`${prefix}totals.partial`]: t('partial'),
          [`${prefix}totals.denied`]: t('denied'),
          [`${prefix}totals.reconsiderations`]: t('reconsiderations'),
          [`${prefix}totals.reconsiderationsCorrected`]: t('reconsiderations_corrected'),
          [`${prefix}totals.lawsuits`]: t('lawsuits'),
          [`${prefix}totals.lawsuitsCorrected`]: t('lawsuits_corrected'),
          [`${prefix}totals.feesAmount`]: t('fees_amount'),
        });
        const concluded = t('reconsiderations') - t('reconsiderations_pending') + t('lawsuits') - t('lawsuits_pending');
        Object.assign(d, {
          [`${prefix}rates.denialRate`]: ratio(t('denied'), t('applications_received'), 100),
          [`${prefix}rates.correctionRate`]: ratio(t('reconsiderations_corrected') + t('lawsuits_corrected'), concluded, 100),
          [`${prefix}rates.filingRate`]: ratio(t('filed'), t('agencies'), 100),
          [`${prefix}rates.lateRate`]: ratio(t('late'), t('filed'), 100),
        });
      } else {
        d[`${prefix}totals.applicationsReceived`] = n(row?.applications_received);
        d[`${prefix}totals.denied`] = n(row?.denied);
      }
    };
    disclosure(byKey.get(`D:${code}:*`), '', true);
    for (const level of levelsFrom(code)) disclosure(byKey.get(`D:${code}:${level}`), `byLevel.${level}.`, false);

    const h = entry.hotline;
    const measures = (row: FloorRow | undefined, prefix: string, whole: boolean) => {
      h[`${prefix}received`] = n(row?.received);
      h[`${prefix}resolved`] = n(row?.resolved);
      h[`${prefix}overdue`] = n(row?.overdue);
      h[`${prefix}onTimeRate`] = ratio(n(row?.resolved_on_time), n(row?.resolved_with_due), 1);
      h[`${prefix}satisfactionRate`] = ratio(n(row?.satisfied), n(row?.rated), 1);
      if (whole) h.medianHandlingHours = row?.median_hours == null ? null : Number(row.median_hours);
    };
    const all = byKey.get(`H:${code}:*`);
    measures(all, '', true);
    const undispatched = n(byKey.get(`H:${code}:NONE`)?.received);
    h.undispatched = undispatched;
    h.dispatched = n(all?.received) - undispatched;
    for (const level of LEVELS) measures(byKey.get(`H:${code}:${level}`), `byLevel.${level}.`, false);
  }
  return out;
}

/** A pg Client or PoolClient. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/** The floor's numbers; the year rollup must be current (`gongkai hotline refresh-rollups`). */
export async function floorDashboard(client: Queryable, scope: FloorScope, hotline: FloorHotline = 'year-rollup'): Promise<Dashboard> {
  const { rows } = await client.query(floorSql(hotline), floorParams(scope, hotline));
  return dashboardOfFloor(rows as FloorRow[], scope.codes);
}

/** Differences between two dashboards (relative tolerance for floating sums), at most `limit`. */
export function compareDashboards(a: Dashboard, b: Dashboard, limit = 20): string[] {
  const out: string[] = [];
  const close = (x: number | null | undefined, y: number | null | undefined) =>
    x === y || (typeof x === 'number' && typeof y === 'number' && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y)));
  for (const code of new Set([...a.keys(), ...b.keys()])) {
    const ra = a.get(code);
    const rb = b.get(code);
    if (!ra || !rb) {
      out.push(`${code}: only in ${ra ? 'the first' : 'the second'}`);
      continue;
    }
    for (const part of ['disclosure', 'hotline'] as const) {
      for (const key of new Set([...Object.keys(ra[part]), ...Object.keys(rb[part])])) {
        if (!close(ra[part][key], rb[part][key])) out.push(`${code} ${part}.${key}: ${ra[part][key]} ≠ ${rb[part][key]}`);
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}
