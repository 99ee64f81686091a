import { Migration } from '@mikro-orm/migrations';

/**
 * Deprecations recorded in the registry (gateway/registry/deprecations.ts): a field (or type) of
 * a municipal subgraph that clients were told will go, from when, and for how long. A
 * registration that removes it passes the breaking-change check once the period is over.
 * Deleted with their subgraph.
 */
export class Migration20261224000000FieldDeprecation extends Migration {
  override name = 'Migration20261224000000FieldDeprecation';

  override up(): void {
    this.addSql(`
      create table if not exists registry.field_deprecation (
        subgraph text not null references registry.subgraph (name) on delete cascade,
        -- Type.field, or Type for a whole type of the subgraph's own
        coordinate text not null check (coordinate ~ '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$'),
        deprecated_at timestamptz not null,
        days integer not null check (days between 0 and 3650),
        reason text,
        deprecated_by text not null,
        primary key (subgraph, coordinate)
      )`);
  }
}
