// How one field of a query is priced, for the cost limit (documentLimits.ts) and for the
// analysis of a refused query (costAnalysis.ts): its weight, its size argument (checked), how
// many items it gives (listSizes.ts) and what the query tells of the regions it returns.
import {
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  valueFromAST,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type OperationDefinitionNode,
} from 'graphql';
import { invalidArgument } from '../../lib/graphql/errors.ts';
import { DEFAULT_LIST_SIZE, LIST_SIZES, ListSizes, regionScopeOf, type RegionScope } from './listSizes.ts';

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

/**
 * The same aggregates of a region the query says is a county: a county has no region below it,
 * and its rollup reads its own agencies' rows only.
 */
const COUNTY_WEIGHTS: Record<string, number> = {
  'Region.disclosure': 5,
  'Region.hotline': 5,
  'Region.reportedHotlines': 3,
};

/**
 * Series whose length their arguments tell: each item is the rollup of one period and weighs
 * what that rollup weighs alone (`disclosureTrend(from: 2015, to: 2024)` is ten
 * `disclosure(year:)`s). The value is the length for the arguments given; the API's bound when
 * they are variables the pricer cannot read.
 */
const SERIES: Record<string, { perItem: string; length: (argument: (name: string) => unknown) => number }> = {
  'Region.disclosureTrend': {
    perItem: 'Region.disclosure',
    length: (argument) => {
      const from = argument('from');
      const to = argument('to');
      return typeof from === 'number' && typeof to === 'number' ? Math.min(30, Math.max(1, to - from + 1)) : 30;
    },
  },
};

const isCounty = (regions: RegionScope | null): boolean => regions?.levels?.size === 1 && regions.levels.has('COUNTY');

/**
 * Arguments that say how many items a field returns, wherever they appear (a municipal
 * subgraph's fields included): the cost model multiplies by them, so each is validated.
 */
export const SIZE_ARGUMENTS: readonly string[] = ['first', 'last', 'limit', 'top', 'take', 'pageSize', 'perPage'];

export interface CostOptions {
  /** The largest value a size argument may have (GONGKAI_MAX_PAGE_SIZE). */
  maxPageSize: number;
  /** The list sizes the subgraphs observe (listSizes.ts); the fixed guesses without them. */
  listSizes?: ListSizes;
}

const isSizeType = (field: GraphQLField<unknown, unknown>, name: string): boolean => {
  const definition = field.args.find((a) => a.name === name);
  const type = definition ? getNamedType(definition.type).name : '';
  return type === 'Int' || type === 'Float';
};

/** The size argument of a field and its value (validated), when it has one. */
export interface SizeArgument {
  name: string;
  value: number;
}

/** How one field of a query is priced: shared by the cost and by the refusal's analysis (costAnalysis.ts). */
export interface FieldPricing {
  coordinate: string;
  weight: number;
  /** SINGLE: one value; CONNECTION: one value whose nodes/edges are `items`; PAGE: the nodes/edges of a connection; LIST: a list of `items`. */
  kind: 'SINGLE' | 'CONNECTION' | 'PAGE' | 'LIST';
  /** A LIST's items, a CONNECTION's page size (null: unknown), a PAGE's items when its connection does not say. */
  items: number | null;
  /** The size argument that sets `items` (the largest when there are several). */
  sizeArgument: SizeArgument | null;
  /** What the query tells of the regions it returns (their levels, their province). */
  regions: RegionScope | null;
}

/**
 * Reads a query's fields: their size arguments (each checked), their list sizes from the
 * statistics or the fixed guesses, and what the query tells of the regions they return.
 */
export class FieldPricer {
  readonly #variables: Record<string, unknown>;
  readonly #maxPageSize: number;
  readonly #listSizes: ListSizes;

  constructor(variables: Record<string, unknown>, options: CostOptions) {
    this.#variables = variables;
    this.#maxPageSize = options.maxPageSize;
    this.#listSizes = options.listSizes ?? ListSizes.GUESSES;
  }

  /**
   * How many items the field asks for, by its size arguments (the largest, when it has several):
   * null when it has none. A value given in the query or a variable must be a whole number from
   * 1 to maxPageSize; a default of the schema is taken as at least 1. `override` replaces the
   * value given (costAnalysis.ts trying smaller pages).
   */
  size(field: GraphQLField<unknown, unknown>, node: FieldNode, override?: number): SizeArgument | null {
    let size: SizeArgument | null = null;
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
      if (typeof value === 'number' && value > (size?.value ?? 0)) size = { name: definition.name, value };
    }
    if (size && override !== undefined) size = { ...size, value: override };
    return size;
  }

  price(parent: GraphQLNamedType, field: GraphQLField<unknown, unknown>, node: FieldNode, regions: RegionScope | null, override?: number): FieldPricing {
    const coordinate = `${parent.name}.${field.name}`;
    const weight = (isCounty(regions) ? COUNTY_WEIGHTS[coordinate] : undefined) ?? WEIGHTS[coordinate] ?? 1;
    const sizeArgument = this.size(field, node, override);
    const argument = (name: string): unknown => {
      const definition = field.args.find((a) => a.name === name);
      const given = node.arguments?.find((a) => a.name.value === name);
      if (!definition) return undefined;
      if (!given) return definition.defaultValue;
      return valueFromAST(given.value, definition.type, this.#variables);
    };
    const returned = getNamedType(field.type);
    const series = SERIES[coordinate];
    if (series) {
      const items = series.length(argument);
      const perItem = (isCounty(regions) ? COUNTY_WEIGHTS[series.perItem] : undefined) ?? WEIGHTS[series.perItem] ?? 1;
      return { coordinate, weight: perItem * items, kind: 'LIST', items, sizeArgument, regions: null };
    }
    const below = returned.name === 'Region' ? regionScopeOf(coordinate, argument, regions) : null;
    const observed = this.#listSizes.bound(coordinate, argument, regions);
    const requested = sizeArgument?.value ?? null;
    // the smaller of what the caller asks for and what the data holds
    const bounded = requested === null ? observed : observed === null ? requested : Math.min(requested, observed);
    if (!isListType(getNullableType(field.type))) {
      const kind = returned.name.endsWith('Connection') ? 'CONNECTION' : 'SINGLE';
      return { coordinate, weight, kind, items: kind === 'CONNECTION' ? bounded : null, sizeArgument, regions: below };
    }
    const guess = LIST_SIZES[coordinate] ?? DEFAULT_LIST_SIZE;
    if (field.name === 'nodes' || field.name === 'edges') {
      // sized by the connection it is in, when that connection says how many
      return { coordinate, weight, kind: 'PAGE', items: requested ?? guess, sizeArgument, regions: below };
    }
    return { coordinate, weight, kind: 'LIST', items: bounded ?? guess, sizeArgument, regions: below };
  }
}

export const operationOf = (document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined =>
  document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
