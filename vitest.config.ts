import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One embedded Postgres serves every test file; each file gets its own database cloned
    // from a migrated template, so files can run in parallel without seeing each other's writes.
    pool: 'forks',
  },
});
