import { Migration } from '@mikro-orm/migrations';

/**
 * Region rollups read, for every ticket of a subtree received in a period, only these columns:
 * with them in the index, the scan is index-only (no visit to the 4 GB ticket table at national
 * scale: 10 million tickets, 1 GB of index). Same key as ticket_region_received_idx, which it
 * replaces. Measurements: docs/performance.md.
 */
export class Migration20261122100000TicketRollupIndex extends Migration {
  override name = 'Migration20261122100000TicketRollupIndex';

  override up(): void {
    this.addSql(`
      create index ticket_rollup_idx on hotline.ticket (region_code, received_at)
        include (agency_id, due_at, resolved_at, satisfaction, dispatch_mode, line_code, category_code, channel_code)`);
    this.addSql(`drop index hotline.ticket_region_received_idx`);
  }
}
