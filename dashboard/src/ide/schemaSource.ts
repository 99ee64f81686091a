// The schema behind the IDE's docs panel and completion. The hub answers introspection only when
// GONGKAI_INTROSPECTION=1; otherwise the IDE uses the public API schema of the supergraph the
// build was made from (schema/supergraph.graphql, baked in at build time). The page says which.
import { buildClientSchema, getIntrospectionQuery, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import supergraphSdl from '../../../schema/supergraph.graphql?raw';
import { apiSchemaFromSupergraph } from './apiSchema';

export type SchemaSource =
  | { origin: 'introspection'; schema: GraphQLSchema }
  /** `reason`: the hub's error code (INTROSPECTION_DISABLED…) or why the request failed. */
  | { origin: 'built-in'; schema: GraphQLSchema; reason: string };

interface IntrospectionAnswer {
  data?: IntrospectionQuery | null;
  errors?: { message: string; extensions?: { code?: string; validationErrorCode?: string } }[];
}

async function introspect(headers: Record<string, string>): Promise<{ schema: GraphQLSchema } | { reason: string }> {
  try {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query: getIntrospectionQuery({ descriptions: true }), operationName: 'IntrospectionQuery' }),
    });
    const answer = (await response.json()) as IntrospectionAnswer;
    if (answer.data?.__schema) return { schema: buildClientSchema(answer.data) };
    const error = answer.errors?.[0];
    return { reason: error?.extensions?.validationErrorCode ?? error?.extensions?.code ?? `HTTP ${response.status}` };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

export async function loadSchema(headers: Record<string, string>): Promise<SchemaSource> {
  const introspected = await introspect(headers);
  if ('schema' in introspected) return { origin: 'introspection', schema: introspected.schema };
  return { origin: 'built-in', schema: apiSchemaFromSupergraph(supergraphSdl), reason: introspected.reason };
}
