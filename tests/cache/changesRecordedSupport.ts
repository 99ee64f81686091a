// Helpers of the changesRecorded tests: a test database with each subgraph's ORM on it, and what
// the writes recorded in a subgraph's change log (lib/cache/changeLog.ts) since a generation.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll } from 'vitest';
import { openSubgraphDatabase } from '../../lib/database/orm.ts';
import type { SubgraphName } from '../../lib/config.ts';
import { SUBGRAPH_MODULES } from '../../subgraphs/modules.ts';

/** The subgraph's own ORM on the test database, closed after the file. */
export async function openSubgraph(url: string, name: SubgraphName): Promise<() => EntityManager> {
  const module = SUBGRAPH_MODULES.find((m) => m.name === name)!;
  const orm: MikroORM = await openSubgraphDatabase({ url, schema: module.name, entities: module.entities, migrations: module.migrations });
  afterAll(() => orm.close());
  return () => orm.em.fork() as EntityManager;
}

export async function query<Row = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** The schema's last generation (the counter, which a rolled-back write gives back). */
export async function lastGeneration(url: string, schema: SubgraphName): Promise<number> {
  const [row] = await query<{ value: string }>(url, `select value::text from ${schema}.cache_generation`);
  return Number(row!.value);
}

/** The changes recorded after `generation`, one sorted list per generation, oldest first. */
export async function recordedSince(url: string, schema: SubgraphName, generation: number): Promise<string[][]> {
  const rows = await query<{ changes: string[] }>(url, `select changes from ${schema}.cache_change where generation > $1 order by generation`, [generation]);
  return rows.map((row) => [...row.changes].sort());
}

/** Runs `write` and returns what it recorded in the schema's log. */
export async function recordedBy(url: string, schema: SubgraphName, write: () => Promise<unknown>): Promise<string[][]> {
  const before = await lastGeneration(url, schema);
  await write();
  return recordedSince(url, schema, before);
}
