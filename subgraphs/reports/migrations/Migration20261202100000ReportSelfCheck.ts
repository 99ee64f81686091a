import { Migration } from '@mikro-orm/migrations';

/**
 * The extractor's self-check of an ingested report, kept with the version it was read into
 * (docs/reports.md, "The extractor's self-check"): the official table template it matched, the
 * share of the template's cells it found (coverage), the share of the template's identities that
 * hold on what it read (consistency) and how many identities it could check. Null for versions
 * not read from a document by the extractor (submitted by hand, sample, synthetic) and for
 * reports in which no official table was found. Consistency is null when no identity could be
 * checked: a share of nothing.
 *
 * Nullable columns without a default: adding them rewrites nothing; the checks read the table
 * once.
 */
export class Migration20261202100000ReportSelfCheck extends Migration {
  override name = 'Migration20261202100000ReportSelfCheck';

  override up(): void {
    this.addSql(`
      alter table reports.annual_report
        add column self_check_template text check (length(btrim(self_check_template)) > 0),
        add column self_check_coverage double precision check (self_check_coverage between 0 and 1),
        add column self_check_consistency double precision check (self_check_consistency between 0 and 1),
        add column self_check_identities integer check (self_check_identities >= 0),
        add constraint annual_report_self_check_whole check (
          (self_check_template is null) = (self_check_coverage is null)
          and (self_check_template is null) = (self_check_identities is null)
          and (self_check_consistency is null) = (self_check_identities is null or self_check_identities = 0))`);
  }
}
