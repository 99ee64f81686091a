// Typed operations for the dashboard: GraphQL Code Generator's client preset reads every
// graphql(`…`) in src/ against the committed supergraph and writes src/gql/ (committed, so the
// build needs no generation; tests/dashboard/codegen.test.ts fails when it is stale).
// The persisted documents it lists are the dashboard's operations for a gateway run with
// GONGKAI_PERSISTED_DOCUMENTS (scripts/dashboard-operations.mjs turns them into that manifest).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/supergraph.graphql',
  documents: ['dashboard/src/**/*.{ts,vue}', '!dashboard/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'dashboard/src/gql/': {
      preset: 'client',
      presetConfig: { persistedDocuments: { hashAlgorithm: 'sha256' }, fragmentMasking: false },
      config: { documentMode: 'string', useTypeImports: true, enumsAsTypes: true, scalars: { Date: 'string', DateTime: 'string' } },
    },
  },
};

export default config;
