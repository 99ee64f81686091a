// The hub's public API schema from its supergraph (schema/supergraph.graphql): what a client of
// the gateway sees, without the federation machinery (join__ / link__ definitions, @link,
// @join__*) and without what the supergraph marks @inaccessible (internal fields such as
// Query._listSizes). The IDE shows it when the hub refuses introspection (its default), so the
// docs panel and completion still work; tests/dashboard/ide.test.ts checks it against Apollo's
// own API schema of the same file.
import { buildASTSchema, Kind, parse, visit, type ASTNode, type DirectiveNode, type DocumentNode, type GraphQLSchema } from 'graphql';

/** Directives and types of the specs a supergraph links (join, link, inaccessible). */
const isFederationName = (name: string): boolean => name.startsWith('join__') || name.startsWith('link__') || name === 'link' || name === 'inaccessible';

const isInaccessible = (node: ASTNode): boolean =>
  'directives' in node && Array.isArray(node.directives) && (node.directives as readonly DirectiveNode[]).some((directive) => directive.name.value === 'inaccessible');

export function apiSchemaDocument(supergraphSdl: string): DocumentNode {
  return visit(parse(supergraphSdl), {
    enter(node) {
      // null deletes the node: an @inaccessible element is not part of the API
      if (isInaccessible(node)) return null;
      switch (node.kind) {
        case Kind.DIRECTIVE:
        case Kind.DIRECTIVE_DEFINITION:
        case Kind.SCALAR_TYPE_DEFINITION:
        case Kind.ENUM_TYPE_DEFINITION:
        case Kind.INPUT_OBJECT_TYPE_DEFINITION:
        case Kind.OBJECT_TYPE_DEFINITION:
        case Kind.INTERFACE_TYPE_DEFINITION:
        case Kind.UNION_TYPE_DEFINITION:
          return isFederationName(node.name.value) ? null : undefined;
        default:
          return undefined;
      }
    },
  });
}

export function apiSchemaFromSupergraph(supergraphSdl: string): GraphQLSchema {
  return buildASTSchema(apiSchemaDocument(supergraphSdl));
}
