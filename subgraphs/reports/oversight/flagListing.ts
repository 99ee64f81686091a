// Query.flags: every flag of a subtree for a year — those stored with the current reports and
// a MISSING_REPORT for every expected filer (a confirmed agency active in the year) without
// one — as keyset pages ordered by agency. The stored flags of an unconfirmed agency's reports
// are listed too: they help the editor who reviews it.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { subtreePrefix } from '../../../lib/regions/codes.ts';
import type { FlagRow } from '../reportRows.ts';
import { reporterKindOfSector } from './deadlines.ts';
import type { Severity } from './flag.ts';
import { missingReportFlag } from './timelinessChecks.ts';

export interface FlagFilter {
  regionCode: string;
  year: number;
  code: string | null;
  severity: Severity | null;
}

/** Position in the listing: (agency, code, flag id or 0 for a missing report). */
export type FlagPosition = [number, string, number];

const LISTING = `
  with listing as (
    select f.id, f.report_id, r.agency_id, r.year, f.code, f.severity, f.message, f.figure_keys, f.details,
           null::text as agency_name, null::text as sector_code
      from reports.annual_report r join reports.flag f on f.report_id = r.id
     where r.region_code like $1 and r.year = $2 and r.superseded_at is null
    union all
    select null, null, a.id, $2, 'MISSING_REPORT', 'ERROR', null, '{}'::text[], '{}'::jsonb, a.name, a.sector_code
      from directory.agency a
     where a.region_code like $1
       and coalesce(a.active_from, 0) <= $2 and coalesce(a.active_to, 9999) >= $2
       and a.review_status = 'CONFIRMED'
       and not exists (select 1 from reports.annual_report r where r.agency_id = a.id and r.year = $2 and r.superseded_at is null)
  )
  select * from listing
   where ($3::text is null or code = $3) and ($4::text is null or severity = $4)`;

type ListingRow = FlagRow & { agency_name: string | null; sector_code: string | null };

function toFlagRow(row: ListingRow): FlagRow {
  if (row.code !== 'MISSING_REPORT' || row.id !== null) return row;
  const flag = missingReportFlag(row.year, reporterKindOfSector(row.sector_code!), row.agency_name!);
  return { ...row, message: flag.message, details: flag.details };
}

export async function listFlags(
  em: EntityManager,
  filter: FlagFilter,
  page: { first: number; after: FlagPosition | null },
): Promise<{ flags: FlagRow[]; hasNextPage: boolean }> {
  const params: unknown[] = [`${subtreePrefix(filter.regionCode)}%`, filter.year, filter.code, filter.severity];
  const after = page.after ? ` and (agency_id, code, coalesce(id, 0)) > ($5::int, $6::text, $7::int)` : '';
  if (page.after) params.push(...page.after);
  const rows = await sql<ListingRow>(
    em,
    `${LISTING}${after} order by agency_id, code, coalesce(id, 0) limit $${params.length + 1}`,
    [...params, page.first + 1],
  );
  return { flags: rows.slice(0, page.first).map(toFlagRow), hasNextPage: rows.length > page.first };
}

export async function countFlags(em: EntityManager, filter: FlagFilter): Promise<number> {
  const [row] = await sql<{ count: string }>(em, `select count(*) from (${LISTING}) counted`, [
    `${subtreePrefix(filter.regionCode)}%`,
    filter.year,
    filter.code,
    filter.severity,
  ]);
  return Number(row!.count);
}

export const flagPosition = (flag: FlagRow): FlagPosition => [flag.agency_id, flag.code, flag.id ?? 0];
