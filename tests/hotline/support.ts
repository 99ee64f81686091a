// Helpers of the hotline tests: a test database with the sample agency directory, the hotline
// ORM on it, and generated export files.
import { afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openSubgraphDatabase } from '../../lib/database/orm.ts';
import { agenciesSubgraph } from '../../subgraphs/agencies/subgraph.ts';
import { hotlineSubgraph } from '../../subgraphs/hotline/subgraph.ts';
import { forgetPersonalDataKeys } from '../../subgraphs/hotline/personalData/keys.ts';

/** A fixed key for the test process (the CLI children inherit it). */
export const TEST_PII_KEY = Buffer.alloc(32, 42).toString('base64');
export function useTestKey(): void {
  process.env.GONGKAI_PII_KEY = TEST_PII_KEY;
  forgetPersonalDataKeys();
}

export async function openOrm(url: string, module: typeof hotlineSubgraph | typeof agenciesSubgraph): Promise<MikroORM> {
  const orm = await openSubgraphDatabase({ url, schema: module.name, entities: module.entities, migrations: module.migrations });
  afterAll(() => orm.close());
  return orm;
}

/** Loads the sample agency directory (江苏省, 湖南省) into a test database. */
export async function loadSampleDirectory(url: string): Promise<void> {
  const orm = await openOrm(url, agenciesSubgraph);
  await agenciesSubgraph.bootstrap!(orm, { sampleData: true, serving: false, log: () => {} });
}

export async function query<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-hotline-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
