// Composition of the hub's own subgraphs with the registered municipal ones, and fetching a
// municipal subgraph's SDL the way Apollo tooling does (`{ _service { sdl } }`), from the
// address pinned at registration (gateway/registry/addresses.ts).
import { createHash } from 'node:crypto';
import { composeServices } from '@apollo/composition';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { hubServiceDefinitions } from '../composeSupergraph.ts';
import { clientError } from '../../lib/graphql/errors.ts';
import { addressNotAllowed, subgraphUnreachable, type SubgraphAddressPolicy } from './addresses.ts';
import { OutboundError, requestPinned, type PinnedTarget } from './outbound.ts';
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
  // @apollo/composition throws on some inputs (a duplicate subgraph name, a type named
  // join__Graph…), with messages that name the subgraphs' URLs: a failure, never an exception.
  try {
    const result = composeServices(definitions);
    if (result.errors) {
      return { ok: false, errors: result.errors.map((e) => ({ code: String(e.extensions.code ?? 'COMPOSITION_ERROR'), message: e.message })) };
    }
    return {
      ok: true,
      supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`,
      apiSchema: result.schema.toAPISchema().toGraphQLJSSchema(),
    };
  } catch {
    return { ok: false, errors: [{ code: 'COMPOSITION_FAILED', message: 'composition stopped on an internal error of @apollo/composition: the SDLs cannot be composed as they are' }] };
  }
}

/** Timeout of every request the gateway sends a municipal subgraph (SDL, health, subrequests). */
export const municipalTimeoutMs = (): number => Number(process.env.GONGKAI_SUBGRAPH_TIMEOUT_MS || 5000);

/** The most the hub reads of a municipal subgraph's answer (SDL or query result). */
export const MUNICIPAL_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * The SDL a running subgraph reports (`{ _service { sdl } }`), fetched from the pinned address.
 * Nothing of the target's answer is repeated: SUBGRAPH_UNREACHABLE when nothing answered,
 * NOT_A_SUBGRAPH when what answered is not a federation subgraph (a status other than 2xx, a
 * body that is not JSON, no `_service.sdl`), SUBGRAPH_ADDRESS_NOT_ALLOWED when the pinned address
 * is refused.
 */
export async function fetchSubgraphSdl(policy: SubgraphAddressPolicy, name: string, target: PinnedTarget): Promise<string> {
  let answer;
  try {
    answer = await requestPinned(policy, new URL(target.url), target.address, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'apollo-require-preflight': 'true' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
      timeoutMs: municipalTimeoutMs(),
      maxBytes: MUNICIPAL_MAX_RESPONSE_BYTES,
    });
  } catch (error) {
    if (error instanceof OutboundError && error.kind === 'not-allowed') throw addressNotAllowed(name, error.refusal ?? 'not-listed', false);
    if (error instanceof OutboundError && error.kind === 'too-large') throw notASubgraph(name);
    throw subgraphUnreachable(name, 'its URL ({ _service { sdl } })');
  }
  if (answer.status < 200 || answer.status > 299) throw notASubgraph(name);
  let sdl: unknown;
  try {
    sdl = (JSON.parse(answer.body.toString('utf8')) as { data?: { _service?: { sdl?: unknown } } } | null)?.data?._service?.sdl;
  } catch {
    throw notASubgraph(name);
  }
  if (typeof sdl !== 'string' || sdl.trim() === '') throw notASubgraph(name);
  return sdl;
}

export function notASubgraph(name: string): Error {
  return clientError('NOT_A_SUBGRAPH', `${name} is not a subgraph: its URL did not answer { _service { sdl } } with a federation SDL`, { subgraph: name });
}

export const isGraphQLError = (error: unknown): error is GraphQLError => error instanceof GraphQLError;
