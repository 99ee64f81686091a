// Hand-written SQL (batched loaders, rollups, bulk writes) goes through here: real bound
// parameters ($1, $2 … — arrays travel as Postgres arrays, user strings never enter the SQL
// text), the EntityManager's transaction when it is in one, and the statement counter.
import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import { countStatement } from './statementCounter.ts';

export async function sql<Row>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<Row[]> {
  countStatement();
  const result = await em.getKysely().executeQuery(CompiledQuery.raw(text, [...params]));
  return result.rows as Row[];
}
