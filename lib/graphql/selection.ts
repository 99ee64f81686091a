// What a resolver's caller asked for, so that a loader can leave out work nobody reads (the
// hotline breakdowns, for instance). Follows fragments; looks at the direct subfields only.
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

export function selectsAnyOf(info: GraphQLResolveInfo, names: readonly string[]): boolean {
  const wanted = new Set(names);
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === 'Field') return wanted.has(selection.name.value);
      if (selection.kind === 'InlineFragment') return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}
