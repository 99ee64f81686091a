// Composes the hub's subgraph SDL files in schema/ into the supergraph the gateway serves when
// no municipal subgraph is registered (version 0 of the registry, docs/subgraphs.md).
import { composeServices } from '@apollo/composition';
import { parse, type GraphQLError } from 'graphql';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { readSchemaFile } from '../lib/graphql/sdl.ts';

/** The hub's own subgraphs: the three services, and the registry the gateway serves in-process. */
export type HubGraphName = SubgraphName | 'registry';
export const HUB_GRAPH_NAMES: readonly HubGraphName[] = [...SUBGRAPH_NAMES, 'registry'];

/** The routing URL written into the committed supergraph; the gateway overrides it per environment. */
export const defaultRoutingUrl = (name: SubgraphName): string =>
  `http://localhost:${4001 + SUBGRAPH_NAMES.indexOf(name)}/graphql`;

/** The registry runs inside the gateway (LocalGraphQLDataSource): its URL is never fetched. */
export const REGISTRY_ROUTING_URL = 'http://localhost:4000/registry';

const routingUrl = (name: HubGraphName): string => (name === 'registry' ? REGISTRY_ROUTING_URL : defaultRoutingUrl(name));

export interface ServiceDefinition {
  name: string;
  url: string;
  sdl: string;
}

/** What the hub always contributes to composition, whatever the registry holds. */
export const hubServiceDefinitions = (): ServiceDefinition[] =>
  HUB_GRAPH_NAMES.map((name) => ({ name, url: routingUrl(name), sdl: readSchemaFile(name) }));

export type CompositionOutcome = { ok: true; supergraphSdl: string } | { ok: false; errors: readonly GraphQLError[] };

export function composeSupergraph(): CompositionOutcome {
  const result = composeServices(hubServiceDefinitions().map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) return { ok: false, errors: result.errors };
  return { ok: true, supergraphSdl: `${result.supergraphSdl.trimEnd()}\n` };
}
