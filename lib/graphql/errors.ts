// GraphQL errors a client can act on: every one carries a stable `extensions.code`.
import { GraphQLError } from 'graphql';

export function clientError(code: string, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details } });
}

/** An argument that fails validation: names the argument so the client knows what to fix. */
export function invalidArgument(argument: string, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return clientError('BAD_USER_INPUT', message, { argument, ...details });
}
