import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SubgraphName } from '../config.ts';

/** The SDL files in schema/: each subgraph's, the gateway's own `registry`, and the composed supergraph. */
export type SchemaFileName = SubgraphName | 'registry' | 'supergraph';

/** The committed SDL files in schema/ are the one source of each subgraph's schema. */
export const schemaFile = (name: SchemaFileName): string =>
  fileURLToPath(new URL(`../../schema/${name}.graphql`, import.meta.url));

export const readSchemaFile = (name: SchemaFileName): string => readFileSync(schemaFile(name), 'utf8');
