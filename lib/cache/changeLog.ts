// Each subgraph's log of the changes its writes made (lib/cache/changes.ts), in its own schema:
// the read model it publishes for the gateway's answer cache (docs/read-models.md). A write
// records its changes in its own transaction, so the log holds exactly the committed writes.
//
// Generations are gap-free and in commit order: `record` takes the next one by updating the
// schema's single generation row, whose lock is held until the writer commits, so a second
// writer waits for the first to commit (or roll back, giving the number back). A reader that
// sees generation n has seen every change up to n — what the gateway's read-after-write
// guarantee rests on (gateway/cache/changeFeed.ts). Writers take the lock last, just before
// they commit, so they wait on each other only for their commit.
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { sql } from '../database/sql.ts';
import { EVERYTHING, type Change } from './changes.ts';

const MIGRATION_NAME = 'Migration20261225000000CacheChangeLog';

const schemaName = (schema: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`'${schema}' is not a schema name`);
  return schema;
};

/** The migration that makes `<schema>.cache_generation` and `<schema>.cache_change`; each subgraph lists it. */
export function cacheChangeLogMigration(schema: string): { name: string; class: new () => Migration } {
  const name = schemaName(schema);
  class CacheChangeLog extends Migration {
    override name = MIGRATION_NAME;
    override up(): void {
      this.addSql(`create table ${name}.cache_generation (only_row boolean primary key default true check (only_row), value bigint not null)`);
      this.addSql(`insert into ${name}.cache_generation (value) values (0)`);
      this.addSql(
        `create table ${name}.cache_change (generation bigint primary key, changes text[] not null, recorded_at timestamptz not null default now())`,
      );
    }
  }
  return { name: MIGRATION_NAME, class: CacheChangeLog as unknown as new () => Migration };
}

/** The statement that takes the next generation and records `$1` (a text[]) under it. */
const recordStatement = (name: string): string =>
  `with next as (update ${name}.cache_generation set value = value + 1 returning value)
     insert into ${name}.cache_change (generation, changes) select value, $1::text[] from next returning generation::text`;

const distinctChanges = (changes: readonly Change[]): Change[] => (changes.includes(EVERYTHING) ? [EVERYTHING] : [...new Set(changes)]);

/**
 * Records changes in the log of `schema` within the transaction of `em` (which must be in one);
 * returns the generation, or null when there was nothing to record.
 */
export async function recordChanges(em: EntityManager, schema: string, changes: readonly Change[]): Promise<number | null> {
  if (changes.length === 0) return null;
  const name = schemaName(schema);
  const [row] = await sql<{ generation: string }>(em, recordStatement(name), [distinctChanges(changes)]);
  return Number(row!.generation);
}

/**
 * recordChanges for writers that hold a plain pg client instead of an EntityManager (the seed,
 * a restore); the client must be in the writing transaction.
 */
export async function recordChangesOnClient(client: pg.ClientBase, schema: string, changes: readonly Change[]): Promise<number | null> {
  if (changes.length === 0) return null;
  const name = schemaName(schema);
  const { rows } = await client.query<{ generation: string }>(recordStatement(name), [distinctChanges(changes)]);
  return Number(rows[0]!.generation);
}

/** How long recorded changes are kept: a gateway that has not read the log for longer starts its cache over. */
export const CHANGE_RETENTION_HOURS = 24;

/** Deletes changes older than the retention; returns how many. */
export async function pruneChanges(em: EntityManager, schema: string): Promise<number> {
  const rows = await sql<{ n: number }>(
    em,
    `with gone as (delete from ${schemaName(schema)}.cache_change where recorded_at < now() - make_interval(hours => $1) returning 1) select count(*)::int as n from gone`,
    [CHANGE_RETENTION_HOURS],
  );
  return rows[0]?.n ?? 0;
}
