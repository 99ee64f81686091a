// Composes the subgraph SDL files in schema/ into the supergraph the gateway serves.
import { composeServices } from '@apollo/composition';
import { parse, type GraphQLError } from 'graphql';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { readSchemaFile } from '../lib/graphql/sdl.ts';

/** The routing URL written into the committed supergraph; the gateway overrides it per environment. */
export const defaultRoutingUrl = (name: SubgraphName): string =>
  `http://localhost:${4001 + SUBGRAPH_NAMES.indexOf(name)}/graphql`;

export type CompositionOutcome = { ok: true; supergraphSdl: string } | { ok: false; errors: readonly GraphQLError[] };

export function composeSupergraph(): CompositionOutcome {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({ name, typeDefs: parse(readSchemaFile(name)), url: defaultRoutingUrl(name) })),
  );
  if (result.errors) return { ok: false, errors: result.errors };
  return { ok: true, supergraphSdl: `${result.supergraphSdl.trimEnd()}\n` };
}
