// A query's cost before it runs: every field costs its weight, and a list multiplies what is
// below it by how many items it can return — its `first` argument, a connection's `first` for
// its nodes/edges, or the field's expected size. Rollups over whole subtrees weigh more.
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { checkDocumentLimits, type DocumentLimits } from './documentShape.ts';

/** Fields that cost more than 1: each is an aggregate over a subtree. */
const WEIGHTS: Record<string, number> = {
  'Region.disclosure': 20,
  'Region.hotline': 20,
  'Region.reportedHotlines': 10,
  'Agency.hotline': 5,
  'Query.flags': 20,
  'Query.ranking': 20,
  'Query.hotlineRanking': 20,
};

/** How many items a list field without `first` is expected to return. */
const LIST_SIZES: Record<string, number> = {
  'Query.regions': 500,
  // a province has 14 cities on average, a city 9 counties
  'Region.children': 15,
  'Region.ancestors': 2,
  'Agency.reports': 17,
  'DisclosureRollup.byLevel': 3,
  'HotlineFigures.byLevel': 3,
  'HotlineFigures.byCategory': 8,
  'HotlineFigures.byLine': 6,
  'HotlineFigures.byChannel': 5,
  'Region.reportedHotlines': 6,
  'AnnualReport.figures': 200,
};
const DEFAULT_LIST_SIZE = 20;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function argument(field: GraphQLField<unknown, unknown>, node: { arguments?: readonly { name: { value: string }; value: any }[] }, name: string, walk: Walk): unknown {
  const definition = field.args.find((a) => a.name === name);
  if (!definition) return undefined;
  const given = node.arguments?.find((a) => a.name.value === name);
  return given ? valueFromAST(given.value, definition.type, walk.variables) : definition.defaultValue;
}

function selectionCost(type: GraphQLNamedType, selectionSet: SelectionSetNode | undefined, walk: Walk, connectionSize: number | null, visiting: Set<string>): number {
  if (!selectionSet || !isObjectType(type)) return 0;
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : type;
      total += selectionCost(on ?? type, selection.selectionSet, walk, connectionSize, visiting);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = walk.fragments.get(selection.name.value);
      if (!fragment || visiting.has(fragment.name.value)) continue;
      visiting.add(fragment.name.value);
      const on = walk.schema.getType(fragment.typeCondition.name.value) ?? type;
      total += selectionCost(on, fragment.selectionSet, walk, connectionSize, visiting);
      visiting.delete(fragment.name.value);
      continue;
    }
    const field = type.getFields()[selection.name.value];
    if (!field) continue; // __typename, or an error validation reports
    const coordinate = `${type.name}.${field.name}`;
    const returned = getNamedType(field.type);
    const first = argument(field, selection, 'first', walk);
    const isConnection = returned.name.endsWith('Connection');
    const below = selectionCost(returned, selection.selectionSet, walk, isConnection && typeof first === 'number' ? first : null, visiting);
    let size = 1;
    if (isListType(getNullableType(field.type))) {
      size =
        connectionSize !== null && (field.name === 'nodes' || field.name === 'edges')
          ? connectionSize
          : typeof first === 'number'
            ? first
            : (LIST_SIZES[coordinate] ?? DEFAULT_LIST_SIZE);
    }
    total += (WEIGHTS[coordinate] ?? 1) + size * below;
  }
  return total;
}

export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): number {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0;
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;
  return selectionCost(root, operation.selectionSet, { schema, fragments, variables }, null, new Set());
}

/** Depth, aliases, directives and cost, checked before any subgraph is asked. */
export function documentLimitsPlugin(limits: DocumentLimits & { maxCost: number }): ApolloServerPlugin {
  const { maxCost } = limits;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          checkDocumentLimits(document, limits);
          const cost = operationCost(schema, document, operationName, request.variables ?? {});
          if (cost > maxCost) {
            throw new GraphQLError(`the query would cost ${cost}; at most ${maxCost} is allowed (ask for fewer items, or page with first/after)`, {
              extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
