// Persisted-documents mode: a deployed dashboard runs with only its own known operations. The
// manifest is Apollo's persisted-query manifest ({ format, version, operations: [{ id, body }] });
// a client may send the full text of a known operation or only its hash
// (extensions.persistedQuery.sha256Hash); anything else is refused.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

export interface PersistedDocuments {
  /** For ApolloServer's persistedQueries.cache: known hashes resolve, nothing can be added. */
  cache: KeyValueCache<string>;
  plugin: ApolloServerPlugin;
  size: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function loadPersistedDocuments(path: string): PersistedDocuments {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { format?: string; operations?: { id?: string; body?: string }[] };
  if (manifest.format !== 'apollo-persisted-query-manifest' || !Array.isArray(manifest.operations)) {
    throw new Error(`${path} is not an Apollo persisted-query manifest`);
  }
  const bodies = new Map<string, string>();
  for (const operation of manifest.operations) {
    if (typeof operation.body !== 'string') throw new Error(`${path}: an operation without a body`);
    const id = sha256(operation.body);
    if (operation.id && operation.id !== id) throw new Error(`${path}: operation ${operation.id} does not match the sha256 of its body`);
    bodies.set(id, operation.body);
  }
  return {
    size: bodies.size,
    cache: {
      // Apollo prefixes the keys of this cache with 'apq:'.
      get: async (key) => bodies.get(key.replace(/^apq:/, '')),
      set: async () => {},
      delete: async () => {},
    },
    plugin: {
      async requestDidStart() {
        return {
          // Thrown here (not in didResolveSource), the refusal reaches the client with its code.
          async didResolveOperation({ source }) {
            if (!bodies.has(sha256(source))) {
              throw new GraphQLError('this hub serves only its persisted operations', {
                extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED', http: { status: 403 } },
              });
            }
          },
        };
      },
    },
  };
}
