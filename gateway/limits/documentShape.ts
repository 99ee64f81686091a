// Checks against documents built to exhaust the hub: too large once its fragments are expanded,
// too deep, too many aliases (the same expensive field asked a thousand times), too many
// directives. Every walk here is linear in the size of the document as written: a fragment's
// summary (its depth, its expanded size, its aliases) is computed once, however often it is
// spread, and a document whose fragments spread one another twice, level after level, costs no
// more to check than to read. The walk counts the selections it visits and stops at a budget, a
// fragment that spreads itself is refused, and nesting is bounded, so no document can make the
// check itself slow or overflow the stack.
//
// The same check runs twice: on the query text before GraphQL validates it (the gateway's HTTP
// front, `screenQuery`: standard validation is not linear in the number of fragments), and with
// the cost check once the operation is resolved (documentLimits.ts), so that each refusal keeps
// its own code (a validation rule's error would be reported as GRAPHQL_VALIDATION_FAILED); the
// token limit, enforced by the parser, bounds the size of the document as written.
import {
  GraphQLError,
  Kind,
  parse,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Selections (fields, inline fragments, spreads) of the document with every fragment spread expanded. */
  maxSelections: number;
  /** Fragment definitions in one document. */
  maxFragments: number;
}

/** Selection sets nested in one another (fields, inline fragments and spreads alike). */
export const MAX_NESTING = 256;

export const DOCUMENT_TOO_COMPLEX = 'DOCUMENT_TOO_COMPLEX';

export const limitError = (code: string, message: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

const tooComplex = (why: string) => limitError(DOCUMENT_TOO_COMPLEX, `the document is too complex to run: ${why}`);

/** What a selection set amounts to once its fragments are expanded. */
interface Summary {
  /** Fields below it, introspection fields (`__typename`…) not counted. */
  depth: number;
  /** Selections with every spread expanded: what the query planner and the executor would see. */
  selections: number;
  /** Aliased fields with every spread expanded. */
  aliases: number;
}

/** One linear walk over a document: fragment summaries memoised, visits counted. */
class ShapeWalk {
  readonly #fragments: Map<string, FragmentDefinitionNode>;
  readonly #summaries = new Map<string, Summary>();
  readonly #inProgress = new Set<string>();
  readonly #budget: number;
  #visited = 0;

  constructor(fragments: Map<string, FragmentDefinitionNode>, budget: number) {
    this.#fragments = fragments;
    this.#budget = budget;
  }

  summary(selectionSet: SelectionSetNode | undefined, nesting: number): Summary {
    const result: Summary = { depth: 0, selections: 0, aliases: 0 };
    if (!selectionSet) return result;
    if (nesting > MAX_NESTING) throw tooComplex(`its selections are nested more than ${MAX_NESTING} levels`);
    for (const selection of selectionSet.selections) {
      if (++this.#visited > this.#budget) throw tooComplex(`it has more than ${this.#budget} selections`);
      let below: Summary;
      if (selection.kind === Kind.FIELD) {
        below = this.summary(selection.selectionSet, nesting + 1);
        if (!selection.name.value.startsWith('__')) result.depth = Math.max(result.depth, 1 + below.depth);
        if (selection.alias) result.aliases += 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        below = this.summary(selection.selectionSet, nesting + 1);
        result.depth = Math.max(result.depth, below.depth);
      } else {
        below = this.fragment(selection.name.value, nesting + 1);
        result.depth = Math.max(result.depth, below.depth);
      }
      result.selections += 1 + below.selections;
      result.aliases += below.aliases;
    }
    return result;
  }

  fragment(name: string, nesting: number): Summary {
    const known = this.#summaries.get(name);
    if (known) return known;
    if (this.#inProgress.has(name)) throw tooComplex(`fragment ${name} spreads itself`);
    const definition = this.#fragments.get(name);
    // an unknown fragment is for validation to report
    if (!definition) return { depth: 0, selections: 0, aliases: 0 };
    this.#inProgress.add(name);
    const summary = this.summary(definition.selectionSet, nesting);
    this.#inProgress.delete(name);
    this.#summaries.set(name, summary);
    return summary;
  }
}

export const fragmentsOf = (document: DocumentNode): Map<string, FragmentDefinitionNode> =>
  new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));

/** Directives anywhere in the document as written: one pass, no recursion into spreads. */
function countDirectives(definitions: readonly DefinitionNode[]): number {
  let count = 0;
  const stack: unknown[] = [...definitions];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown> | null;
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (node.kind === Kind.DIRECTIVE) count++;
    for (const key of ['directives', 'selectionSet', 'selections', 'variableDefinitions'] as const) {
      if (node[key]) stack.push(node[key]);
    }
  }
  return count;
}

/** Throws the first limit the document breaks. Linear in the document's size. */
export function checkDocumentLimits(document: DocumentNode, limits: DocumentLimits): void {
  const fragments = fragmentsOf(document);
  if (fragments.size > limits.maxFragments) throw tooComplex(`it defines ${fragments.size} fragments; at most ${limits.maxFragments} are allowed`);
  const walk = new ShapeWalk(fragments, limits.maxSelections);
  let selections = 0;
  let aliases = 0;
  let depth = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const summary = walk.summary(definition.selectionSet, 0);
    selections += summary.selections;
    aliases += summary.aliases;
    depth = Math.max(depth, summary.depth);
  }
  if (selections > limits.maxSelections) {
    throw tooComplex(`with its fragments expanded it has ${selections > 1e15 ? 'more than 10^15' : selections} selections; at most ${limits.maxSelections} are allowed`);
  }
  if (aliases > limits.maxAliases) throw limitError('TOO_MANY_ALIASES', `the query uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`);
  const directives = countDirectives(document.definitions);
  if (directives > limits.maxDirectives) {
    throw limitError('TOO_MANY_DIRECTIVES', `the query uses ${directives} directives; at most ${limits.maxDirectives} are allowed`);
  }
  if (depth > limits.maxDepth) throw limitError('QUERY_TOO_DEEP', `the query is ${depth} levels deep; at most ${limits.maxDepth} are allowed`);
}

/**
 * The same check on the query text of a request, before GraphQL validates it: the refusal a
 * document earns, or null (also for a text that does not parse, which GraphQL then reports).
 */
export function screenQuery(query: unknown, limits: DocumentLimits & { maxTokens: number }): GraphQLError | null {
  if (typeof query !== 'string' || query === '') return null;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens, noLocation: true });
  } catch {
    return null;
  }
  try {
    checkDocumentLimits(document, limits);
    return null;
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
}
