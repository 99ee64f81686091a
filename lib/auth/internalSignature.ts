// The gateway tells a subgraph who is asking in a header only it can sign: an HMAC, under a key
// shared by the gateway and the subgraphs alone, of the identity, a timestamp, a one-time nonce
// and a digest of the GraphQL request. A subgraph reached directly without it, with a wrong or
// stale one, or with one replayed (same nonce) or moved to another request, answers nothing.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseIdentity, type Identity } from './identity.ts';

export const IDENTITY_HEADER = 'x-gongkai-identity';
export const SIGNATURE_HEADER = 'x-gongkai-signature';
const MAX_SKEW_MS = 30_000;

export interface GraphQLPayload {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export class InternalAuthError extends Error {}

/** The shared key from GONGKAI_INTERNAL_KEY: at least 32 bytes, base64 or hex. */
export function internalKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer {
  const raw = env.GONGKAI_INTERNAL_KEY?.trim();
  if (!raw) {
    throw new Error('GONGKAI_INTERNAL_KEY is not set: the gateway and the subgraphs need the same secret key (32+ bytes, base64 or hex); `gongkai start` makes one for its own processes');
  }
  const key = /^[0-9a-f]+$/i.test(raw) && raw.length % 2 === 0 ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length < 32) throw new Error('GONGKAI_INTERNAL_KEY must hold at least 32 bytes');
  return key;
}

export const newInternalKey = (): string => randomBytes(32).toString('base64');

/** JSON with sorted keys: the gateway and the subgraph must digest the same variables alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const digestOf = (payload: GraphQLPayload): string =>
  createHash('sha256')
    .update(`${payload.operationName ?? ''}\n${payload.query ?? ''}\n${canonicalJson(payload.variables ?? {})}`)
    .digest('hex');

const mac = (key: Buffer, timestamp: string, nonce: string, identity: string, digest: string): Buffer =>
  createHmac('sha256', key).update(`${timestamp}.${nonce}.${identity}.${digest}`).digest();

export function signInternalRequest(key: Buffer, identity: Identity, payload: GraphQLPayload, now = Date.now()): Record<string, string> {
  const encoded = Buffer.from(JSON.stringify(identity)).toString('base64url');
  const timestamp = String(now);
  const nonce = randomBytes(16).toString('base64url');
  const signature = mac(key, timestamp, nonce, encoded, digestOf(payload)).toString('base64url');
  return { [IDENTITY_HEADER]: encoded, [SIGNATURE_HEADER]: `t=${timestamp},n=${nonce},s=${signature}` };
}

/** Verifies signed requests and remembers nonces long enough that none can be used twice. */
export class InternalRequestVerifier {
  readonly #key: Buffer;
  readonly #seen = new Map<string, number>();
  #lastSweep = 0;

  constructor(key: Buffer) {
    this.#key = key;
  }

  verify(headers: Record<string, string | string[] | undefined>, payload: GraphQLPayload, now = Date.now()): Identity {
    const encoded = headers[IDENTITY_HEADER];
    const signed = headers[SIGNATURE_HEADER];
    if (typeof encoded !== 'string' || typeof signed !== 'string') throw new InternalAuthError('this subgraph answers only requests signed by the gateway');
    const parts = Object.fromEntries(signed.split(',').map((part) => [part.slice(0, 1), part.slice(2)]));
    const { t: timestamp, n: nonce, s: signature } = parts;
    if (!timestamp || !nonce || !signature || !/^\d+$/.test(timestamp)) throw new InternalAuthError('malformed gateway signature');
    if (Math.abs(now - Number(timestamp)) > MAX_SKEW_MS) throw new InternalAuthError('stale gateway signature');
    const expected = mac(this.#key, timestamp, nonce, encoded, digestOf(payload));
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InternalAuthError('wrong gateway signature');
    this.#forgetOld(now);
    if (this.#seen.has(nonce)) throw new InternalAuthError('replayed gateway signature');
    this.#seen.set(nonce, Number(timestamp) + 2 * MAX_SKEW_MS);
    let identity: Identity | null = null;
    try {
      identity = parseIdentity(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    } catch {
      identity = null;
    }
    if (!identity) throw new InternalAuthError('malformed identity header');
    return identity;
  }

  /** A nonce older than the skew window is refused as stale anyway: it need not be remembered. */
  #forgetOld(now: number): void {
    if (now - this.#lastSweep < 1000) return;
    this.#lastSweep = now;
    for (const [nonce, expires] of this.#seen) if (expires < now) this.#seen.delete(nonce);
  }
}
