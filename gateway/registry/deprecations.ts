// The documented way to remove a field of a municipal subgraph: an admin records a deprecation
// in the registry (when it started, how many days clients are given), and a later registration
// that removes the field passes the breaking-change check once those days are over. A field
// marked @deprecated in the SDL alone starts nothing: the period is a promise made to clients,
// with a date and a length the registry can show; an SDL directive carries neither (and the
// same SDL comes back unchanged with a rollback). The record is consumed by the registration
// that removes the field, and deleted with its subgraph (registry.field_deprecation).
import type { EntityManager } from '@mikro-orm/postgresql';
import { Kind, parse, type DocumentNode } from 'graphql';
import type { Identity } from '../../lib/auth/identity.ts';
import { sql } from '../../lib/database/sql.ts';
import { clientError, invalidArgument } from '../../lib/graphql/errors.ts';
import { demandJurisdiction, demandRegistryAdmin } from './access.ts';
import { exclusively, listSubgraphs } from './store.ts';

export interface FieldDeprecation {
  subgraph: string;
  /** Type.field, or Type for a whole type of the subgraph's own. */
  coordinate: string;
  deprecatedAt: Date;
  days: number;
  reason: string | null;
  deprecatedBy: string;
}

/** The longest period one may promise: ten years. */
export const MAX_DEPRECATION_DAYS = 3650;
const COORDINATE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
const DAY_MS = 86_400_000;

export const removableAfter = (deprecation: FieldDeprecation): Date => new Date(deprecation.deprecatedAt.getTime() + deprecation.days * DAY_MS);
export const periodIsOver = (deprecation: FieldDeprecation, now: Date): boolean => removableAfter(deprecation).getTime() <= now.getTime();

const day = (date: Date): string => date.toISOString().slice(0, 10);

const deprecationOf = (row: any): FieldDeprecation => ({
  subgraph: row.subgraph,
  coordinate: row.coordinate,
  deprecatedAt: new Date(row.deprecated_at),
  days: row.days,
  reason: row.reason,
  deprecatedBy: row.deprecated_by,
});

export async function listDeprecations(em: EntityManager, subgraph?: string | null): Promise<FieldDeprecation[]> {
  const rows = subgraph
    ? await sql<any>(em, `select * from registry.field_deprecation where subgraph = $1 order by coordinate`, [subgraph])
    : await sql<any>(em, `select * from registry.field_deprecation order by subgraph, coordinate`);
  return rows.map(deprecationOf);
}

/** Once a registration removed them, their records are spent: a field added again and removed again needs a new period. */
export async function forgetDeprecations(tx: EntityManager, subgraph: string, coordinates: readonly string[]): Promise<void> {
  if (coordinates.length) await sql(tx, `delete from registry.field_deprecation where subgraph = $1 and coordinate = any($2::text[])`, [subgraph, [...coordinates]]);
}

/** What the subgraph's own SDL defines: its types, and the fields it adds to its own types, to Region/Agency and to Query/Mutation. */
export function ownCoordinates(sdl: string): Set<string> {
  let document: DocumentNode;
  try {
    document = parse(sdl);
  } catch {
    return new Set();
  }
  const coordinates = new Set<string>();
  for (const d of document.definitions) {
    if (!('name' in d) || !d.name || d.kind === Kind.DIRECTIVE_DEFINITION) continue;
    const typeName = d.name.value;
    coordinates.add(typeName);
    const fields = 'fields' in d ? (d.fields as readonly { name: { value: string }; directives?: readonly { name: { value: string } }[] }[] | undefined) : undefined;
    for (const field of fields ?? []) {
      // a key field declared for the extension is the hub's, not the subgraph's
      if (field.directives?.some((x) => x.name.value === 'external')) continue;
      coordinates.add(`${typeName}.${field.name.value}`);
    }
    if (d.kind === Kind.ENUM_TYPE_DEFINITION || d.kind === Kind.ENUM_TYPE_EXTENSION) for (const value of d.values ?? []) coordinates.add(`${typeName}.${value.name.value}`);
  }
  return coordinates;
}

export interface DeprecateInput {
  name: string;
  coordinate: string;
  days: number;
  reason?: string | null;
}

export interface DeprecationCallOptions {
  /** The clock: tests move it; production reads the system's. */
  now?: () => Date;
}

/**
 * Records (or re-records) a deprecation of one of the subgraph's fields or types. Re-recording
 * keeps the first start date and changes the days and reason: the period clients were promised
 * runs from when they were first told.
 */
export async function deprecateSubgraphField(em: EntityManager, identity: Identity, input: DeprecateInput, options: DeprecationCallOptions = {}): Promise<FieldDeprecation> {
  demandRegistryAdmin(identity, 'deprecate a field');
  if (!COORDINATE.test(input.coordinate)) throw invalidArgument('coordinate', `'${input.coordinate}' is not a schema coordinate: Type.field (Region.cityHotline) or Type`);
  if (!Number.isInteger(input.days) || input.days < 0 || input.days > MAX_DEPRECATION_DAYS) {
    throw invalidArgument('days', `days is a whole number from 0 to ${MAX_DEPRECATION_DAYS}, not ${input.days}`);
  }
  const now = options.now?.() ?? new Date();
  return exclusively(em, async (tx) => {
    const subgraph = (await listSubgraphs(tx)).find((s) => s.name === input.name);
    if (!subgraph) throw clientError('UNKNOWN_SUBGRAPH', `no municipal subgraph named '${input.name}' is registered`, { argument: 'name' });
    demandJurisdiction(identity, subgraph.ownerRegion, `deprecate a field of ${input.name}, owned by ${subgraph.ownerRegion ?? 'the nation'}`);
    if (!ownCoordinates(subgraph.sdl).has(input.coordinate)) {
      throw clientError('UNKNOWN_FIELD', `${input.name} has no field or type ${input.coordinate} of its own in its registered schema; name one it defines (Region.cityHotline)`, {
        argument: 'coordinate',
      });
    }
    const [row] = await sql<any>(
      tx,
      `insert into registry.field_deprecation (subgraph, coordinate, deprecated_at, days, reason, deprecated_by) values ($1, $2, $3, $4, $5, $6)
       on conflict (subgraph, coordinate) do update set days = excluded.days, reason = excluded.reason, deprecated_by = excluded.deprecated_by
       returning *`,
      [input.name, input.coordinate, now, input.days, input.reason ?? null, identity.subject],
    );
    return deprecationOf(row);
  });
}

/**
 * How a registration judges the removal of a coordinate: allowed with a note when its recorded
 * period is over; otherwise refused with what to do.
 */
export function removalJudge(subgraph: string, deprecations: readonly FieldDeprecation[], now: Date) {
  const byCoordinate = new Map(deprecations.map((d) => [d.coordinate, d]));
  return (coordinate: string): { allowed: true; note: string } | { allowed: false; hint: string } => {
    const deprecation = byCoordinate.get(coordinate);
    if (!deprecation) {
      return { allowed: false, hint: `not deprecated: record a deprecation first (gongkai subgraph deprecate ${subgraph} ${coordinate} --days 30), then remove it when the period is over` };
    }
    const after = removableAfter(deprecation);
    if (!periodIsOver(deprecation, now)) {
      return { allowed: false, hint: `deprecated on ${day(deprecation.deprecatedAt)} for ${deprecation.days} days: removable from ${after.toISOString()}` };
    }
    return { allowed: true, note: `${coordinate} was removed after its deprecation period (deprecated on ${day(deprecation.deprecatedAt)} for ${deprecation.days} days, over on ${day(after)})` };
  };
}

export type RemovalJudge = ReturnType<typeof removalJudge>;

/** A deprecation as the admin API and `gongkai subgraph` show it: dates in ISO 8601, whether the period is over now. */
export const deprecationView = (d: FieldDeprecation, now: Date = new Date()) => ({
  subgraph: d.subgraph,
  coordinate: d.coordinate,
  deprecatedAt: d.deprecatedAt.toISOString(),
  days: d.days,
  removableAfter: removableAfter(d).toISOString(),
  removable: periodIsOver(d, now),
  reason: d.reason,
  deprecatedBy: d.deprecatedBy,
});

export type DeprecationView = ReturnType<typeof deprecationView>;
