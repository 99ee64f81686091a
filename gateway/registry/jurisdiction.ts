// The jurisdiction filter: a municipal subgraph is asked only about the regions and agencies
// inside the regions it serves (gateway/registry/servedRegions.ts), and what it answers about
// any other is dropped. Without it, `region(code: "320800")` would be asked of 长沙's subgraph and
// its answer shown under 长沙's name for 淮安.
//
// On the way out, an `_entities` subrequest keeps only the representations inside — a Region by
// its code, an Agency by the region the hub's agencies subgraph gives it (never the city's word)
// — and when none is left the subgraph is not called at all; the positions left out answer null,
// so the planner still gets one entity per representation. Every Region and Agency selection of
// the operation also asks for the key (under an alias of ours), so that on the way back every
// Region or Agency object of the answer — an entity, or one of the subgraph's own root fields —
// can be judged: one outside is dropped (null; left out of a list) and counted in one log line.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  Kind,
  TypeInfo,
  isObjectType,
  parse,
  print,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Logger } from '../../lib/observability/log.ts';
import type { AgencyRegions } from './agencyRegions.ts';
import { servedPrefixes, servesCode } from './servedRegions.ts';
import { findVersion } from './store.ts';

/** The aliases under which the filter asks for the keys it judges by; removed from the answer. */
const REGION_KEY = 'gongkaiJurisdictionRegionCode';
const AGENCY_KEY = 'gongkaiJurisdictionAgencyId';

/** What the filter knows of a municipal subgraph of the version served. */
interface Scope {
  /** Code prefixes it serves; [''] for a national one serving the whole country. */
  prefixes: string[];
  /** Its schema, to find the Region and Agency selections of an operation (null: it did not build). */
  schema: GraphQLSchema | null;
  /** Operations as sent, by the planner's text: the planner sends the same few again and again. */
  rewritten: Map<string, { query: string; document: DocumentNode }>;
}

const MAX_REWRITTEN = 500;

export interface JurisdictionOptions {
  /** The registry: its database, and the version this gateway serves. */
  registry: { orm: { em: { fork(): EntityManager } }; supergraph: { version: number } };
  agencyRegions: AgencyRegions;
  log: Logger;
}

/** A subgraph's answer, as the gateway's data sources give it. */
export type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

export type Send = (request: { query: string; variables: Record<string, unknown> | undefined; document: DocumentNode | undefined }) => Promise<GatewayGraphQLResponse>;

export class Jurisdiction {
  readonly #options: JurisdictionOptions;
  /** The scopes of the version last loaded: one database read per version, not per request. */
  #loaded: { version: number; scopes: Promise<Map<string, Scope>> } | null = null;

  constructor(options: JurisdictionOptions) {
    this.#options = options;
  }

  /** The scope of a municipal subgraph in the version served; null: it serves nothing (unknown to the version). */
  async scopeOf(name: string): Promise<Scope | null> {
    const version = this.#options.registry.supergraph.version;
    if (this.#loaded?.version !== version) {
      const scopes = this.#loadScopes(version);
      this.#loaded = { version, scopes };
      // a failed read is tried again by the next request, not kept
      scopes.catch(() => {
        if (this.#loaded?.scopes === scopes) this.#loaded = null;
      });
    }
    return (await this.#loaded!.scopes).get(name) ?? null;
  }

  async #loadScopes(version: number): Promise<Map<string, Scope>> {
    const scopes = new Map<string, Scope>();
    if (version <= 0) return scopes;
    const row = await findVersion(this.#options.registry.orm.em.fork(), version);
    for (const subgraph of row?.subgraphs ?? []) {
      let schema: GraphQLSchema | null = null;
      try {
        schema = buildSubgraphSchema(parse(subgraph.sdl));
      } catch {
        this.#options.log.warn('jurisdiction: a subgraph schema did not build; only its entity keys are filtered', { subgraph: subgraph.name });
      }
      scopes.set(subgraph.name, { prefixes: servedPrefixes(subgraph), schema, rewritten: new Map() });
    }
    return scopes;
  }

  /**
   * Sends a subrequest to the municipal subgraph `name` through the filter: only what lies in
   * its regions goes out, only what lies in its regions comes back.
   */
  async filter(name: string, request: { query: string; variables?: Record<string, unknown> | undefined; document?: DocumentNode | undefined }, send: Send): Promise<GatewayGraphQLResponse> {
    let scope: Scope | null;
    try {
      scope = await this.scopeOf(name);
    } catch (error) {
      // the registry cannot say what it serves: it is asked nothing
      this.#options.log.error('jurisdiction: the served regions could not be read; the subgraph is not called', { subgraph: name, cause: (error as Error).message });
      scope = null;
    }
    const representations = request.variables?.representations;
    const isEntities = Array.isArray(representations) && /\b_entities\s*\(/.test(request.query);
    if (scope?.prefixes.includes('')) return send({ query: request.query, variables: request.variables, document: request.document });
    const judge = new Judge(scope?.prefixes ?? [], this.#options.agencyRegions, this.#options.log, name);
    if (!scope) {
      // nothing is sent; entities answer null, root fields nothing
      return isEntities ? { data: { _entities: (representations as unknown[]).map(() => null) } } : { data: null };
    }
    const { query, document } = rewrite(scope, request);
    if (!isEntities) {
      const response = await send({ query, variables: request.variables, document });
      await judge.answer(response.data);
      judge.report();
      return response;
    }
    const all = representations as unknown[];
    const inside = await judge.representations(all);
    const kept = all.flatMap((_, i) => (inside[i] ? [i] : []));
    if (kept.length === 0) return { data: { _entities: all.map(() => null) } };
    const response = await send({ query, variables: { ...request.variables, representations: kept.map((i) => all[i]) }, document });
    const answered = (response.data as { _entities?: unknown } | null | undefined)?._entities;
    const entities: unknown[] = all.map(() => null);
    if (Array.isArray(answered)) {
      await judge.answer(answered, true);
      kept.forEach((original, sent) => (entities[original] = answered[sent] ?? null));
    }
    judge.report();
    // an error at _entities.<i> is about the i-th representation sent: put it at its place
    const errors = response.errors?.map((error) =>
      error.path && error.path[0] === '_entities' && typeof error.path[1] === 'number' && kept[error.path[1]] !== undefined
        ? { ...error, path: ['_entities', kept[error.path[1]]!, ...error.path.slice(2)] }
        : error,
    );
    return { ...response, data: Array.isArray(answered) ? { ...response.data, _entities: entities } : response.data, ...(errors ? { errors } : {}) };
  }
}

/** Judges one subrequest's representations and answer, and counts what it dropped. */
class Judge {
  readonly #prefixes: string[];
  readonly #agencies: AgencyRegions;
  readonly #log: Logger;
  readonly #name: string;
  readonly #dropped = new Map<string, number>();

  constructor(prefixes: string[], agencies: AgencyRegions, log: Logger, name: string) {
    this.#prefixes = prefixes;
    this.#agencies = agencies;
    this.#log = log;
    this.#name = name;
  }

  /** Whether each representation lies inside; other entity types than Region and Agency are the subgraph's own. */
  async representations(all: readonly unknown[]): Promise<boolean[]> {
    const agencyIds = all.flatMap((r) => (typenameOf(r) === 'Agency' ? [String((r as { id?: unknown }).id)] : []));
    const agencyRegions = await this.#agencyRegions(agencyIds);
    return all.map((r) => {
      switch (typenameOf(r)) {
        case 'Region':
          return servesCode(this.#prefixes, String((r as { code?: unknown }).code));
        case 'Agency': {
          const code = agencyRegions.get(String((r as { id?: unknown }).id));
          return typeof code === 'string' && servesCode(this.#prefixes, code);
        }
        default:
          return true;
      }
    });
  }

  /**
   * Drops, in place, every Region and Agency object of the answer that lies outside, and removes
   * the keys the filter asked for. `entities`: the value is the `_entities` list, whose positions
   * are kept (nulled), not removed.
   */
  async answer(data: unknown, entities = false): Promise<void> {
    const agencyIds: string[] = [];
    collect(data, agencyIds);
    const agencyRegions = await this.#agencyRegions(agencyIds);
    const outside = (value: Record<string, unknown>): string | null => {
      if (REGION_KEY in value) return servesCode(this.#prefixes, String(value[REGION_KEY])) ? null : 'Region';
      if (AGENCY_KEY in value) {
        const code = agencyRegions.get(String(value[AGENCY_KEY]));
        return typeof code === 'string' && servesCode(this.#prefixes, code) ? null : 'Agency';
      }
      return null;
    };
    const prune = (value: unknown, keepPositions: boolean): unknown => {
      if (Array.isArray(value)) {
        const pruned = value.map((item) => prune(item, false));
        const result = keepPositions ? pruned.map((item) => (item === DROPPED ? null : item)) : pruned.filter((item) => item !== DROPPED);
        value.splice(0, value.length, ...result);
        return value;
      }
      if (value === null || typeof value !== 'object') return value;
      const object = value as Record<string, unknown>;
      const typename = outside(object);
      if (typename) {
        this.#dropped.set(typename, (this.#dropped.get(typename) ?? 0) + 1);
        return DROPPED;
      }
      delete object[REGION_KEY];
      delete object[AGENCY_KEY];
      for (const [key, child] of Object.entries(object)) {
        const pruned = prune(child, false);
        object[key] = pruned === DROPPED ? null : pruned;
      }
      return object;
    };
    prune(data, entities);
  }

  /** One log line per type dropped: the subgraph, the type, how many — none of the data. */
  report(): void {
    for (const [typename, count] of this.#dropped) {
      this.#log.warn('jurisdiction: dropped answers for entities outside the regions the subgraph serves', { subgraph: this.#name, typename, count });
    }
    this.#dropped.clear();
  }

  async #agencyRegions(ids: string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    try {
      return await this.#agencies.regionsOf(ids);
    } catch (error) {
      // an agency the hub cannot place is outside every region
      this.#log.error('jurisdiction: the agencies subgraph did not place the agencies; they count as outside', { subgraph: this.#name, count: ids.length, cause: (error as Error).message });
      return new Map();
    }
  }
}

const DROPPED = Symbol('dropped');

const typenameOf = (value: unknown): unknown => (value !== null && typeof value === 'object' ? (value as { __typename?: unknown }).__typename : undefined);

/** The agency ids the answer's Agency objects carry under the filter's alias. */
function collect(value: unknown, ids: string[]): void {
  if (Array.isArray(value)) for (const item of value) collect(item, ids);
  else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (AGENCY_KEY in object) ids.push(String(object[AGENCY_KEY]));
    for (const child of Object.values(object)) collect(child, ids);
  }
}

/** The operation as it is sent: with the keys the filter judges by (gateway/registry/jurisdiction.ts). */
function rewrite(scope: Scope, request: { query: string; document?: DocumentNode | undefined }): { query: string; document: DocumentNode | undefined } {
  if (!scope.schema) return { query: request.query, document: request.document };
  const known = scope.rewritten.get(request.query);
  if (known) return known;
  const document = withJurisdictionKeys(scope.schema, request.document ?? parse(request.query));
  const rewritten = { query: print(document), document };
  if (scope.rewritten.size >= MAX_REWRITTEN) scope.rewritten.clear();
  scope.rewritten.set(request.query, rewritten);
  return rewritten;
}

const keyField = (alias: string, name: string): FieldNode => ({
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: alias },
  name: { kind: Kind.NAME, value: name },
});

/** The operation with the key asked for, under the filter's alias, in every Region and Agency selection. */
export function withJurisdictionKeys(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(node: SelectionSetNode) {
          // on leave, the parent type is still the selection set's own (the visitor runs before typeInfo leaves)
          const type = typeInfo.getParentType();
          const own = isObjectType(type) ? type.name : null;
          if (own === 'Region') return { ...node, selections: [...node.selections, keyField(REGION_KEY, 'code')] };
          if (own === 'Agency') return { ...node, selections: [...node.selections, keyField(AGENCY_KEY, 'id')] };
          return undefined;
        },
      },
    }),
  );
}
