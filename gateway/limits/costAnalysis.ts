// Why a query costs too much, and what would fit: the refusal (COST_LIMIT_EXCEEDED) names the
// field that drives the cost — by its path in the query, as the caller wrote it (aliases
// included) — and one rewrite that brings the cost under the limit: a smaller page on a list
// above it (the outermost that can), else leaving it out.
//
// Runs only for a refused query, after checkDocumentLimits has bounded the document's expanded
// size: the walk here expands fragments (it needs each field's path), and prices the document
// again for each page size it tries. A budget of visited fields bounds all of it; once spent,
// the refusal says what it found so far.
import {
  Kind,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { fragmentsOf } from './documentShape.ts';
import { FieldPricer, operationOf, type CostOptions, type FieldPricing } from './fieldPricing.ts';
import type { RegionScope } from './listSizes.ts';

/** Fields visited, over every walk of one refusal's analysis. */
const ANALYSIS_BUDGET = 200_000;

export type CostSuggestion =
  | { kind: 'PAGE'; path: string; argument: string; value: number; text: string }
  | { kind: 'LEAVE_OUT'; path: string; text: string }
  | { kind: 'SPLIT'; text: string };

export interface CostAnalysis {
  cost: number;
  /** The path of the field that drives the cost (`agencies.nodes.reports.figures`). */
  drivingField: string;
  /** Its share of the cost, 0–1. */
  drivingShare: number;
  suggestion: CostSuggestion | null;
}

interface FieldRecord {
  path: string;
  depth: number;
  /** What it costs in the whole query: its own cost times the items of the lists it is in. */
  contribution: number;
  pricing: FieldPricing;
}

class BudgetSpent extends Error {}

/** The cost again, field by field, fragments expanded, with some size arguments replaced (`overrides`, by path). */
class ProfileWalk {
  readonly records: FieldRecord[] = [];
  readonly #schema: GraphQLSchema;
  readonly #fragments: Map<string, FragmentDefinitionNode>;
  readonly #pricer: FieldPricer;
  readonly #overrides: ReadonlyMap<string, number>;
  readonly #budget: { left: number };

  constructor(schema: GraphQLSchema, fragments: Map<string, FragmentDefinitionNode>, pricer: FieldPricer, overrides: ReadonlyMap<string, number>, budget: { left: number }) {
    this.#schema = schema;
    this.#fragments = fragments;
    this.#pricer = pricer;
    this.#overrides = overrides;
    this.#budget = budget;
  }

  /** The selection set's cost for one parent, inside a connection of `items` (null: none that says). */
  selectionSet(type: GraphQLNamedType, selectionSet: SelectionSetNode | undefined, items: number | null, regions: RegionScope | null, path: string, multiplier: number): number {
    if (!selectionSet || !isCompositeType(type)) return 0;
    const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (--this.#budget.left < 0) throw new BudgetSpent();
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? this.#schema.getType(selection.typeCondition.name.value) : type;
        total += this.selectionSet(on ?? type, selection.selectionSet, items, regions, path, multiplier);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const definition = this.#fragments.get(selection.name.value);
        if (!definition) continue;
        const on = this.#schema.getType(definition.typeCondition.name.value) ?? type;
        total += this.selectionSet(on, definition.selectionSet, items, regions, path, multiplier);
        continue;
      }
      const field = fields[selection.name.value];
      if (!field) continue;
      const fieldPath = path ? `${path}.${selection.alias?.value ?? selection.name.value}` : (selection.alias?.value ?? selection.name.value);
      const pricing = this.#pricer.price(type, field, selection, regions, this.#overrides.get(fieldPath));
      const returned = getNamedType(field.type);
      const below = (inside: number | null, times: number) =>
        this.selectionSet(returned, selection.selectionSet, inside, pricing.regions, fieldPath, multiplier * times);
      let local: number;
      switch (pricing.kind) {
        case 'SINGLE':
          local = pricing.weight + below(null, 1);
          break;
        case 'CONNECTION':
          local = pricing.weight + below(pricing.items, 1);
          break;
        case 'PAGE':
        case 'LIST': {
          const n = pricing.kind === 'PAGE' ? (items ?? pricing.items!) : pricing.items!;
          local = pricing.weight + n * below(null, n);
        }
      }
      this.records.push({ path: fieldPath, depth: fieldPath.split('.').length, contribution: multiplier * local, pricing });
      total += local;
    }
    return total;
  }
}

const isList = (record: FieldRecord) => record.pricing.kind === 'LIST' || record.pricing.kind === 'PAGE';
const within = (ancestor: string, path: string) => path === ancestor || path.startsWith(`${ancestor}.`);

/** The deepest list that holds at least half the cost; else the costliest list (or field, without lists). */
function drivingRecord(records: readonly FieldRecord[], total: number): FieldRecord | null {
  const lists = records.filter(isList);
  const candidates = lists.length > 0 ? lists : records;
  const major = candidates.filter((r) => r.contribution * 2 >= total);
  if (major.length > 0) {
    return major.reduce((best, r) => (r.depth > best.depth || (r.depth === best.depth && r.contribution > best.contribution) ? r : best));
  }
  return candidates.reduce<FieldRecord | null>((best, r) => (!best || r.contribution > best.contribution ? r : best), null);
}

/**
 * The analysis of a query whose cost is over `maxCost` (variables coerced); null when the
 * budget ran out before the driving field was found.
 */
export function analyzeCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  options: CostOptions,
  maxCost: number,
): CostAnalysis | null {
  const operation = operationOf(document, operationName);
  const root = operation ? schema.getRootType(operation.operation) : null;
  if (!operation || !root) return null;
  const fragments = fragmentsOf(document);
  const pricer = new FieldPricer(variables, options);
  const budget = { left: ANALYSIS_BUDGET };
  const profile = (overrides: ReadonlyMap<string, number>) => {
    const walk = new ProfileWalk(schema, fragments, pricer, overrides, budget);
    const cost = walk.selectionSet(root, operation.selectionSet, null, null, '', 1);
    return { cost, records: walk.records };
  };
  let analysis: CostAnalysis;
  let records: FieldRecord[];
  try {
    const first = profile(new Map());
    records = first.records;
    const driving = drivingRecord(records, first.cost);
    if (!driving) return null;
    analysis = { cost: first.cost, drivingField: driving.path, drivingShare: first.cost > 0 ? driving.contribution / first.cost : 0, suggestion: null };
  } catch (error) {
    if (error instanceof BudgetSpent) return null;
    throw error;
  }
  try {
    analysis.suggestion = pageThatFits(records, analysis, profile, maxCost) ?? withoutDriving(records, analysis, maxCost);
  } catch (error) {
    if (!(error instanceof BudgetSpent)) throw error;
  }
  return analysis;
}

/** The largest page, on the outermost list above the driving field (or on it) that can take one, with which the query fits. */
function pageThatFits(
  records: readonly FieldRecord[],
  analysis: CostAnalysis,
  profile: (overrides: ReadonlyMap<string, number>) => { cost: number },
  maxCost: number,
): CostSuggestion | null {
  const seen = new Set<string>();
  const pageable = records
    .filter((r) => r.pricing.sizeArgument !== null && (r.pricing.kind === 'LIST' || r.pricing.kind === 'CONNECTION') && within(r.path, analysis.drivingField))
    .filter((r) => !seen.has(r.path) && seen.add(r.path))
    .sort((a, b) => a.depth - b.depth);
  for (const record of pageable) {
    const current = record.pricing.items ?? record.pricing.sizeArgument!.value;
    const fits = (value: number) => profile(new Map([[record.path, value]])).cost <= maxCost;
    if (current <= 1 || !fits(1)) continue;
    let [low, high] = [1, current - 1]; // fits(low); the answer is in [low, high]
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(middle)) low = middle;
      else high = middle - 1;
    }
    const { name } = record.pricing.sizeArgument!;
    const paging = record.pricing.kind === 'CONNECTION' ? ', and page with after' : '';
    return { kind: 'PAGE', path: record.path, argument: name, value: low, text: `ask for ${name}: ${low} on ${record.path}${paging}` };
  }
  return null;
}

function withoutDriving(records: readonly FieldRecord[], analysis: CostAnalysis, maxCost: number): CostSuggestion {
  // the same path can be selected more than once (fragments): leaving it out removes them all
  const removed = records.filter((r) => r.path === analysis.drivingField).reduce((sum, r) => sum + r.contribution, 0);
  if (analysis.cost - removed <= maxCost) {
    return { kind: 'LEAVE_OUT', path: analysis.drivingField, text: `leave out ${analysis.drivingField} (ask for it in a query of its own, about fewer parents)` };
  }
  return { kind: 'SPLIT', text: 'split the query: ask about fewer parents at once, or page with first/after' };
}
