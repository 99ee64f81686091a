// Which report another report is compared with. A check that reads a second report (the
// cross-year checks: carry-over chain, cumulative total, text copied from last year) takes it
// only from reports of the SAME data origin: an official report is checked against official
// reports alone, never against the labelled sample or a synthetic dataset — a real 淮安 2024
// report was once flagged against the SAMPLE 2023 report of the agency it was filed under.
// Sample reports are still checked against sample reports, synthetic against synthetic.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import type { PreviousReport } from './crossYearChecks.ts';

/** The predicate, on a candidate report `r`, that `origin` names the data origin of the report checked. */
export const sameOriginAs = (origin: string): string => `r.data_origin = ${origin}`;

/**
 * The current report of `origin` one year before or after, of the agency itself or, failing
 * that, of an agency linked to it by lineage (the 质监局 before the 市场监管局 that succeeded it).
 */
export async function neighbourReport(
  tx: EntityManager,
  agencyId: number,
  year: number,
  direction: 'previous' | 'next',
  origin: string,
): Promise<PreviousReport | null> {
  const linked = direction === 'previous' ? 'predecessor_id' : 'successor_id';
  const self = direction === 'previous' ? 'successor_id' : 'predecessor_id';
  const [row] = await sql<{ id: number; year: number; text: string | null }>(
    tx,
    // two lookups by (agency, year), not one `agency_id = $1 or agency_id in (…)` condition: the
    // OR cannot use the (agency_id, year) index and read every report of the year (~300 ms a
    // write on the national set)
    `select r.id, r.year, d.text
       from (select r.id, r.year, r.agency_id, r.document_id from reports.annual_report r
              where r.agency_id = $1 and r.year = $2 and r.superseded_at is null and ${sameOriginAs('$3')}
             union all
             select r.id, r.year, r.agency_id, r.document_id from reports.annual_report r
              where r.agency_id in (select ${linked} from directory.agency_lineage where ${self} = $1)
                and r.year = $2 and r.superseded_at is null and ${sameOriginAs('$3')}) r
       left join reports.document d on d.id = r.document_id
      order by (r.agency_id = $1) desc, r.agency_id
      limit 1`,
    [agencyId, year, origin],
  );
  if (!row) return null;
  const figures = await sql<{ key: string; value: number }>(tx, `select key, value from reports.figure where report_id = $1`, [row.id]);
  return { id: row.id, year: row.year, text: row.text, figures: new Map(figures.map((f) => [f.key, f.value])) };
}
