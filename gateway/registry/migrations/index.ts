// Committed migrations of the registry schema (owned by the gateway), oldest first. Never edit
// one that has shipped: add a new one.
import { Migration20261201000000Registry } from './Migration20261201000000Registry.ts';

export const registryMigrations = [{ name: 'Migration20261201000000Registry', class: Migration20261201000000Registry }];
