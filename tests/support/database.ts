// A fresh database for one test file, cloned from the migrated template of globalSetup.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { inject } from 'vitest';
import { dropDatabase, ensureDatabase } from '../../lib/database/createDatabase.ts';
import { databaseUrl } from '../../lib/database/urls.ts';

export async function createTestDatabase(): Promise<string> {
  const url = databaseUrl(inject('pgServerUrl'), `gongkai_test_${randomBytes(6).toString('hex')}`);
  await ensureDatabase(url, inject('templateDatabase'));
  afterAll(() => dropDatabase(url));
  return url;
}

/** The first row of one SQL query against a test database, for checking what a request wrote. */
export async function firstRow<Row = Record<string, any>>(url: string, text: string): Promise<Row> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows[0] as Row;
  } finally {
    await client.end();
  }
}
