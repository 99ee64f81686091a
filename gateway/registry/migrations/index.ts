// Committed migrations of the registry schema (owned by the gateway), oldest first. Never edit
// one that has shipped: add a new one.
import { Migration20261201000000Registry } from './Migration20261201000000Registry.ts';
import { Migration20261220000000SubgraphAddress } from './Migration20261220000000SubgraphAddress.ts';
import { Migration20261222000000SubgraphRegions } from './Migration20261222000000SubgraphRegions.ts';
import { Migration20261223000000SubgraphResilience } from './Migration20261223000000SubgraphResilience.ts';
import { Migration20261224000000FieldDeprecation } from './Migration20261224000000FieldDeprecation.ts';

export const registryMigrations = [
  { name: 'Migration20261201000000Registry', class: Migration20261201000000Registry },
  { name: 'Migration20261220000000SubgraphAddress', class: Migration20261220000000SubgraphAddress },
  { name: 'Migration20261222000000SubgraphRegions', class: Migration20261222000000SubgraphRegions },
  { name: 'Migration20261223000000SubgraphResilience', class: Migration20261223000000SubgraphResilience },
  { name: 'Migration20261224000000FieldDeprecation', class: Migration20261224000000FieldDeprecation },
];
