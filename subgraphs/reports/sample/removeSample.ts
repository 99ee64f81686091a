// `gongkai sample remove`, the reports subgraph's part: every SAMPLE report version with its
// figures and flags, in one transaction with the marker that keeps a later start from loading
// the sample again. Reports of other origins are untouched: their cross-year flags never cite a
// sample report (oversight/comparableReports.ts), and the rollups are computed from the stored
// reports at each request, so nothing else depends on what is deleted.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { markSampleRemoved } from '../../../lib/database/sampleMarker.ts';
import { recordChanges } from '../../../lib/cache/changeLog.ts';
import { EVERYTHING } from '../../../lib/cache/changes.ts';

export interface RemovedSampleReports {
  /** report versions deleted */
  reports: number;
  figures: number;
  flags: number;
}

export async function removeSampleReports(em: EntityManager): Promise<RemovedSampleReports> {
  return em.transactional(async (tx) => {
    // No report is stored meanwhile: the lock waits for writes in flight and holds new ones until the commit.
    await sql(tx, `lock table reports.annual_report in share row exclusive mode`);
    const count = async (statement: string) =>
      (await sql<{ n: number }>(tx, `with deleted as (${statement} returning 1) select count(*)::int as n from deleted`))[0]!.n;
    const sample = `select id from reports.annual_report where data_origin = 'SAMPLE'`;
    const flags = await count(`delete from reports.flag where report_id in (${sample})`);
    const figures = await count(`delete from reports.figure where report_id in (${sample})`);
    const reports = await count(`delete from reports.annual_report where data_origin = 'SAMPLE'`);
    await markSampleRemoved(tx, 'reports');
    // the sample covered two provinces over years: every cached answer goes
    if (reports > 0) await recordChanges(tx, 'reports', [EVERYTHING]);
    return { reports, figures, flags };
  });
}

/** The agencies the remaining reports are filed under: the agencies subgraph keeps them (sample/removeSample.ts there). */
export async function agenciesWithReports(em: EntityManager): Promise<number[]> {
  const rows = await sql<{ agency_id: number }>(em, `select distinct agency_id from reports.annual_report`);
  return rows.map((r) => r.agency_id);
}
