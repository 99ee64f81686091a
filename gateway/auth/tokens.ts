// Bearer tokens, verified at the gateway: RS256/ES256 against a JWKS (a file or a URL) and, for
// small deployments, HS256 with a shared secret; issuer, audience and expiry always checked, and
// a token issued in the future (`iat` beyond the clock tolerance) refused like an expired one.
// The algorithm in a token's header only selects which configured key to try — a token naming
// `none`, or HS256 where no secret is configured, or RS256 with an HMAC secret, is refused.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { NATIONAL, ROLES, isJurisdiction, isRole, type Identity } from '../../lib/auth/identity.ts';

export interface TokenConfig {
  issuer: string;
  audience: string;
  /** HS256 secret (GONGKAI_JWT_SECRET), at least 32 bytes. */
  secret?: Uint8Array;
  /** RS256/ES256 keys (GONGKAI_JWT_JWKS: a file path or an https URL). */
  jwks?: JWTVerifyGetKey;
  /** Seconds of clock skew tolerated on exp/nbf/iat. */
  clockTolerance?: number;
}

export class TokenError extends Error {}

const ASYMMETRIC = ['RS256', 'ES256'];

export function jwksFrom(location: string): JWTVerifyGetKey {
  if (/^https?:\/\//.test(location)) return createRemoteJWKSet(new URL(location), { timeoutDuration: 5000 });
  return createLocalJWKSet(JSON.parse(readFileSync(location, 'utf8')));
}

export function tokenConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TokenConfig {
  const secret = env.GONGKAI_JWT_SECRET ? new TextEncoder().encode(env.GONGKAI_JWT_SECRET) : undefined;
  if (secret && secret.length < 32) throw new Error('GONGKAI_JWT_SECRET must be at least 32 bytes');
  return {
    issuer: env.GONGKAI_JWT_ISSUER || 'gongkai',
    audience: env.GONGKAI_JWT_AUDIENCE || 'gongkai-hub',
    ...(secret ? { secret } : {}),
    ...(env.GONGKAI_JWT_JWKS ? { jwks: jwksFrom(env.GONGKAI_JWT_JWKS) } : {}),
  };
}

function identityOf(claims: JWTPayload): Identity {
  const { sub, region, roles } = claims as JWTPayload & { region?: unknown; roles?: unknown };
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) throw new TokenError('the token has no subject (sub)');
  // the subject is written to the audit log: no control characters (NUL included)
  if (/[\u0000-\u001f\u007f]/.test(sub)) throw new TokenError('the token\'s subject (sub) contains control characters');
  if (region !== undefined && region !== null && (typeof region !== 'string' || !isJurisdiction(region))) {
    throw new TokenError(`the token's region is not a 6-digit GB/T 2260 code (or ${NATIONAL} for national scope)`);
  }
  if (roles !== undefined && (!Array.isArray(roles) || !roles.every(isRole))) {
    throw new TokenError(`the token's roles must be a list of ${ROLES.join(', ')}`);
  }
  // Roles act within a jurisdiction: a token that grants some and names none is an identity
  // provider's mistake, refused rather than read as national scope (or as nothing, silently).
  if (Array.isArray(roles) && roles.length > 0 && (region === undefined || region === null)) {
    throw new TokenError(`the token grants roles but names no region: roles apply within a region (a GB/T 2260 code, or ${NATIONAL} for national scope)`);
  }
  return { subject: sub, region: (region as string | undefined) ?? null, roles: [...new Set((roles as Identity['roles'] | undefined) ?? [])] };
}

/**
 * jose checks `iat` only against a maximum token age, which the hub does not set: a token dated
 * in the future would otherwise pass. It gets the same tolerance as `exp` and `nbf`.
 */
function issuedInThePast(claims: JWTPayload, toleranceSeconds: number, now = Date.now()): JWTPayload {
  if (claims.iat === undefined) return claims;
  if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) throw new TokenError('the token\'s iat is not a time');
  if (claims.iat > now / 1000 + toleranceSeconds) throw new TokenError('the token is issued in the future (iat): check the issuer\'s clock');
  return claims;
}

export async function verifyToken(token: string, config: TokenConfig): Promise<Identity> {
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new TokenError('the bearer token is not a JWT');
  }
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: config.clockTolerance ?? 30,
    requiredClaims: ['exp', 'sub'],
  };
  try {
    if (alg === 'HS256' && config.secret) {
      return identityOf(issuedInThePast((await jwtVerify(token, config.secret, { ...options, algorithms: ['HS256'] })).payload, options.clockTolerance));
    }
    if (alg !== undefined && ASYMMETRIC.includes(alg) && config.jwks) {
      return identityOf(issuedInThePast((await jwtVerify(token, config.jwks, { ...options, algorithms: ASYMMETRIC })).payload, options.clockTolerance));
    }
  } catch (error) {
    if (error instanceof TokenError) throw error;
    throw new TokenError(`the bearer token is not valid: ${(error as Error).message}`);
  }
  throw new TokenError(`tokens signed with ${alg ?? 'no algorithm'} are not accepted`);
}
