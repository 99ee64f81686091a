// What a municipal subgraph must satisfy before it joins the graph, beyond composing:
// - it extends only Region and Agency among the hub's types, by one of their @keys;
// - it resolves none of the hub's fields (with or without @override): the hub's data stays the hub's;
// - every field it adds to Region, Agency, Query or Mutation is nullable, so that when it is
//   down only its own fields become null (a non-null one would null its parent, hub fields too);
// - re-registered, it keeps its @keys; and the graph clients see loses or retypes nothing
//   (graphql's findBreakingChanges between the API schema served and the new one).
import {
  Kind,
  findBreakingChanges,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
} from 'graphql';
import { HUB_GRAPH_NAMES, hubServiceDefinitions } from '../composeSupergraph.ts';
import { clientError } from '../../lib/graphql/errors.ts';
import { composeGraph, type ComposedGraph } from './compose.ts';
import type { MunicipalDefinition } from './store.ts';

export interface Problem {
  /** COMPOSITION_FAILED's own codes are Apollo's (INVALID_FIELD_SHARING…); ours are named below. */
  code: string;
  message: string;
}

/** The hub's types a municipal subgraph may extend, by key. */
export const EXTENSIBLE_TYPES = ['Region', 'Agency'] as const;
const ROOT_TYPES = ['Query', 'Mutation'];

type ObjectNode = ObjectTypeDefinitionNode | ObjectTypeExtensionNode;

const objectTypes = (document: DocumentNode): ObjectNode[] =>
  document.definitions.filter((d): d is ObjectNode => d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION);

const directive = (node: { directives?: readonly ConstDirectiveNode[] }, name: string) => node.directives?.find((d) => d.name.value === name);

/** `@key(fields: "code")` → "code" (whitespace normalised). */
function keysOf(node: ObjectNode): string[] {
  return (node.directives ?? [])
    .filter((d) => d.name.value === 'key')
    .map((d) => {
      const fields = d.arguments?.find((a) => a.name.value === 'fields')?.value;
      return fields?.kind === Kind.STRING ? fields.value.trim().replace(/\s+/g, ' ') : '';
    });
}

interface HubTypes {
  /** type → field → the hub subgraph resolving it */
  fields: Map<string, Map<string, string>>;
  keys: Map<string, Set<string>>;
}

function hubTypes(): HubTypes {
  const fields = new Map<string, Map<string, string>>();
  const keys = new Map<string, Set<string>>();
  for (const { name, sdl } of hubServiceDefinitions()) {
    for (const type of objectTypes(parse(sdl))) {
      const byField = fields.get(type.name.value) ?? new Map<string, string>();
      for (const field of type.fields ?? []) if (!directive(field, 'external') && !byField.has(field.name.value)) byField.set(field.name.value, name);
      fields.set(type.name.value, byField);
      const known = keys.get(type.name.value) ?? new Set<string>();
      for (const key of keysOf(type)) known.add(key);
      keys.set(type.name.value, known);
    }
  }
  return { fields, keys };
}

/** The rules above that need only the municipal SDL itself. */
export function checkMunicipalSdl(name: string, sdl: string): Problem[] {
  if ((HUB_GRAPH_NAMES as readonly string[]).includes(name)) {
    return [{ code: 'RESERVED_NAME', message: `'${name}' is one of the hub's own subgraphs; choose another name` }];
  }
  let document: DocumentNode;
  try {
    document = parse(sdl);
  } catch (error) {
    return [{ code: 'INVALID_GRAPHQL', message: `the SDL of ${name} does not parse: ${(error as Error).message}` }];
  }
  const hub = hubTypes();
  const problems: Problem[] = [];
  for (const type of objectTypes(document)) {
    const typeName = type.name.value;
    const hubFields = hub.fields.get(typeName);
    if (!hubFields) continue; // its own type
    const isRoot = ROOT_TYPES.includes(typeName);
    if (!isRoot && !(EXTENSIBLE_TYPES as readonly string[]).includes(typeName)) {
      problems.push({
        code: 'HUB_TYPE_EXTENDED',
        message: `type ${typeName} belongs to the hub; a municipal subgraph may extend only ${EXTENSIBLE_TYPES.join(' and ')} (by their @key) and define types of its own`,
      });
      continue;
    }
    const keyFields = new Set<string>();
    if (!isRoot) {
      const hubKeys = hub.keys.get(typeName) ?? new Set<string>();
      const own = keysOf(type);
      if (!own.length || own.some((key) => !hubKeys.has(key))) {
        problems.push({
          code: 'KEY_MISMATCH',
          message: `${typeName} must be extended by the hub's key: @key(fields: "${[...hubKeys].join('") or @key(fields: "')}")${own.length ? `, not @key(fields: "${own.join('"), @key(fields: "')}")` : ''}`,
        });
      }
      for (const key of own) for (const field of key.split(/[\s{}]+/)) if (field) keyFields.add(field);
    }
    for (const field of type.fields ?? []) {
      // _entities and _service: what @apollo/subgraph adds for the gateway, not fields of the graph
      if (isRoot && field.name.value.startsWith('_')) continue;
      const coordinate = `${typeName}.${field.name.value}`;
      const owner = hubFields.get(field.name.value);
      if (owner !== undefined) {
        if (directive(field, 'override')) {
          problems.push({
            code: 'HUB_FIELD_OVERRIDE',
            message: `${coordinate} is resolved by the hub's ${owner} subgraph; a municipal subgraph may not take it over with @override (it would answer it for every region)`,
          });
        } else if (!keyFields.has(field.name.value) && !directive(field, 'external')) {
          problems.push({
            code: 'HUB_FIELD_CLAIMED',
            message: `${coordinate} is resolved by the hub's ${owner} subgraph; a municipal subgraph may declare only the key fields and fields of its own`,
          });
        }
        continue;
      }
      if (field.type.kind === Kind.NON_NULL_TYPE) {
        problems.push({
          code: 'NON_NULL_FIELD',
          message: `${coordinate} must be nullable: when ${name} is down the gateway answers its fields with null, and a non-null field would null its parent${isRoot ? ' (the whole answer)' : `, the hub's own ${typeName} fields with it`}`,
        });
      }
    }
  }
  return problems;
}

/** The @keys of a re-registered subgraph must stay as they were: clients' entity references depend on them. */
export function keyChanges(previousSdl: string, sdl: string): Problem[] {
  let before: DocumentNode;
  let after: DocumentNode;
  try {
    before = parse(previousSdl);
    after = parse(sdl);
  } catch {
    return []; // a parse failure is reported by checkMunicipalSdl
  }
  const keyMap = (document: DocumentNode) => {
    const map = new Map<string, string[]>();
    for (const type of objectTypes(document)) map.set(type.name.value, [...(map.get(type.name.value) ?? []), ...keysOf(type)]);
    return map;
  };
  const old = keyMap(before);
  const problems: Problem[] = [];
  for (const [type, keys] of keyMap(after)) {
    const previous = old.get(type);
    if (!previous) continue;
    const a = [...new Set(previous)].sort().join(' | ');
    const b = [...new Set(keys)].sort().join(' | ');
    if (a !== b) problems.push({ code: 'KEY_CHANGED', message: `the @key of ${type} changed from ${a || 'none'} to ${b || 'none'}` });
  }
  return problems;
}

/** Removed or retyped fields, removed types or enum values…: what clients already using the graph would break on. */
export function breakingChanges(current: GraphQLSchema, candidate: GraphQLSchema): Problem[] {
  return findBreakingChanges(current, candidate).map((change) => ({ code: change.type, message: change.description }));
}

export type Assessment = { ok: true; composed: ComposedGraph } | { ok: false; error: GraphQLError };

/**
 * Everything `registerSubgraph` checks once it has the SDL: the municipal rules, composition with
 * the hub and the other municipal subgraphs, key changes and breaking changes against the graph
 * served now. All problems are reported at once.
 */
export function assessRegistration(candidate: MunicipalDefinition, current: readonly MunicipalDefinition[]): Assessment {
  const previous = current.find((s) => s.name === candidate.name);
  const rules = checkMunicipalSdl(candidate.name, candidate.sdl);
  const composed = composeGraph([...current.filter((s) => s.name !== candidate.name), candidate]);
  const breaking: Problem[] = previous ? keyChanges(previous.sdl, candidate.sdl) : [];
  if (composed.ok) {
    const served = composeGraph(current);
    if (served.ok) breaking.push(...breakingChanges(served.apiSchema, composed.apiSchema));
  }
  if (composed.ok && !rules.length && !breaking.length) return { ok: true, composed };
  const problems = [...(composed.ok ? [] : composed.errors), ...rules, ...breaking];
  const code = !composed.ok ? 'COMPOSITION_FAILED' : breaking.length ? 'BREAKING_CHANGE' : 'SUBGRAPH_REJECTED';
  const headline = {
    COMPOSITION_FAILED: `${candidate.name} does not compose with the graph`,
    BREAKING_CHANGE: `${candidate.name} would break fields clients already use`,
    SUBGRAPH_REJECTED: `${candidate.name} breaks the rules for municipal subgraphs`,
  }[code];
  const report = [`${headline}; the current graph is unchanged:`, ...problems.map((p) => `  - [${p.code}] ${p.message}`)].join('\n');
  return { ok: false, error: clientError(code, report, { subgraph: candidate.name, errors: problems }) };
}
