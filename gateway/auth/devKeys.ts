// For a hub without an identity provider (a laptop, the tests): an ES256 key pair under
// $GONGKAI_DATA_DIR/jwt, made on first use. `gongkai token` signs with the private key; the
// gateway that `gongkai start` runs trusts the public one (jwks.json). A deployment points
// GONGKAI_JWT_JWKS at its identity provider instead (docs/security.md).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export interface DevSigningKey {
  privateKey: Awaited<ReturnType<typeof importJWK>>;
  kid: string;
  jwksPath: string;
}

export async function devSigningKey(dataDir: string): Promise<DevSigningKey> {
  const dir = join(dataDir, 'jwt');
  const privatePath = join(dir, 'private.jwk.json');
  const jwksPath = join(dir, 'jwks.json');
  if (!existsSync(privatePath)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = `dev-${Date.now().toString(36)}`;
    writeFileSync(privatePath, JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES256' }), { mode: 0o600 });
    writeFileSync(jwksPath, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] }, null, 2));
  }
  const jwk = JSON.parse(readFileSync(privatePath, 'utf8')) as JWK & { kid: string };
  return { privateKey: await importJWK(jwk, 'ES256'), kid: jwk.kid, jwksPath };
}
