// The rules of docs/security.md, in one place. A subgraph asks before it answers; a denial is a
// GraphQL error (UNAUTHENTICATED for the public, FORBIDDEN for a user without the right) and
// the field resolves to nothing else.
import { clientError } from '../graphql/errors.ts';
import { subtreePrefix } from '../regions/codes.ts';
import type { Identity, Role } from './identity.ts';

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

/** The identity's jurisdiction covers the region (its own region or one below it). */
export function covers(identity: Identity, regionCode: string): boolean {
  if (isAdmin(identity)) return true;
  return identity.region !== null && regionCode.startsWith(subtreePrefix(identity.region));
}

export function may(identity: Identity, permission: Permission, regionCode: string | null): boolean {
  if (!identity.roles.some((role) => GRANTED_BY[permission].includes(role))) return false;
  return regionCode === null ? isAdmin(identity) || identity.region !== null : covers(identity, regionCode);
}

/** Throws unless the identity may; `what` names the thing for the message ("the flags of 430100"). */
export function demand(identity: Identity, permission: Permission, regionCode: string | null, what: string): void {
  if (may(identity, permission, regionCode)) return;
  // Field errors, not HTTP statuses: the other fields of the same subrequest still answer.
  if (identity.subject === null) throw clientError('UNAUTHENTICATED', `${what} needs a signed-in user (Authorization: Bearer …)`);
  throw clientError('FORBIDDEN', `${identity.subject} may not see or change ${what}`);
}

/**
 * For lists over a subtree: the code prefix the identity may see internal data of, or null
 * when it may see none. An admin's prefix is '' (everything).
 */
export function internalScope(identity: Identity, permission: Permission = 'read-internal'): string | null {
  if (!identity.roles.some((role) => GRANTED_BY[permission].includes(role))) return null;
  if (isAdmin(identity)) return '';
  return identity.region === null ? null : subtreePrefix(identity.region);
}
