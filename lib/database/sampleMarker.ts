// Whether the labelled sample was removed from a subgraph's schema (`gongkai sample remove`).
// A subgraph loads its sample on a start with GONGKAI_SAMPLE_DATA=1 when its tables are empty;
// once the operator has removed the sample, empty tables must not bring it back. The marker is a
// row of `<schema>.sample_removal`, written in the transaction that deletes the sample rows, so
// an interrupted removal leaves either both or neither.
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from './sql.ts';

const MIGRATION_NAME = 'Migration20261220000000SampleRemoval';

const schemaName = (schema: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`'${schema}' is not a schema name`);
  return schema;
};

/** The migration that makes `<schema>.sample_removal`; each subgraph lists it with its own. */
export function sampleRemovalMigration(schema: string): { name: string; class: new () => Migration } {
  const table = `${schemaName(schema)}.sample_removal`;
  class SampleRemoval extends Migration {
    override name = MIGRATION_NAME;
    override up(): void {
      // at most one row: the first removal; a later one changes nothing
      this.addSql(`create table ${table} (only_row boolean primary key default true check (only_row), removed_at timestamptz not null default now())`);
    }
  }
  return { name: MIGRATION_NAME, class: SampleRemoval as unknown as new () => Migration };
}

export async function sampleWasRemoved(em: EntityManager, schema: string): Promise<boolean> {
  const [row] = await sql<{ removed: boolean }>(em, `select exists (select 1 from ${schemaName(schema)}.sample_removal) as removed`);
  return row!.removed;
}

/** Call inside the transaction that deletes the sample rows. */
export async function markSampleRemoved(em: EntityManager, schema: string): Promise<void> {
  await sql(em, `insert into ${schemaName(schema)}.sample_removal default values on conflict do nothing`);
}
