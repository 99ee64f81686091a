import { Migration } from '@mikro-orm/migrations';

/**
 * An agency's review status. `gongkai ingest` registers the agency a report names when the
 * directory does not have it, and that name is only what the extractor read (a misread such as
 * 标题:平潭县人民政府 included): such an agency is PENDING_REVIEW until an editor confirms it
 * (Mutation.confirmAgency). Every agency that exists before this migration, and every agency
 * created through the API, is CONFIRMED.
 *
 * The read model gains the column (appended: `create or replace view` keeps the columns it
 * had), so that the reports subgraph counts only confirmed agencies as expected filers and
 * leaves the reports of the others out of its rollups (docs/read-models.md). The partial index
 * holds only the agencies not confirmed — few, whatever the size of the directory — so that the
 * rollups find them without reading the directory.
 */
export class Migration20261202100000AgencyReviewStatus extends Migration {
  override name = 'Migration20261202100000AgencyReviewStatus';

  override up(): void {
    this.addSql(`
      alter table agencies.agency
        add column review_status text not null default 'CONFIRMED' check (review_status in ('CONFIRMED', 'PENDING_REVIEW'))`);
    this.addSql(`create index agency_unconfirmed_idx on agencies.agency (id) where review_status <> 'CONFIRMED'`);
    this.addSql(`
      create or replace view directory.agency as
        select id, name, aliases, sector_code, region_code, active_from, active_to, data_origin, review_status
          from agencies.agency`);
  }
}
