// Tokens for tests: HS256 with the test hub's secret, or ES256 with its JWKS key.
import { generateKeyPair, exportJWK, SignJWT, createLocalJWKSet } from 'jose';
import type { Role } from '../../lib/auth/identity.ts';
import type { TokenConfig } from '../../gateway/auth/tokens.ts';

export const TEST_ISSUER = 'gongkai-test';
export const TEST_AUDIENCE = 'gongkai-hub-test';
export const TEST_SECRET = new TextEncoder().encode('a-test-only-hs256-secret-of-32-bytes-or-more!');

const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
export const TEST_ES256_KEY = privateKey;
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'test-es256', alg: 'ES256' }] };

export const testTokenConfig = (): TokenConfig => ({
  issuer: TEST_ISSUER,
  audience: TEST_AUDIENCE,
  secret: TEST_SECRET,
  jwks: createLocalJWKSet(jwks),
});

export interface TokenClaims {
  sub: string;
  region?: string | null;
  roles?: Role[] | string[];
}

/** A valid token unless `overrides` says otherwise (expired, other audience, other key…). */
export async function token(claims: TokenClaims, overrides: { alg?: 'HS256' | 'ES256'; expiresIn?: string | number; issuer?: string; audience?: string; secret?: Uint8Array } = {}) {
  const alg = overrides.alg ?? 'HS256';
  const jwt = new SignJWT({ ...(claims.region !== undefined ? { region: claims.region } : {}), roles: claims.roles ?? [] })
    .setProtectedHeader({ alg, ...(alg === 'ES256' ? { kid: 'test-es256' } : {}) })
    .setSubject(claims.sub)
    .setIssuer(overrides.issuer ?? TEST_ISSUER)
    .setAudience(overrides.audience ?? TEST_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(overrides.expiresIn ?? '10m');
  return jwt.sign(alg === 'ES256' ? TEST_ES256_KEY : (overrides.secret ?? TEST_SECRET));
}

/** For tests about something else than access: may do and see everything (national scope, region 000000). */
export const ADMIN = await token({ sub: 'test-admin', region: '000000', roles: ['admin'] }, { expiresIn: '2h' });
