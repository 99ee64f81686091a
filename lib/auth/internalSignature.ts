// The gateway tells a subgraph who is asking in a header only it can sign: an HMAC, under a key
// shared by the gateway and the subgraphs alone, of the subgraph it is meant for, the identity,
// a timestamp, a one-time nonce and a digest of the GraphQL request. A subgraph reached directly
// without it, with a wrong or stale one, or with one replayed (same nonce), moved to another
// request or to another subgraph, answers nothing. Nonces are remembered where every replica of
// a subgraph sees them (lib/auth/nonceStore.ts): a signature used on one replica is refused by
// the others.
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

/** Remembers the nonces of accepted signatures until they would be refused as stale anyway. */
export interface NonceStore {
  /** True when the nonce was not seen before (and is now remembered until `expiresAt`, ms). */
  claim(nonce: string, expiresAt: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Nonces in this process's memory: for a verifier that is the only one of its subgraph (tests, tools). */
export class MemoryNonceStore implements NonceStore {
  readonly #seen = new Map<string, number>();
  #lastSweep = 0;

  async claim(nonce: string, expiresAt: number, now = Date.now()): Promise<boolean> {
    if (now - this.#lastSweep >= 1000) {
      this.#lastSweep = now;
      for (const [seen, expires] of this.#seen) if (expires < now) this.#seen.delete(seen);
    }
    if (this.#seen.has(nonce)) return false;
    this.#seen.set(nonce, expiresAt);
    return true;
  }

  async close(): Promise<void> {
    this.#seen.clear();
  }
}

/** Whom a signature is for: the subgraph's name (agencies, reports, hotline). */
export interface SigningTarget {
  audience: string;
  now?: number;
}

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

// The audience (a subgraph name: no '.') comes first: the parts cannot run into each other.
const mac = (key: Buffer, audience: string, timestamp: string, nonce: string, identity: string, digest: string): Buffer =>
  createHmac('sha256', key).update(`${audience}.${timestamp}.${nonce}.${identity}.${digest}`).digest();

/**
 * The headers of a request to the subgraph `target.audience`. A bare timestamp in place of the
 * target (the form before signatures named their subgraph) signs for no subgraph: every
 * subgraph refuses it.
 */
export function signInternalRequest(key: Buffer, identity: Identity, payload: GraphQLPayload, target: SigningTarget | number = Date.now()): Record<string, string> {
  const { audience, now = Date.now() } = typeof target === 'number' ? { audience: '', now: target } : target;
  const encoded = Buffer.from(JSON.stringify(identity)).toString('base64url');
  const timestamp = String(now);
  const nonce = randomBytes(16).toString('base64url');
  const signature = mac(key, audience, timestamp, nonce, encoded, digestOf(payload)).toString('base64url');
  return { [IDENTITY_HEADER]: encoded, [SIGNATURE_HEADER]: `t=${timestamp},n=${nonce},a=${audience},s=${signature}` };
}

/**
 * Verifies the signed requests meant for one subgraph (`audience`, its name), and remembers their
 * nonces (`nonces`: shared by the subgraph's replicas in production) until they are stale.
 */
export class InternalRequestVerifier {
  readonly #key: Buffer;
  readonly #audience: string;
  readonly #nonces: NonceStore;

  constructor(key: Buffer, audience: string, nonces: NonceStore = new MemoryNonceStore()) {
    this.#key = key;
    this.#audience = audience;
    this.#nonces = nonces;
  }

  async verify(headers: Record<string, string | string[] | undefined>, payload: GraphQLPayload, now = Date.now()): Promise<Identity> {
    const encoded = headers[IDENTITY_HEADER];
    const signed = headers[SIGNATURE_HEADER];
    if (typeof encoded !== 'string' || typeof signed !== 'string') throw new InternalAuthError('this subgraph answers only requests signed by the gateway');
    const parts = Object.fromEntries(signed.split(',').map((part) => [part.slice(0, 1), part.slice(2)]));
    const { t: timestamp, n: nonce, a: audience, s: signature } = parts;
    if (!timestamp || !nonce || audience === undefined || !signature || !/^\d{1,15}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) {
      throw new InternalAuthError('malformed gateway signature');
    }
    if (audience !== this.#audience) throw new InternalAuthError('gateway signature made for another subgraph');
    if (Math.abs(now - Number(timestamp)) > MAX_SKEW_MS) throw new InternalAuthError('stale gateway signature');
    const expected = mac(this.#key, this.#audience, timestamp, nonce, encoded, digestOf(payload));
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InternalAuthError('wrong gateway signature');
    let identity: Identity | null = null;
    try {
      identity = parseIdentity(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    } catch {
      identity = null;
    }
    if (!identity) throw new InternalAuthError('malformed identity header');
    // last, so that nothing unsigned is ever written: a nonce older than the window is refused
    // as stale anyway, and need not be remembered longer
    if (!(await this.#nonces.claim(nonce, Number(timestamp) + 2 * MAX_SKEW_MS))) throw new InternalAuthError('replayed gateway signature');
    return identity;
  }
}
