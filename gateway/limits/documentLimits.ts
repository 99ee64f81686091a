// A query's cost before it runs: every field costs its weight, and a list multiplies what is
// below it by how many items it can return — the smaller of its size argument (`first`,
// `limit`…, a connection's `first` for its nodes/edges) and the most items the data holds for
// one parent (listSizes.ts: the sizes each subgraph observes in its tables, or fixed guesses
// where none is published). Rollups over whole subtrees weigh more.
//
// Costs never go down: every size argument (a variable's coerced value included) is checked
// before any cost is computed — a whole number from 1 to the page-size limit, or the request is
// refused as BAD_USER_INPUT — so that no field can make the sum small enough for a sibling over
// the limit to be answered. The walk is linear: a fragment's cost is computed once, as a
// function of the connection it sits in (and of what it tells of the regions it is about),
// however often it is spread.
import {
  GraphQLError,
  Kind,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  getVariableValues,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { DOCUMENT_TOO_COMPLEX, checkDocumentLimits, fragmentsOf, limitError, type DocumentLimits } from './documentShape.ts';
import { FieldPricer, operationOf, type CostOptions } from './fieldPricing.ts';
import { ListSizes, regionScopeKey, type RegionScope } from './listSizes.ts';
import { analyzeCost, type CostAnalysis } from './costAnalysis.ts';

export { SIZE_ARGUMENTS, type CostOptions } from './fieldPricing.ts';

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

class CostWalk {
  readonly #schema: GraphQLSchema;
  readonly #fragments: Map<string, FragmentDefinitionNode>;
  readonly #pricer: FieldPricer;
  readonly #memo = new Map<string, Cost>();
  readonly #inProgress = new Set<string>();

  constructor(schema: GraphQLSchema, fragments: Map<string, FragmentDefinitionNode>, variables: Record<string, unknown>, options: CostOptions) {
    this.#schema = schema;
    this.#fragments = fragments;
    this.#pricer = new FieldPricer(variables, options);
  }

  selectionSet(type: GraphQLNamedType, selectionSet: SelectionSetNode | undefined, regions: RegionScope | null): Cost {
    if (!selectionSet || !isCompositeType(type)) return ZERO;
    // unions have no fields of their own (only __typename): their fragments are still counted
    const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
    let total = ZERO;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? this.#schema.getType(selection.typeCondition.name.value) : type;
        total = add(total, this.selectionSet(on ?? type, selection.selectionSet, regions));
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        total = add(total, this.fragment(selection.name.value, type, regions));
        continue;
      }
      const field = fields[selection.name.value];
      if (!field) continue; // __typename, or an error validation reports
      const pricing = this.#pricer.price(type, field, selection, regions);
      const selected = this.selectionSet(getNamedType(field.type), selection.selectionSet, pricing.regions);
      const { weight, items } = pricing;
      let cost: Cost;
      switch (pricing.kind) {
        case 'SINGLE':
          cost = { fixed: weight + evaluate(selected, null), perItem: 0, unsized: 0 };
          break;
        case 'CONNECTION':
          cost = { fixed: weight + evaluate(selected, items), perItem: 0, unsized: 0 };
          break;
        case 'PAGE': {
          const below = evaluate(selected, null);
          cost = { fixed: weight, perItem: below, unsized: items! * below };
          break;
        }
        case 'LIST':
          cost = { fixed: weight + items! * evaluate(selected, null), perItem: 0, unsized: 0 };
      }
      total = add(total, cost);
    }
    return total;
  }

  fragment(name: string, parent: GraphQLNamedType, regions: RegionScope | null): Cost {
    // a fragment's cost depends on what the query tells of the regions it is about: one entry per scope
    const key = `${name}|${regionScopeKey(regions)}`;
    const known = this.#memo.get(key);
    if (known) return known;
    if (this.#inProgress.has(name)) throw limitError(DOCUMENT_TOO_COMPLEX, `the document is too complex to run: fragment ${name} spreads itself`);
    const definition = this.#fragments.get(name);
    if (!definition) return ZERO;
    this.#inProgress.add(name);
    const cost = this.selectionSet(this.#schema.getType(definition.typeCondition.name.value) ?? parent, definition.selectionSet, regions);
    this.#inProgress.delete(name);
    this.#memo.set(key, cost);
    return cost;
  }
}

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
  return evaluate(walk.selectionSet(root, operation.selectionSet, null), null);
}

export type GatewayDocumentLimits = DocumentLimits & CostOptions & { maxCost: number };

/** Where the plugin reads the list sizes of the moment, and starts and stops reading them (gateway/listSizeStatistics.ts). */
export interface ListSizeSource {
  current(): ListSizes;
  /** Reads them once (the first estimates are the data's) and then keeps them fresh. */
  start(): Promise<void>;
  stop(): void;
}

const percent = (share: number) => `${Math.max(1, Math.round(share * 100))}%`;

/** COST_LIMIT_EXCEEDED: the cost, the field that drives it and the rewrite that fits, in one line. */
function costRefusal(cost: number, maxCost: number, analysis: CostAnalysis | null): GraphQLError {
  const shown = cost > 1e15 ? 'more than 10^15' : String(cost);
  const why = analysis
    ? `${analysis.drivingField} makes ${percent(analysis.drivingShare)} of it; ${analysis.suggestion?.text ?? 'ask for fewer items, or page with first/after'}`
    : 'ask for fewer items, or page with first/after';
  return new GraphQLError(`the query would cost ${shown}; at most ${maxCost} is allowed: ${why}`, {
    extensions: {
      code: 'COST_LIMIT_EXCEEDED',
      cost: Number.isFinite(cost) ? cost : null,
      maxCost,
      drivingField: analysis?.drivingField ?? null,
      drivingShare: analysis ? Math.round(analysis.drivingShare * 1000) / 1000 : null,
      suggestion: analysis?.suggestion ?? null,
      http: { status: 400 },
    },
  });
}

/**
 * Shape, size arguments and cost, checked before any subgraph is asked. List sizes come from
 * `listSizes` (read at start, then kept fresh) when given; the fixed guesses otherwise.
 */
export function documentLimitsPlugin(limits: GatewayDocumentLimits, listSizes?: ListSizeSource): ApolloServerPlugin {
  const { maxCost } = limits;
  return {
    async serverWillStart() {
      await listSizes?.start();
      return {
        async serverWillStop() {
          listSizes?.stop();
        },
      };
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, operationName, request }) {
          checkDocumentLimits(document, limits);
          // Variables as the executor will see them. Values that do not coerce are refused by the
          // gateway before it plans anything: nothing of this request will run.
          const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 1 });
          if (coerced.errors) return;
          const options: CostOptions = { maxPageSize: limits.maxPageSize, listSizes: listSizes?.current() ?? ListSizes.GUESSES };
          const cost = operationCost(schema, document, operationName, coerced.coerced, options);
          if (!(cost <= maxCost)) {
            throw costRefusal(cost, maxCost, Number.isFinite(cost) ? analyzeCost(schema, document, operationName, coerced.coerced, options, maxCost) : null);
          }
        },
      };
    },
  };
}
