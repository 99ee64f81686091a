// Bearer tokens for the benchmark's own users, signed HS256 with the GONGKAI_JWT_SECRET of the
// hub it runs (as the gateway verifies them: gateway/auth/tokens.ts).
import { SignJWT } from 'jose';
import { tokenConfigFromEnv } from '../gateway/auth/tokens.ts';
import type { Role } from '../lib/auth/identity.ts';

export async function benchToken(env: NodeJS.ProcessEnv, claims: { subject: string; region: string; roles: Role[] }): Promise<string> {
  const config = tokenConfigFromEnv(env);
  if (!config.secret) throw new Error(`bench: GONGKAI_JWT_SECRET is not set: the token of ${claims.subject} is signed with it`);
  return new SignJWT({ region: claims.region, roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.subject)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt()
    .setExpirationTime('4h')
    .sign(config.secret);
}
