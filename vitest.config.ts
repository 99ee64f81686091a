import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for the project and for Apollo alike; Vite would pick
    // its ESM build for the project, and schema objects from one build fail the other's checks.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/globalSetup.ts'],
    // A key for the tests' encrypted personal data, so that no test writes ./.data/pii.key.
    // Test-only: never use it for real data.
    // No line per request (GONGKAI_LOG_REQUESTS=0): tests/hub/observability.test.ts turns them on.
    env: { GONGKAI_PII_KEY: Buffer.alloc(32, 7).toString('base64'), GONGKAI_LOG_REQUESTS: '0' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One embedded Postgres serves every test file; each file gets its own database cloned
    // from a migrated template, so files can run in parallel without seeing each other's writes.
    pool: 'forks',
    // Vitest's default is one worker less than the cores: one on these 2-core machines. Most
    // files wait on Postgres and on the hub's child processes, so two workers take the suite
    // from about 9 to about 6 minutes here without starving the timed recovery checks.
    maxWorkers: 2,
  },
});
