// The rules of docs/security.md, in one place. A subgraph asks before it answers; a denial is a
// GraphQL error (UNAUTHENTICATED for the public, FORBIDDEN for a user without the right) and
// the field resolves to nothing else.
//
// Every role, admin included, acts only within the jurisdiction its token names (`region`):
// the subtree of that region, or the whole country for the explicit national claim (NATIONAL,
// `000000`). A token with roles but no region covers nothing.
import { clientError } from '../graphql/errors.ts';
import { subtreePrefix } from '../regions/codes.ts';
import { NATIONAL, type Identity, type Role } from './identity.ts';

/** What a role lets its holder do beyond what the public may. */
export type Permission = 'read-internal' | 'read-personal-data' | 'write';

const GRANTED_BY: Record<Permission, readonly Role[]> = {
  // flags and their details, superseded versions, per-agency hotline figures, masked ticket lists
  'read-internal': ['analyst', 'editor', 'pii', 'admin'],
  // callers' names, phones and ticket texts in clear (every read audited)
  'read-personal-data': ['pii', 'admin'],
  // ingest and correct reports, edit agencies, import tickets
  write: ['editor', 'admin'],
};

export const isAdmin = (identity: Identity): boolean => identity.roles.includes('admin');

/** The identity's token claims the whole country (region NATIONAL). */
export const isNational = (identity: Identity): boolean => identity.region === NATIONAL;

/** The code prefix of the identity's jurisdiction: '' for national scope, null for none. */
export function jurisdictionPrefix(identity: Identity): string | null {
  if (identity.region === null) return null;
  return identity.region === NATIONAL ? '' : subtreePrefix(identity.region);
}

/**
 * The identity's jurisdiction covers the region (its own region or one below it). NATIONAL as
 * the region stands for data of no region or of the whole country: only national scope covers it.
 */
export function covers(identity: Identity, regionCode: string): boolean {
  const prefix = jurisdictionPrefix(identity);
  return prefix !== null && regionCode.startsWith(prefix);
}

const holds = (identity: Identity, permission: Permission): boolean => identity.roles.some((role) => GRANTED_BY[permission].includes(role));

/**
 * The identity has the permission for data of the region; with `null`, for data of some region
 * (a first check, before the regions a request touches are known — each is then checked).
 */
export function may(identity: Identity, permission: Permission, regionCode: string | null): boolean {
  if (!holds(identity, permission)) return false;
  return regionCode === null ? identity.region !== null : covers(identity, regionCode);
}

/** Throws unless the identity may; `what` names the thing for the message ("the flags of 430100"). */
export function demand(identity: Identity, permission: Permission, regionCode: string | null, what: string): void {
  if (may(identity, permission, regionCode)) return;
  // Field errors, not HTTP statuses: the other fields of the same subrequest still answer.
  if (identity.subject === null) throw clientError('UNAUTHENTICATED', `${what} needs a signed-in user (Authorization: Bearer …)`);
  if (holds(identity, permission) && identity.region === null) {
    throw clientError('FORBIDDEN', `${identity.subject} may not see or change ${what}: the token names no region, so its roles apply nowhere (national scope is region ${NATIONAL})`);
  }
  throw clientError('FORBIDDEN', `${identity.subject} may not see or change ${what}`);
}

/**
 * For lists over a subtree: the code prefix the identity may see internal data of, or null
 * when it may see none. National scope's prefix is '' (everything).
 */
export function internalScope(identity: Identity, permission: Permission = 'read-internal'): string | null {
  return holds(identity, permission) ? jurisdictionPrefix(identity) : null;
}
