// Who is asking: verified at the gateway from a bearer token, carried to the subgraphs in a
// signed header, and checked where the data is (docs/security.md).
import { isRegionCode } from '../regions/codes.ts';

export const ROLES = ['analyst', 'editor', 'pii', 'admin'] as const;

/**
 * The jurisdiction of the whole country: a token's `region` claim `000000` (GB/T 2260 has no
 * code for the country, and no region's code starts with 00). National scope is always this
 * explicit claim: a token without `region` has no jurisdiction at all, whatever its roles.
 */
export const NATIONAL = '000000';

/** What a token's `region` claim may be: a GB/T 2260 code, or NATIONAL. */
export const isJurisdiction = (code: string): boolean => code === NATIONAL || isRegionCode(code);
export type Role = (typeof ROLES)[number];

export interface Identity {
  /** The token's `sub`; null for the public (no token). */
  subject: string | null;
  /** GB/T 2260 code of the user's jurisdiction: they act within its subtree (NATIONAL: everywhere; null: nowhere). */
  region: string | null;
  roles: readonly Role[];
}

export const PUBLIC: Identity = Object.freeze({ subject: null, region: null, roles: Object.freeze([]) as readonly Role[] });

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** The shape an identity must have wherever it is read from (token claims, signed header). */
export function parseIdentity(value: unknown): Identity | null {
  if (typeof value !== 'object' || value === null) return null;
  const { subject, region, roles } = value as Record<string, unknown>;
  if (subject !== null && (typeof subject !== 'string' || subject.length === 0 || subject.length > 200)) return null;
  if (typeof subject === 'string' && /[\u0000-\u001f\u007f]/.test(subject)) return null;
  if (region !== null && (typeof region !== 'string' || !isJurisdiction(region))) return null;
  if (!Array.isArray(roles) || !roles.every(isRole)) return null;
  if (subject === null && (region !== null || roles.length > 0)) return null;
  return { subject, region, roles: [...new Set(roles)] };
}
