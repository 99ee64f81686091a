// What a municipal subgraph must satisfy before it joins the graph, beyond composing:
// - the hub's types are the hub's, of every kind: it extends only Region and Agency, by one of
//   their @keys, with fields of its own; it redefines no other hub type — no object, interface,
//   union, enum, input or scalar — so it adds no value to a hub enum, no field to a hub input or
//   interface, no member to a hub union, no implementation to a hub interface, and it does not
//   make Region or Agency implement anything or hide them (@inaccessible, @interfaceObject…);
// - it resolves none of the hub's fields (with or without @override): the hub's data stays the hub's;
// - reserved names are refused as RESERVED_NAME, before composition (which can fail inside
//   Apollo's code on some of them): the hub's subgraph names, the hub's root fields
//   (Query.agencies…), and the names of the supergraph's own machinery (join__*, __*);
// - every field it adds to Region, Agency, Query or Mutation is nullable, so that when it is
//   down only its own fields become null (a non-null one would null its parent, hub fields too);
// - re-registered, it keeps its @keys; and the graph clients see loses or retypes nothing
//   (graphql's findBreakingChanges between the API schema served and the new one).
import {
  Kind,
  findBreakingChanges,
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  parse,
  type BreakingChange,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLError,
  type GraphQLSchema,
  type NamedTypeNode,
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
/** Directives a municipal subgraph may put on its extension of Region or Agency, and on their key fields. */
const EXTENSION_DIRECTIVES = new Set(['key', 'extends', 'shareable', 'external']);

type ObjectNode = ObjectTypeDefinitionNode | ObjectTypeExtensionNode;
type TypeKind = 'type' | 'interface' | 'union' | 'enum' | 'input' | 'scalar';

const KIND_OF: Partial<Record<Kind, TypeKind>> = {
  [Kind.OBJECT_TYPE_DEFINITION]: 'type',
  [Kind.OBJECT_TYPE_EXTENSION]: 'type',
  [Kind.INTERFACE_TYPE_DEFINITION]: 'interface',
  [Kind.INTERFACE_TYPE_EXTENSION]: 'interface',
  [Kind.UNION_TYPE_DEFINITION]: 'union',
  [Kind.UNION_TYPE_EXTENSION]: 'union',
  [Kind.ENUM_TYPE_DEFINITION]: 'enum',
  [Kind.ENUM_TYPE_EXTENSION]: 'enum',
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: 'input',
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: 'input',
  [Kind.SCALAR_TYPE_DEFINITION]: 'scalar',
  [Kind.SCALAR_TYPE_EXTENSION]: 'scalar',
};

interface TypeNode {
  kind: Kind;
  name: { value: string };
  directives?: readonly ConstDirectiveNode[];
  fields?: readonly { name: { value: string } }[];
  interfaces?: readonly NamedTypeNode[];
}

const typeNodes = (document: DocumentNode): (TypeNode & { typeKind: TypeKind })[] =>
  document.definitions.flatMap((d: DefinitionNode) => {
    const typeKind = KIND_OF[d.kind];
    return typeKind ? [{ ...(d as unknown as TypeNode), typeKind }] : [];
  });

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

/** Query, Mutation and Subscription as a document names them (`schema { query: MyQuery }`). */
function rootTypeNames(document: DocumentNode): Map<string, string> {
  const roots = new Map<string, string>([
    ['Query', 'Query'],
    ['Mutation', 'Mutation'],
    ['Subscription', 'Subscription'],
  ]);
  for (const d of document.definitions) {
    if (d.kind !== Kind.SCHEMA_DEFINITION && d.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const op of d.operationTypes ?? []) {
      const canonical = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' }[op.operation];
      for (const [name, root] of roots) if (root === canonical) roots.delete(name);
      roots.set(op.type.name.value, canonical);
    }
  }
  return roots;
}

interface HubTypes {
  /** type name → its kind in the hub */
  kinds: Map<string, TypeKind>;
  /** type → field → the hub subgraph resolving it */
  fields: Map<string, Map<string, string>>;
  keys: Map<string, Set<string>>;
}

let hubTypesCache: { sdls: string; types: HubTypes } | null = null;

function hubTypes(): HubTypes {
  const services = hubServiceDefinitions();
  const sdls = services.map((s) => s.sdl).join('\n');
  if (hubTypesCache?.sdls === sdls) return hubTypesCache.types;
  const kinds = new Map<string, TypeKind>();
  const fields = new Map<string, Map<string, string>>();
  const keys = new Map<string, Set<string>>();
  for (const { name, sdl } of services) {
    const document = parse(sdl);
    for (const type of typeNodes(document)) if (!kinds.has(type.name.value)) kinds.set(type.name.value, type.typeKind);
    for (const type of objectTypes(document)) {
      const byField = fields.get(type.name.value) ?? new Map<string, string>();
      for (const field of type.fields ?? []) if (!directive(field, 'external') && !byField.has(field.name.value)) byField.set(field.name.value, name);
      fields.set(type.name.value, byField);
      const known = keys.get(type.name.value) ?? new Set<string>();
      for (const key of keysOf(type)) known.add(key);
      keys.set(type.name.value, known);
    }
  }
  const types = { kinds, fields, keys };
  hubTypesCache = { sdls, types };
  return types;
}

export const reservedSubgraphName = (name: string): string => `'${name}' is one of the hub's own subgraphs; choose another name`;

/** Names of the supergraph's machinery and of GraphQL introspection. */
const isReservedTypeName = (name: string): boolean => name.startsWith('__') || name.startsWith('join__');

const WHAT_IT_MAY_NOT: Record<TypeKind, string> = {
  type: 'redefine it or add fields to it',
  interface: 'redefine it, add fields to it or implement it',
  union: 'redefine it or add members to it',
  enum: 'redefine it or add values to it',
  input: 'redefine it or add fields to it',
  scalar: 'redefine it',
};

/** The rules above that need only the municipal SDL itself. */
export function checkMunicipalSdl(name: string, sdl: string): Problem[] {
  if ((HUB_GRAPH_NAMES as readonly string[]).includes(name)) return [{ code: 'RESERVED_NAME', message: reservedSubgraphName(name) }];
  let document: DocumentNode;
  try {
    document = parse(sdl);
  } catch (error) {
    return [{ code: 'INVALID_GRAPHQL', message: `the SDL of ${name} does not parse: ${(error as Error).message}` }];
  }
  const hub = hubTypes();
  const roots = rootTypeNames(document);
  const problems: Problem[] = [];
  const reported = new Set<string>();
  const once = (problem: Problem) => {
    if (reported.has(problem.message)) return;
    reported.add(problem.message);
    problems.push(problem);
  };

  for (const d of document.definitions) {
    if (d.kind === Kind.DIRECTIVE_DEFINITION && isReservedTypeName(d.name.value)) {
      once({ code: 'RESERVED_NAME', message: `@${d.name.value}: names beginning with join__ or __ are reserved for the supergraph` });
    }
  }

  for (const type of typeNodes(document)) {
    const typeName = type.name.value;
    const root = roots.get(typeName);
    if (isReservedTypeName(typeName)) {
      once({ code: 'RESERVED_NAME', message: `${type.typeKind} ${typeName}: names beginning with join__ or __ are reserved for the supergraph` });
      continue;
    }
    // its own types may not implement the hub's interfaces: the hub's abstract types are the hub's
    for (const implemented of type.interfaces ?? []) {
      if (hub.kinds.get(implemented.name.value) === 'interface' && !hub.kinds.has(typeName)) {
        once({
          code: 'HUB_TYPE_EXTENDED',
          message: `${typeName} may not implement the hub's interface ${implemented.name.value}: a municipal subgraph may not ${WHAT_IT_MAY_NOT.interface}`,
        });
      }
    }
    if (root !== undefined) {
      if (type.typeKind === 'type') checkRootFields(name, root, type as unknown as ObjectNode, hub, once);
      continue;
    }
    const hubKind = hub.kinds.get(typeName);
    if (hubKind === undefined) continue; // its own type
    const extensible = (EXTENSIBLE_TYPES as readonly string[]).includes(typeName);
    if (!extensible || hubKind !== 'type' || type.typeKind !== 'type') {
      once({
        code: 'HUB_TYPE_EXTENDED',
        message:
          hubKind === 'type' && type.typeKind === 'type'
            ? `type ${typeName} belongs to the hub; a municipal subgraph may extend only ${EXTENSIBLE_TYPES.join(' and ')} (by their @key) and define types of its own`
            : `${hubKind} ${typeName} belongs to the hub; a municipal subgraph may not ${WHAT_IT_MAY_NOT[hubKind]}${extensible ? ` (it extends ${typeName} as an object type, by its @key)` : ''}`,
      });
      continue;
    }
    checkHubObjectExtension(name, type as unknown as ObjectNode, hub, once);
  }
  return problems;
}

/** Region or Agency, extended by a municipal subgraph: by the hub's key, with fields of its own, nothing else. */
function checkHubObjectExtension(name: string, type: ObjectNode, hub: HubTypes, report: (problem: Problem) => void): void {
  const typeName = type.name.value;
  const hubFields = hub.fields.get(typeName) ?? new Map<string, string>();
  const hubKeys = hub.keys.get(typeName) ?? new Set<string>();
  const own = keysOf(type);
  if (!own.length || own.some((key) => !hubKeys.has(key))) {
    report({
      code: 'KEY_MISMATCH',
      message: `${typeName} must be extended by the hub's key: @key(fields: "${[...hubKeys].join('") or @key(fields: "')}")${own.length ? `, not @key(fields: "${own.join('"), @key(fields: "')}")` : ''}`,
    });
  }
  for (const other of (type.directives ?? []).filter((d) => !EXTENSION_DIRECTIVES.has(d.name.value))) {
    report({ code: 'HUB_TYPE_EXTENDED', message: `${typeName} belongs to the hub; a municipal subgraph extends it by @key only, not @${other.name.value}` });
  }
  for (const implemented of type.interfaces ?? []) {
    report({ code: 'HUB_TYPE_EXTENDED', message: `${typeName} belongs to the hub; a municipal subgraph may not make it implement ${implemented.name.value}` });
  }
  const keyFields = new Set<string>();
  for (const key of own) for (const field of key.split(/[\s{}]+/)) if (field) keyFields.add(field);
  for (const field of type.fields ?? []) {
    const coordinate = `${typeName}.${field.name.value}`;
    const owner = hubFields.get(field.name.value);
    if (owner !== undefined) {
      if (directive(field, 'override')) {
        report({
          code: 'HUB_FIELD_OVERRIDE',
          message: `${coordinate} is resolved by the hub's ${owner} subgraph; a municipal subgraph may not take it over with @override (it would answer it for every region)`,
        });
      } else if (!keyFields.has(field.name.value) && !directive(field, 'external')) {
        report({
          code: 'HUB_FIELD_CLAIMED',
          message: `${coordinate} is resolved by the hub's ${owner} subgraph; a municipal subgraph may declare only the key fields and fields of its own`,
        });
      } else {
        const other = (field.directives ?? []).find((d) => !EXTENSION_DIRECTIVES.has(d.name.value));
        if (other) {
          report({ code: 'HUB_FIELD_CLAIMED', message: `${coordinate} is the hub's; a municipal subgraph declares its key fields as they are, without @${other.name.value}` });
        }
      }
      continue;
    }
    nullable(name, coordinate, typeName, field, false, report);
  }
}

/** Query and Mutation fields: the hub's are reserved names; its own are nullable. */
function checkRootFields(name: string, root: string, type: ObjectNode, hub: HubTypes, report: (problem: Problem) => void): void {
  const hubFields = hub.fields.get(root) ?? new Map<string, string>();
  for (const field of type.fields ?? []) {
    // _entities and _service: what @apollo/subgraph adds for the gateway, not fields of the graph
    if (root === 'Query' && (field.name.value === '_service' || field.name.value === '_entities')) continue;
    const coordinate = `${root}.${field.name.value}`;
    const owner = hubFields.get(field.name.value);
    if (owner !== undefined) {
      report({ code: 'RESERVED_NAME', message: `${coordinate} is a root field of the hub's ${owner} subgraph; choose another name` });
      continue;
    }
    nullable(name, coordinate, root, field, true, report);
  }
}

function nullable(name: string, coordinate: string, typeName: string, field: FieldDefinitionNode, isRoot: boolean, report: (problem: Problem) => void): void {
  if (field.type.kind !== Kind.NON_NULL_TYPE) return;
  report({
    code: 'NON_NULL_FIELD',
    message: `${coordinate} must be nullable: when ${name} is down the gateway answers its fields with null, and a non-null field would null its parent${isRoot ? ' (the whole answer)' : `, the hub's own ${typeName} fields with it`}`,
  });
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

/**
 * Whether a removal is allowed (its deprecation period is over, gateway/registry/deprecations.ts),
 * with a note to report; if not, what to do instead.
 */
export type RemovalJudgement = (coordinate: string) => { allowed: true; note: string } | { allowed: false; hint: string };

/** Type.field, Type or Enum.VALUE of a removal that graphql's findBreakingChanges reports; null for other changes. */
function removedCoordinate(change: BreakingChange): string | null {
  let m: RegExpMatchArray | null;
  if (change.type === 'FIELD_REMOVED' && (m = change.description.match(/^(\w+)\.(\w+) was removed\.$/))) return `${m[1]}.${m[2]}`;
  if (change.type === 'TYPE_REMOVED' && (m = change.description.match(/^(\w+) was removed\.$/))) return m[1]!;
  if (change.type === 'VALUE_REMOVED_FROM_ENUM' && (m = change.description.match(/^(\w+) was removed from enum type (\w+)\.$/))) return `${m[2]}.${m[1]}`;
  return null;
}

/** Every place of the served graph that names the type: fields returning it, unions and types it belongs to. */
function referencesTo(schema: GraphQLSchema, typeName: string): { owner: string; coordinate: string }[] {
  const references: { owner: string; coordinate: string }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name === typeName) references.push({ owner: type.name, coordinate: `${type.name}.${field.name}` });
      }
      if (type.getInterfaces().some((i) => i.name === typeName)) references.push({ owner: type.name, coordinate: type.name });
    }
    if (isUnionType(type) && type.getTypes().some((t) => t.name === typeName)) references.push({ owner: type.name, coordinate: type.name });
  }
  return references;
}

/**
 * The breaking changes between the graph served and the candidate, with the removals whose
 * deprecation period is over set apart as accepted. A removed type is accepted when it is itself
 * deprecated, or when everything that named it went with an accepted removal (the fields
 * returning it): removing a deprecated field removes its result type with it.
 */
export function judgeBreakingChanges(current: GraphQLSchema, candidate: GraphQLSchema, judge: RemovalJudgement): { breaking: Problem[]; accepted: Problem[]; removed: string[] } {
  const changes = findBreakingChanges(current, candidate).map((change) => ({ change, coordinate: removedCoordinate(change) }));
  const accepted = new Map<string, string>();
  const hints = new Map<string, string>();
  for (const { coordinate } of changes) {
    if (coordinate === null) continue;
    const judgement = judge(coordinate);
    if (judgement.allowed) accepted.set(coordinate, judgement.note);
    else hints.set(coordinate, judgement.hint);
  }
  // types only reachable through accepted removals: to a fixed point, a removed type may name another
  for (let grew = true; grew; ) {
    grew = false;
    for (const { change, coordinate } of changes) {
      if (change.type !== 'TYPE_REMOVED' || coordinate === null || accepted.has(coordinate)) continue;
      const references = referencesTo(current, coordinate);
      const through = references.filter((r) => accepted.has(r.coordinate) || accepted.has(r.owner));
      if (references.length > 0 && through.length === references.length) {
        accepted.set(coordinate, `${coordinate} was removed with ${through.map((r) => r.coordinate).join(', ')}, the only fields returning it`);
        grew = true;
      }
    }
  }
  const breaking: Problem[] = [];
  for (const { change, coordinate } of changes) {
    if (coordinate !== null && accepted.has(coordinate)) continue;
    const hint = coordinate === null ? undefined : hints.get(coordinate);
    breaking.push({ code: change.type, message: hint ? `${change.description} (${hint})` : change.description });
  }
  const removed = [...accepted.keys()];
  return { breaking, accepted: removed.map((coordinate) => ({ code: 'REMOVAL_ACCEPTED', message: accepted.get(coordinate)! })), removed };
}

export type Assessment =
  | {
      ok: true;
      composed: ComposedGraph;
      /** Removals the check let pass (deprecation periods over), each with a note; `removed` are their coordinates. */
      accepted: Problem[];
      removed: string[];
    }
  | { ok: false; error: GraphQLError; accepted: Problem[] };

/**
 * Everything `registerSubgraph` checks once it has the SDL: the municipal rules, composition with
 * the hub and the other municipal subgraphs, key changes and breaking changes against the graph
 * served now. All problems are reported at once.
 */
export function assessRegistration(
  candidate: MunicipalDefinition,
  current: readonly MunicipalDefinition[],
  judgeRemoval: RemovalJudgement = () => ({ allowed: false, hint: 'removing a field needs a deprecation period first (docs/subgraphs.md)' }),
): Assessment {
  const previous = current.find((s) => s.name === candidate.name);
  const rules = checkMunicipalSdl(candidate.name, candidate.sdl);
  // a reserved name is refused as such, in one line, without composing
  const reserved = rules.filter((p) => p.code === 'RESERVED_NAME');
  if (reserved.length) {
    const message = `${candidate.name} uses names reserved for the hub: ${reserved.map((p) => p.message).join('; ')}; the current graph is unchanged`;
    return { ok: false, error: clientError('RESERVED_NAME', message.replace(/\s*\n\s*/g, ' '), { subgraph: candidate.name, errors: rules }), accepted: [] };
  }
  const composed = composeGraph([...current.filter((s) => s.name !== candidate.name), candidate]);
  const breaking: Problem[] = previous ? keyChanges(previous.sdl, candidate.sdl) : [];
  let accepted: Problem[] = [];
  let removed: string[] = [];
  if (composed.ok) {
    const served = composeGraph(current);
    if (served.ok) {
      const judged = judgeBreakingChanges(served.apiSchema, composed.apiSchema, judgeRemoval);
      breaking.push(...judged.breaking);
      ({ accepted, removed } = judged);
    }
  }
  if (composed.ok && !rules.length && !breaking.length) return { ok: true, composed, accepted, removed };
  const problems = [...(composed.ok ? [] : composed.errors), ...rules, ...breaking];
  const code = !composed.ok ? 'COMPOSITION_FAILED' : breaking.length ? 'BREAKING_CHANGE' : 'SUBGRAPH_REJECTED';
  const headline = {
    COMPOSITION_FAILED: `${candidate.name} does not compose with the graph`,
    BREAKING_CHANGE: `${candidate.name} would break fields clients already use`,
    SUBGRAPH_REJECTED: `${candidate.name} breaks the rules for municipal subgraphs`,
  }[code];
  const report = [`${headline}; the current graph is unchanged:`, ...problems.map((p) => `  - [${p.code}] ${p.message}`)].join('\n');
  return { ok: false, error: clientError(code, report, { subgraph: candidate.name, errors: problems }), accepted };
}
