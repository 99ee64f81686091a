// Every relationship of the reports graph goes through one of these loaders: a batch of keys
// costs one SQL statement.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphContext } from '../../lib/runtime/subgraph.ts';
import { byKey, groupedByKey, loaderFamily } from '../../lib/graphql/batching.ts';
import { sql } from '../../lib/database/sql.ts';
import { REPORT_COLUMNS, isoTimestamp, type FigureRow, type FlagRow, type ReportRow } from './reportRows.ts';
import { sameOriginAs } from './oversight/comparableReports.ts';
import { disclosureRollups, disclosureSeries, type LevelRollup } from './rollups/disclosureRollup.ts';
import { reportedHotlines, type ReportedHotlineTotals } from './rollups/reportedHotlines.ts';

export interface DocumentRow {
  id: number;
  sha256: string;
  file_name: string;
  media_type: string;
  byte_size: number;
  text: string | null;
  /** ISO 8601 text */
  received_at: string;
}

/** `${agencyId}:${year}` */
export type AgencyYear = string;
export const agencyYear = (agencyId: number, year: number): AgencyYear => `${agencyId}:${year}`;
/** `${agencyId}:${year}:${dataOrigin}` of a report: what its year-over-year comparison is looked up by. */
export type ComparisonKey = string;
export const comparisonKey = (report: Pick<ReportRow, 'agency_id' | 'year' | 'data_origin'>): ComparisonKey =>
  `${report.agency_id}:${report.year}:${report.data_origin}`;
const splitAgencyYears = (keys: readonly AgencyYear[]) => {
  const pairs = keys.map((key) => key.split(':').map(Number) as [number, number]);
  return [pairs.map(([agency]) => agency), pairs.map(([, year]) => year)];
};

export function createReportsLoaders(em: EntityManager) {
  const reportById = new DataLoader<number, ReportRow | null>(async (ids) =>
    byKey(ids, await sql<ReportRow>(em, `select ${REPORT_COLUMNS} from reports.annual_report r where r.id = any($1::int[])`, [ids]), (r) => r.id),
  );

  const currentReport = new DataLoader<AgencyYear, ReportRow | null>(async (keys) => {
    const rows = await sql<ReportRow>(
      em,
      `select ${REPORT_COLUMNS} from unnest($1::int[], $2::int[]) as k(agency_id, year)
         join reports.annual_report r on r.agency_id = k.agency_id and r.year = k.year and r.superseded_at is null`,
      splitAgencyYears(keys),
    );
    return byKey(keys, rows, (r) => agencyYear(r.agency_id, r.year));
  });

  /**
   * The report a year-over-year comparison starts from: the agency's own current report of the
   * year before, or else that of an agency it succeeded (lineage) — of the same data origin as
   * the report compared (oversight/comparableReports.ts).
   */
  const previousReport = new DataLoader<ComparisonKey, ReportRow | null>(async (keys) => {
    const parts = keys.map((key) => key.split(':'));
    const rows = await sql<ReportRow & { for_agency: number; for_origin: string }>(
      em,
      // the agency's own and its predecessors' as two (agency, year) index lookups: one condition
      // `agency = … or agency in (…)` would read every report of the year (oversight/comparableReports.ts)
      `select distinct on (k.agency_id, k.year, k.origin) k.agency_id as for_agency, k.origin as for_origin, ${REPORT_COLUMNS}
         from unnest($1::int[], $2::int[], $3::text[]) as k(agency_id, year, origin)
         cross join lateral (
           select r.* from reports.annual_report r
            where r.agency_id = k.agency_id and r.year = k.year - 1 and r.superseded_at is null and ${sameOriginAs('k.origin')}
           union all
           select r.* from reports.annual_report r
            where r.agency_id in (select predecessor_id from directory.agency_lineage where successor_id = k.agency_id)
              and r.year = k.year - 1 and r.superseded_at is null and ${sameOriginAs('k.origin')}
         ) r
        order by k.agency_id, k.year, k.origin, (r.agency_id = k.agency_id) desc, r.agency_id`,
      [parts.map(([agency]) => Number(agency)), parts.map(([, year]) => Number(year)), parts.map(([, , origin]) => origin)],
    );
    return byKey(keys, rows, (r) => comparisonKey({ agency_id: r.for_agency, year: r.year + 1, data_origin: r.for_origin }));
  });

  const reportsOfAgency = new DataLoader<number, ReportRow[]>(async (agencyIds) =>
    groupedByKey(
      agencyIds,
      await sql<ReportRow>(
        em,
        `select ${REPORT_COLUMNS} from reports.annual_report r
          where r.agency_id = any($1::int[]) and r.superseded_at is null order by r.agency_id, r.year desc`,
        [agencyIds],
      ),
      (r) => r.agency_id,
    ),
  );

  const versionsOf = new DataLoader<AgencyYear, ReportRow[]>(async (keys) =>
    groupedByKey(
      keys,
      await sql<ReportRow>(
        em,
        `select ${REPORT_COLUMNS} from unnest($1::int[], $2::int[]) as k(agency_id, year)
           join reports.annual_report r on r.agency_id = k.agency_id and r.year = k.year
          order by r.agency_id, r.year, r.version`,
        splitAgencyYears(keys),
      ),
      (r) => agencyYear(r.agency_id, r.year),
    ),
  );

  const figuresOfReport = new DataLoader<number, FigureRow[]>(async (ids) =>
    groupedByKey(
      ids,
      await sql<FigureRow>(em, `select * from reports.figure where report_id = any($1::int[]) order by report_id, key`, [ids]),
      (f) => f.report_id,
    ),
  );

  const flagsOfReport = new DataLoader<number, FlagRow[]>(async (ids) =>
    groupedByKey(
      ids,
      await sql<FlagRow>(
        em,
        `select f.id, f.report_id, r.agency_id, r.year, f.code, f.severity, f.message, f.figure_keys, f.details
           from reports.flag f join reports.annual_report r on r.id = f.report_id
          where f.report_id = any($1::int[]) order by f.report_id, f.id`,
        [ids],
      ),
      (f) => f.report_id!,
    ),
  );

  const documentById = new DataLoader<number, DocumentRow | null>(async (ids) =>
    byKey(
      ids,
      await sql<DocumentRow>(
        em,
        `select id, sha256, file_name, media_type, byte_size, text, ${isoTimestamp('received_at')} as received_at from reports.document where id = any($1::int[])`,
        [ids],
      ),
      (d) => d.id,
    ),
  );

  const disclosure = loaderFamily(
    (year: number) => new DataLoader<string, LevelRollup[]>(async (codes) => disclosureRollups(em, codes, year)),
  );

  // Region.disclosureTrend: every year of the range for a batch of regions, one statement.
  const disclosureTrend = loaderFamily(
    (years: number[]) => new DataLoader<string, LevelRollup[][]>(async (codes) => disclosureSeries(em, codes, years)),
  );

  const hotlines = loaderFamily(
    (year: number) => new DataLoader<string, ReportedHotlineTotals[]>(async (codes) => reportedHotlines(em, codes, year)),
  );

  return { reportById, currentReport, previousReport, reportsOfAgency, versionsOf, figuresOfReport, flagsOfReport, documentById, disclosure, disclosureTrend, hotlines };
}

export type ReportsContext = SubgraphContext<ReturnType<typeof createReportsLoaders>>;
