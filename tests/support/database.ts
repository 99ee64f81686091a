// A fresh database for one test file, cloned from the migrated template of globalSetup.
import { randomBytes } from 'node:crypto';
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
