import { Migration } from '@mikro-orm/migrations';

/**
 * The read model the agencies subgraph publishes for the other subgraphs: schema `directory`,
 * views over its own tables. Reports need it to know who must file (expected filers), hotline
 * to resolve the agency a ticket is dispatched to. Consumers read these views only, never
 * agencies.*; the owner may reshape its tables as long as the views keep their columns.
 * docs/read-models.md says why a read model and not @requires.
 */
export class Migration20261122010000DirectoryReadModel extends Migration {
  override name = 'Migration20261122010000DirectoryReadModel';

  override up(): void {
    this.addSql(`create schema if not exists directory`);
    this.addSql(`
      create view directory.region as
        select code, name, level, parent_code from agencies.region`);
    this.addSql(`
      create view directory.agency as
        select id, name, aliases, sector_code, region_code, active_from, active_to, data_origin
          from agencies.agency`);
    this.addSql(`
      create view directory.agency_lineage as
        select predecessor_id, successor_id, year, kind from agencies.agency_lineage`);
  }
}
