// Composition of the hub's own subgraphs with the registered municipal ones, and fetching a
// municipal subgraph's SDL the way Apollo tooling does (`{ _service { sdl } }`).
import { createHash } from 'node:crypto';
import { composeServices } from '@apollo/composition';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { hubServiceDefinitions } from '../composeSupergraph.ts';
import { clientError } from '../../lib/graphql/errors.ts';
import type { MunicipalDefinition } from './store.ts';

export interface ComposedGraph {
  ok: true;
  supergraphSdl: string;
  /** The schema clients see: what breaking changes are measured on. */
  apiSchema: GraphQLSchema;
}
export type Composition = ComposedGraph | { ok: false; errors: { code: string; message: string }[] };

/** Identifies the hub's own SDLs: a version composed with other ones is recomposed on load. */
export function hubDigest(): string {
  const hash = createHash('sha256');
  for (const { name, sdl } of hubServiceDefinitions()) hash.update(`${name}\n${sdl}\n`);
  return hash.digest('hex');
}

export function composeGraph(municipal: readonly MunicipalDefinition[]): Composition {
  const services = [...hubServiceDefinitions(), ...municipal];
  const definitions = [];
  const errors: { code: string; message: string }[] = [];
  for (const { name, url, sdl } of services) {
    try {
      definitions.push({ name, url, typeDefs: parse(sdl) });
    } catch (error) {
      errors.push({ code: 'INVALID_GRAPHQL', message: `[${name}] the SDL does not parse: ${(error as Error).message}` });
    }
  }
  if (errors.length) return { ok: false, errors };
  const result = composeServices(definitions);
  if (result.errors) {
    return { ok: false, errors: result.errors.map((e) => ({ code: String(e.extensions.code ?? 'COMPOSITION_ERROR'), message: e.message })) };
  }
  return {
    ok: true,
    supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`,
    apiSchema: result.schema.toAPISchema().toGraphQLJSSchema(),
  };
}

/** Timeout of every request the gateway sends a municipal subgraph (SDL, health, subrequests). */
export const municipalTimeoutMs = (): number => Number(process.env.GONGKAI_SUBGRAPH_TIMEOUT_MS || 5000);

/** The SDL a running subgraph reports; SUBGRAPH_UNREACHABLE when it cannot be had. */
export async function fetchSubgraphSdl(url: string): Promise<string> {
  let body: { data?: { _service?: { sdl?: unknown } }; errors?: { message: string }[] };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
      signal: AbortSignal.timeout(municipalTimeoutMs()),
      redirect: 'error',
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw clientError('SUBGRAPH_UNREACHABLE', `could not fetch the SDL of ${url} ({ _service { sdl } }): ${(error as Error).message}`, { url });
  }
  const sdl = body.data?._service?.sdl;
  if (typeof sdl !== 'string' || sdl.trim() === '') {
    const reason = body.errors?.map((e) => e.message).join('; ') ?? 'no _service.sdl in the answer';
    throw clientError('SUBGRAPH_UNREACHABLE', `${url} is not a federation subgraph: ${reason}`, { url });
  }
  return sdl;
}

export const isGraphQLError = (error: unknown): error is GraphQLError => error instanceof GraphQLError;
