import { Migration } from '@mikro-orm/migrations';

/**
 * Cross-year flags are computed only against a report of the same data origin
 * (oversight/comparableReports.ts). Flags stored before that rule may cite a report of another
 * origin — an official report flagged against the labelled sample's report of the year before:
 * they are dropped, and the flag count of their reports lowered by as many. They are not
 * recomputed: the agency's own report of the year before is the one a check takes first, so a
 * report that was compared with one of another origin has, under the rule, nothing of its own
 * origin to compare with — unless a predecessor agency (lineage) filed one, which the report's
 * next version is checked against.
 *
 * One statement: the update reads flag_count as it was before the delete (the snapshot of the
 * statement) and subtracts the warnings the delete returned.
 */
export class Migration20261220010000SameOriginComparisons extends Migration {
  override name = 'Migration20261220010000SameOriginComparisons';

  override up(): void {
    this.addSql(`
      with dropped as (
        delete from reports.flag f
         using reports.annual_report r, reports.annual_report p
         where f.report_id = r.id
           and f.code in ('CARRY_OVER_CHAIN', 'CUMULATIVE_DECREASE', 'NEAR_DUPLICATE_TEXT')
           and f.details ? 'previousReportId'
           and p.id = (f.details->>'previousReportId')::int
           and p.data_origin <> r.data_origin
        returning f.report_id, f.severity
      )
      update reports.annual_report a
         set flag_count = a.flag_count - d.warnings
        from (select report_id, count(*) filter (where severity in ('WARNING', 'ERROR')) as warnings from dropped group by report_id) d
       where a.id = d.report_id`);
  }
}
