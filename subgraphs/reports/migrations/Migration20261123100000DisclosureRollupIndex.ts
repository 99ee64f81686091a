import { Migration } from '@mikro-orm/migrations';

/**
 * Region.disclosure(year) reads, for every current report of a year in a range of region codes,
 * only these columns (the agency for the "missing" expected filers, the report id for
 * reportedHotlines' figures, the lateness, flag count and headline figures it sums): with them
 * in the index, the scan is index-only. Without, the reports of one year lie on nearly every
 * page of the table (the national set: 134 000 reports of 2024 on 78 000 of its 80 000 pages),
 * and the national overview's batch read the whole table. Same key and predicate as
 * annual_report_region_year_idx, which it replaces. Measurements: docs/performance.md.
 */
export class Migration20261123100000DisclosureRollupIndex extends Migration {
  override name = 'Migration20261123100000DisclosureRollupIndex';

  override up(): void {
    this.addSql(`
      create index annual_report_rollup_idx on reports.annual_report (year, region_code)
        include (agency_id, id, is_late, flag_count, proactive_total, applications_received, granted, partial, denied,
                 reconsiderations, reconsiderations_corrected, reconsiderations_pending,
                 lawsuits, lawsuits_corrected, lawsuits_pending, fees_amount)
        where superseded_at is null`);
    this.addSql(`drop index reports.annual_report_region_year_idx`);
  }
}
