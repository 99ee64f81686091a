// No text the hub stores or searches may hold a NUL character (U+0000): Postgres refuses it in
// any text value ("invalid byte sequence for encoding UTF8: 0x00"), and a resolver would only find
// out from the database. Every string a request carries — its variables, and the string literals
// of its document (`"\u0000"` is a valid GraphQL escape) — is checked once, before anything
// executes: a NUL is BAD_USER_INPUT naming the variable or argument, in every service.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode } from 'graphql';

const NUL = '\u0000';

/** Whether a value (a variable's, as JSON gives it) holds a NUL in any string or key; iterative, so no nesting overflows the stack. */
export function holdsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current === 'string') {
      if (current.includes(NUL)) return true;
    } else if (Array.isArray(current)) {
      for (const item of current) pending.push(item);
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        if (key.includes(NUL)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/** The argument (or input field) of the first string literal holding a NUL, or null when none does. */
function literalWithNul(document: DocumentNode): string | null {
  let found: string | null = null;
  visit(document, {
    StringValue(node, _key, _parent, _path, ancestors) {
      if (found !== null || !node.value.includes(NUL)) return;
      const owner = [...ancestors].reverse().find((a): a is ASTNode => !Array.isArray(a) && 'kind' in (a as object) && ((a as ASTNode).kind === Kind.ARGUMENT || (a as ASTNode).kind === Kind.VARIABLE_DEFINITION));
      found = owner?.kind === Kind.ARGUMENT ? owner.name.value : owner?.kind === Kind.VARIABLE_DEFINITION ? `$${owner.variable.name.value}` : 'a string';
    },
  });
  return found;
}

const refused = (argument: string, httpStatus: number) =>
  new GraphQLError(`${argument} contains a NUL character (U+0000), which no text in the hub may hold`, {
    extensions: { code: 'BAD_USER_INPUT', argument, http: { status: httpStatus } },
  });

/**
 * Refuses a request whose variables or string literals hold a NUL, before it executes. The
 * gateway answers it with HTTP 400; a subgraph with 200 (`httpStatus`), because the gateway reads
 * the errors of a subgraph's answer only when its status is 2xx.
 */
export function inputSafetyPlugin<TContext extends BaseContext>({ httpStatus = 400 }: { httpStatus?: number } = {}): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          for (const [name, value] of Object.entries(request.variables ?? {})) {
            if (name.includes(NUL) || holdsNul(value)) throw refused(`$${name.replaceAll(NUL, '')}`, httpStatus);
          }
          const literal = literalWithNul(document);
          if (literal !== null) throw refused(literal, httpStatus);
        },
      };
    },
  };
}
