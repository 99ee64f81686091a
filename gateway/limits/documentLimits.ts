// A query's cost before it runs: every field costs its weight, and a list multiplies what is
// below it by how many items it can return — its size argument (`first`, `limit`…), a
// connection's `first` for its nodes/edges, or the field's expected size. Rollups over whole
// subtrees weigh more.
//
// Costs never go down: every size argument (a variable's coerced value included) is checked
// before any cost is computed — a whole number from 1 to the page-size limit, or the request is
// refused as BAD_USER_INPUT — so that no field can make the sum small enough for a sibling over
// the limit to be answered. The walk is linear: a fragment's cost is computed once, as a
// function of the connection it sits in, however often it is spread.
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  getVariableValues,
  valueFromAST,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { invalidArgument } from '../../lib/graphql/errors.ts';
import { DOCUMENT_TOO_COMPLEX, checkDocumentLimits, fragmentsOf, limitError, type DocumentLimits } from './documentShape.ts';

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

/** How many items a list field without a size argument is expected to return. */
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

/**
 * Arguments that say how many items a field returns, wherever they appear (a municipal
 * subgraph's fields included): the cost model multiplies by them, so each is validated.
 */
export const SIZE_ARGUMENTS: readonly string[] = ['first', 'last', 'limit', 'top', 'take', 'pageSize', 'perPage'];

export interface CostOptions {
  /** The largest value a size argument may have (GONGKAI_MAX_PAGE_SIZE). */
  maxPageSize: number;
}

/**
 * The cost of a selection set placed in a connection of `items` items:
 * `fixed + items * perItem` — or `fixed + unsized` outside a connection with a known size.
 */
interface Cost {
  fixed: number;
  perItem: number;
  unsized: number;
}

const ZERO: Cost = Object.freeze({ fixed: 0, perItem: 0, unsized: 0 });
const add = (a: Cost, b: Cost): Cost => ({ fixed: a.fixed + b.fixed, perItem: a.perItem + b.perItem, unsized: a.unsized + b.unsized });
const evaluate = (cost: Cost, items: number | null): number => cost.fixed + (items === null ? cost.unsized : items * cost.perItem);

const isSizeType = (field: GraphQLField<unknown, unknown>, name: string): boolean => {
  const definition = field.args.find((a) => a.name === name);
  const type = definition ? getNamedType(definition.type).name : '';
  return type === 'Int' || type === 'Float';
};

class CostWalk {
  readonly #schema: GraphQLSchema;
  readonly #fragments: Map<string, FragmentDefinitionNode>;
  readonly #variables: Record<string, unknown>;
  readonly #maxPageSize: number;
  readonly #memo = new Map<string, Cost>();
  readonly #inProgress = new Set<string>();

  constructor(schema: GraphQLSchema, fragments: Map<string, FragmentDefinitionNode>, variables: Record<string, unknown>, options: CostOptions) {
    this.#schema = schema;
    this.#fragments = fragments;
    this.#variables = variables;
    this.#maxPageSize = options.maxPageSize;
  }

  /**
   * How many items the field asks for, by its size arguments (the largest, when it has several):
   * null when it has none. A value given in the query or a variable must be a whole number from
   * 1 to maxPageSize; a default of the schema is taken as at least 1.
   */
  size(field: GraphQLField<unknown, unknown>, node: FieldNode): number | null {
    let size: number | null = null;
    for (const definition of field.args) {
      if (!SIZE_ARGUMENTS.includes(definition.name) || !isSizeType(field, definition.name)) continue;
      const given: ArgumentNode | undefined = node.arguments?.find((a) => a.name.value === definition.name);
      let value: unknown = given ? valueFromAST(given.value, definition.type, this.#variables) : undefined;
      if (value === undefined || value === null) {
        const fallback = definition.defaultValue;
        value = typeof fallback === 'number' ? Math.max(1, fallback) : null;
      } else if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > this.#maxPageSize) {
        throw invalidArgument(definition.name, `${definition.name} must be a whole number from 1 to ${this.#maxPageSize}, got ${String(value)}`, {
          http: { status: 400 },
        });
      }
      if (typeof value === 'number') size = Math.max(size ?? 0, value);
    }
    return size;
  }

  selectionSet(type: GraphQLNamedType, selectionSet: SelectionSetNode | undefined): Cost {
    if (!selectionSet || !isCompositeType(type)) return ZERO;
    // unions have no fields of their own (only __typename): their fragments are still counted
    const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
    let total = ZERO;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? this.#schema.getType(selection.typeCondition.name.value) : type;
        total = add(total, this.selectionSet(on ?? type, selection.selectionSet));
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        total = add(total, this.fragment(selection.name.value, type));
        continue;
      }
      const field = fields[selection.name.value];
      if (!field) continue; // __typename, or an error validation reports
      const coordinate = `${type.name}.${field.name}`;
      const returned = getNamedType(field.type);
      const size = this.size(field, selection);
      const below = evaluate(this.selectionSet(returned, selection.selectionSet), returned.name.endsWith('Connection') ? size : null);
      const weight = WEIGHTS[coordinate] ?? 1;
      let cost: Cost;
      if (!isListType(getNullableType(field.type))) cost = { fixed: weight + below, perItem: 0, unsized: 0 };
      else if (field.name === 'nodes' || field.name === 'edges') {
        // sized by the connection it is in, when that connection says how many
        cost = { fixed: weight, perItem: below, unsized: (size ?? LIST_SIZES[coordinate] ?? DEFAULT_LIST_SIZE) * below };
      } else cost = { fixed: weight + (size ?? LIST_SIZES[coordinate] ?? DEFAULT_LIST_SIZE) * below, perItem: 0, unsized: 0 };
      total = add(total, cost);
    }
    return total;
  }

  fragment(name: string, parent: GraphQLNamedType): Cost {
    const known = this.#memo.get(name);
    if (known) return known;
    if (this.#inProgress.has(name)) throw limitError(DOCUMENT_TOO_COMPLEX, `the document is too complex to run: fragment ${name} spreads itself`);
    const definition = this.#fragments.get(name);
    if (!definition) return ZERO;
    this.#inProgress.add(name);
    const cost = this.selectionSet(this.#schema.getType(definition.typeCondition.name.value) ?? parent, definition.selectionSet);
    this.#inProgress.delete(name);
    this.#memo.set(name, cost);
    return cost;
  }
}

const operationOf = (document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined =>
  document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );

/**
 * The operation's estimated cost, with `variables` as coerced by the schema. Throws
 * BAD_USER_INPUT for a size argument out of range. Linear in the document's size; run
 * checkDocumentLimits first, which bounds that size.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  options: CostOptions = { maxPageSize: 1000 },
): number {
  const operation = operationOf(document, operationName);
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const walk = new CostWalk(schema, fragmentsOf(document), variables, options);
  return evaluate(walk.selectionSet(root, operation.selectionSet), null);
}

export type GatewayDocumentLimits = DocumentLimits & CostOptions & { maxCost: number };

/** Shape, size arguments and cost, checked before any subgraph is asked. */
export function documentLimitsPlugin(limits: GatewayDocumentLimits): ApolloServerPlugin {
  const { maxCost } = limits;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, operationName, request }) {
          checkDocumentLimits(document, limits);
          // Variables as the executor will see them. Values that do not coerce are refused by the
          // gateway before it plans anything: nothing of this request will run.
          const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 1 });
          if (coerced.errors) return;
          const cost = operationCost(schema, document, operationName, coerced.coerced, limits);
          if (!(cost <= maxCost)) {
            const shown = cost > 1e15 ? 'more than 10^15' : String(cost);
            throw new GraphQLError(`the query would cost ${shown}; at most ${maxCost} is allowed (ask for fewer items, or page with first/after)`, {
              extensions: { code: 'COST_LIMIT_EXCEEDED', cost: Number.isFinite(cost) ? cost : null, maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
