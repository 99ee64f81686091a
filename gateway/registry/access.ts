// Who may change the registry: admins only, and an admin acts only for subgraphs owned within
// its jurisdiction; subgraphs of no owner region need national scope (region 000000). The rules
// of lib/auth/policy.ts decide who is an admin and what its jurisdiction covers.
import { NATIONAL, type Identity } from '../../lib/auth/identity.ts';
import { covers, isAdmin, isNational } from '../../lib/auth/policy.ts';
import { clientError } from '../../lib/graphql/errors.ts';

export function demandRegistryAdmin(identity: Identity, what: string): void {
  if (identity.subject === null) {
    throw clientError('UNAUTHENTICATED', `${what} needs a signed-in admin (Authorization: Bearer …)`, { http: { status: 401 } });
  }
  if (!isAdmin(identity)) throw clientError('FORBIDDEN', `${identity.subject} may not ${what}: admins only`, { http: { status: 403 } });
}

/** The admin's jurisdiction covers the owner region (null: a national subgraph, for national admins only). */
export function withinAdminJurisdiction(identity: Identity, ownerRegion: string | null): boolean {
  return ownerRegion === null ? isNational(identity) : covers(identity, ownerRegion);
}

export function demandJurisdiction(identity: Identity, ownerRegion: string | null, what: string): void {
  if (withinAdminJurisdiction(identity, ownerRegion)) return;
  throw clientError(
    'FORBIDDEN',
    `${identity.subject} (admin for ${identity.region ?? 'no region'}) may not ${what}: ${
      ownerRegion === null ? `a national subgraph needs a national admin (region ${NATIONAL})` : `${ownerRegion} is outside ${identity.region ?? 'a token without region'}`
    }`,
    { http: { status: 403 } },
  );
}
