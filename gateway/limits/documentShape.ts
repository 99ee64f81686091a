// Checks against documents built to exhaust the hub: too deep, too many aliases (the same
// expensive field asked a thousand times), too many directives. They run with the cost check
// once the operation is resolved, so that each refusal keeps its own code (a validation rule's
// error would be reported as GRAPHQL_VALIDATION_FAILED); the token limit, enforced by the
// parser, bounds how much work the standard validation can be made to do before.
import { GraphQLError, Kind, visit, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
}

const limitError = (code: string, message: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

function depthOf(selectionSet: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, visiting: Set<string>): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, fragments, visiting));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, visiting));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, visiting));
      visiting.delete(name);
    }
  }
  return deepest;
}

/** Throws the first limit the document breaks. */
export function checkDocumentLimits(document: DocumentNode, limits: DocumentLimits): void {
  let aliases = 0;
  let directives = 0;
  visit(document, {
    Field(node) {
      if (node.alias) aliases++;
    },
    Directive() {
      directives++;
    },
  });
  if (aliases > limits.maxAliases) throw limitError('TOO_MANY_ALIASES', `the query uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`);
  if (directives > limits.maxDirectives) {
    throw limitError('TOO_MANY_DIRECTIVES', `the query uses ${directives} directives; at most ${limits.maxDirectives} are allowed`);
  }
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const depth = depthOf(definition.selectionSet, fragments, new Set());
    if (depth > limits.maxDepth) throw limitError('QUERY_TOO_DEEP', `the query is ${depth} levels deep; at most ${limits.maxDepth} are allowed`);
  }
}
