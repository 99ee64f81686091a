import { Migration } from '@mikro-orm/migrations';

/**
 * The regions a municipal subgraph serves (its jurisdiction, gateway/registry/jurisdiction.ts):
 * the gateway asks it only about entities inside them. Null: the owner region's subtree (the
 * whole country for a national subgraph).
 */
export class Migration20261222000000SubgraphRegions extends Migration {
  override name = 'Migration20261222000000SubgraphRegions';

  override up(): void {
    this.addSql(`alter table registry.subgraph add column if not exists regions text[]
      check (cardinality(regions) between 1 and 100 and array_to_string(regions, ',') ~ '^[0-9]{6}(,[0-9]{6})*$')`);
  }
}
