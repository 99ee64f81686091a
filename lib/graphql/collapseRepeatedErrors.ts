// One error per field for a refusal repeated down a list. A field refused to the caller
// (`reports[i].flags` for an anonymous caller) fails at every position of the lists above it, with
// the same code and message each time: a page of agencies and their reports would carry one
// error per position — far more bytes of errors than of data — that tell the client nothing more
// than the first one. Such errors become one: the first occurrence (its `path` stays a valid
// GraphQL path, of strings and indices) with `extensions.count`, how many positions it stands
// for. The data — a null at every position — is unchanged.
//
// Only refusals that depend on the caller and the field, never on the position, are merged:
// UNAUTHENTICATED and FORBIDDEN. Another error (BAD_USER_INPUT, INTERNAL_SERVER_ERROR, …) may
// differ from position to position and stays as it is, as does an error without a path; errors
// that differ in code, message, field or any other extension are never merged.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';

const SAME_AT_EVERY_POSITION: ReadonlySet<unknown> = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

/** The extensions that differ from one error to the next of a request without saying anything about it. */
const PER_ERROR_EXTENSIONS: ReadonlySet<string> = new Set(['requestId']);

/** What an error is, its list positions left out; null for an error never merged. */
function identityOf(error: GraphQLFormattedError): string | null {
  if (!error.path || !SAME_AT_EVERY_POSITION.has(error.extensions?.code)) return null;
  const extensions = Object.entries(error.extensions ?? {})
    .filter(([name]) => !PER_ERROR_EXTENSIONS.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const field = error.path.map((segment) => (typeof segment === 'number' ? null : segment));
  return JSON.stringify([error.message, field, extensions]);
}

/** The errors with each repeated refusal merged into its first occurrence, in their order. */
export function collapseRepeatedErrors(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  const firstOf = new Map<string, { index: number; count: number }>();
  const kept: GraphQLFormattedError[] = [];
  for (const error of errors) {
    const identity = identityOf(error);
    const first = identity === null ? undefined : firstOf.get(identity);
    if (first) {
      first.count += 1;
      continue;
    }
    if (identity !== null) firstOf.set(identity, { index: kept.length, count: 1 });
    kept.push(error);
  }
  for (const { index, count } of firstOf.values()) {
    if (count > 1) kept[index] = { ...kept[index]!, extensions: { ...kept[index]!.extensions, count } };
  }
  return kept;
}

export function collapseRepeatedErrorsPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          if (singleResult.errors && singleResult.errors.length > 1) singleResult.errors = collapseRepeatedErrors(singleResult.errors);
        },
      };
    },
  };
}
