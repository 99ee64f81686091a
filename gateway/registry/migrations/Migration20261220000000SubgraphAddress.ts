import { Migration } from '@mikro-orm/migrations';

/**
 * The address a municipal subgraph's host resolved to when it was registered: pinned, every
 * request to it connects there (gateway/registry/addresses.ts). Null for rows registered before.
 */
export class Migration20261220000000SubgraphAddress extends Migration {
  override name = 'Migration20261220000000SubgraphAddress';

  override up(): void {
    this.addSql(`alter table registry.subgraph add column if not exists address text check (address ~ '^[0-9A-Fa-f:.]+$')`);
  }
}
