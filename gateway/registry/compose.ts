// Composition of the hub's own subgraphs with the registered municipal ones, and fetching a
// municipal subgraph's SDL the way Apollo tooling does (`{ _service { sdl } }`), from the
// address pinned at registration (gateway/registry/addresses.ts).
import { createHash } from 'node:crypto';
import { composeServices } from '@apollo/composition';
import { GraphQLError, buildSchema, parse, type GraphQLSchema } from 'graphql';
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

/**
 * The last compositions, by their input: a registration composes the graph served now (for its
 * breaking-change report) beside the new one, and the graph served now is, more often than not,
 * what the previous registration composed — computed once instead of twice. The composition
 * worker (composeWorker.ts) puts its results here, so that the checks, which call composeGraph,
 * find them ready. Compositions are deterministic in the SDLs and URLs, which the key holds
 * (through their hash).
 */
const recentCompositions = new Map<string, Composition>();
const RECENT_COMPOSITIONS = 4;
/** Compositions this thread computed itself (tests check that registrations leave it to the worker). */
let composedHere = 0;

function compositionKey(municipal: readonly MunicipalDefinition[]): string {
  const hash = createHash('sha256');
  for (const { name, url, sdl } of [...hubServiceDefinitions(), ...municipal]) hash.update(`${name}\0${url}\0${sdl}\0`);
  return hash.digest('hex');
}

/** The composition of these municipal subgraphs with the hub's, if one was computed (or received) lately. */
export function recentComposition(municipal: readonly MunicipalDefinition[]): Composition | undefined {
  return recentCompositions.get(compositionKey(municipal));
}

export function rememberComposition(municipal: readonly MunicipalDefinition[], composition: Composition): void {
  const key = compositionKey(municipal);
  recentCompositions.delete(key); // the newest last: the oldest goes first
  recentCompositions.set(key, composition);
  if (recentCompositions.size > RECENT_COMPOSITIONS) recentCompositions.delete(recentCompositions.keys().next().value!);
}

export const compositionsComposedHere = (): number => composedHere;

export function composeGraph(municipal: readonly MunicipalDefinition[]): Composition {
  const composition = recentComposition(municipal) ?? composeServiceList([...hubServiceDefinitions(), ...municipal]);
  rememberComposition(municipal, composition);
  return composition;
}

/** Composes even when a recent composition of the same subgraphs is known (what the worker's answers are compared with). */
export function composeGraphAfresh(municipal: readonly MunicipalDefinition[]): Composition {
  return composeServiceList([...hubServiceDefinitions(), ...municipal]);
}

/** Forgets the recent compositions (tests that compare a composition with the worker's). */
export function forgetRecentCompositions(): void {
  recentCompositions.clear();
}

/** A composition received as strings (from the worker): the API schema is built when first asked for. */
export function composedFromSdl(supergraphSdl: string, apiSdl: string): ComposedGraph {
  let apiSchema: GraphQLSchema | null = null;
  return {
    ok: true,
    supergraphSdl,
    get apiSchema() {
      return (apiSchema ??= buildSchema(apiSdl));
    },
  };
}

function composeServiceList(services: readonly { name: string; url: string; sdl: string }[]): Composition {
  composedHere++;
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
export async function fetchSubgraphSdl(policy: SubgraphAddressPolicy, name: string, target: PinnedTarget, outboundHeaders: Record<string, string> = {}): Promise<string> {
  let answer;
  try {
    answer = await requestPinned(policy, new URL(target.url), target.address, {
      method: 'POST',
      // with the headers registered for it (an Authorization the city asks of the province)
      headers: { ...outboundHeaders, 'content-type': 'application/json', accept: 'application/json', 'apollo-require-preflight': 'true' },
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
