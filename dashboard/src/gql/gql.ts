/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query CheckToken {\n    sectors { code }\n  }\n": typeof types.CheckTokenDocument,
    "\n  query Provinces {\n    regions(level: PROVINCE) { code name }\n  }\n": typeof types.ProvincesDocument,
    "\n  query RegionPlace($code: ID!) {\n    region(code: $code) {\n      code name level\n      ancestors { code name level }\n      children { code name level }\n    }\n  }\n": typeof types.RegionPlaceDocument,
};
const documents: Documents = {
    "\n  query CheckToken {\n    sectors { code }\n  }\n": types.CheckTokenDocument,
    "\n  query Provinces {\n    regions(level: PROVINCE) { code name }\n  }\n": types.ProvincesDocument,
    "\n  query RegionPlace($code: ID!) {\n    region(code: $code) {\n      code name level\n      ancestors { code name level }\n      children { code name level }\n    }\n  }\n": types.RegionPlaceDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CheckToken {\n    sectors { code }\n  }\n"): typeof import('./graphql').CheckTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Provinces {\n    regions(level: PROVINCE) { code name }\n  }\n"): typeof import('./graphql').ProvincesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RegionPlace($code: ID!) {\n    region(code: $code) {\n      code name level\n      ancestors { code name level }\n      children { code name level }\n    }\n  }\n"): typeof import('./graphql').RegionPlaceDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
