import { Migration } from '@mikro-orm/migrations';

/**
 * Region.reportedHotlines(year) reads the `hotline.*` figures of every current report of a year in
 * a range of region codes. The primary key (report_id, key) found each report's figures but not
 * the hotline ones among them: `key like 'hotline.%'` is no index condition under the database's
 * collation (C.UTF-8 is not "C" to the planner), so every figure of every report was read from
 * the heap and filtered (湖南, 2024: 5 961 reports, 137 000 figures; 11 s cold), and for the
 * country the planner scanned all 47 million figures. This index holds the hotline figures only,
 * with their value (index-only): one probe per report, or one scan of the index when it is small.
 * Its predicate is the statement's filter, the same expression (rollups/reportedHotlines.ts): a
 * collation-independent `like`, which the planner matches by equality of the expressions.
 * Measurements: docs/performance.md.
 */
export class Migration20261124100000HotlineFigureIndex extends Migration {
  override name = 'Migration20261124100000HotlineFigureIndex';

  override up(): void {
    this.addSql(`create index figure_hotline_idx on reports.figure (report_id, key) include (value) where key like 'hotline.%'`);
  }
}
