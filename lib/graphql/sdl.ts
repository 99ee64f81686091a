import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SubgraphName } from '../config.ts';

/** The committed SDL files in schema/ are the one source of each subgraph's schema. */
export const schemaFile = (name: SubgraphName | 'supergraph'): string =>
  fileURLToPath(new URL(`../../schema/${name}.graphql`, import.meta.url));

export const readSchemaFile = (name: SubgraphName | 'supergraph'): string => readFileSync(schemaFile(name), 'utf8');
