// Who may change the registry: admins only, and an admin whose token names a region acts only
// for subgraphs owned within it (a national admin's token names none). The rules of
// lib/auth/policy.ts decide who is an admin; the jurisdiction here is the admin's own region.
import type { Identity } from '../../lib/auth/identity.ts';
import { isAdmin } from '../../lib/auth/policy.ts';
import { clientError } from '../../lib/graphql/errors.ts';
import { subtreePrefix } from '../../lib/regions/codes.ts';

export function demandRegistryAdmin(identity: Identity, what: string): void {
  if (identity.subject === null) {
    throw clientError('UNAUTHENTICATED', `${what} needs a signed-in admin (Authorization: Bearer …)`, { http: { status: 401 } });
  }
  if (!isAdmin(identity)) throw clientError('FORBIDDEN', `${identity.subject} may not ${what}: admins only`, { http: { status: 403 } });
}

/** The admin's jurisdiction covers the owner region (null: a national subgraph, for national admins only). */
export function withinAdminJurisdiction(identity: Identity, ownerRegion: string | null): boolean {
  if (identity.region === null) return true;
  return ownerRegion !== null && ownerRegion.startsWith(subtreePrefix(identity.region));
}

export function demandJurisdiction(identity: Identity, ownerRegion: string | null, what: string): void {
  if (withinAdminJurisdiction(identity, ownerRegion)) return;
  throw clientError(
    'FORBIDDEN',
    `${identity.subject} (admin for ${identity.region}) may not ${what}: ${ownerRegion === null ? 'a national subgraph needs a national admin' : `${ownerRegion} is outside ${identity.region}`}`,
    { http: { status: 403 } },
  );
}
