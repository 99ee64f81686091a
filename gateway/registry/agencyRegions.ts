// Which region an agency belongs to, as the hub's agencies subgraph says — never as a municipal
// subgraph says: the jurisdiction filter (gateway/registry/jurisdiction.ts) must place an Agency,
// whose key is only its id, without the help of the subgraph it is filtering. One signed
// `_entities` request per subrequest for the ids not known yet, answers kept briefly.
import { PUBLIC } from '../../lib/auth/identity.ts';
import { signInternalRequest } from '../../lib/auth/internalSignature.ts';

export interface AgencyRegionSource {
  /** The agencies subgraph's GraphQL URL. */
  url: string;
  /** The gateway's internal key: the request is signed like every subrequest to the hub. */
  key: Buffer;
  /** How long an answer is reused (ms); an agency rarely changes region. */
  cacheMs?: number;
  timeoutMs?: number;
}

const QUERY = 'query AgencyRegions($representations: [_Any!]!) { _entities(representations: $representations) { ... on Agency { id region { code } } } }';
const MAX_CACHED = 20_000;
const AGENCY_ID = /^[1-9][0-9]{0,15}$/;

export class AgencyRegions {
  readonly #source: AgencyRegionSource;
  /** id → region code (null: no such agency), with when it was learnt */
  readonly #known = new Map<string, { code: string | null; at: number }>();

  constructor(source: AgencyRegionSource) {
    this.#source = source;
  }

  /**
   * The region code of each id (null: no agency with that id). Throws when the agencies subgraph
   * does not answer; the caller then treats the agencies as outside every region.
   */
  async regionsOf(ids: readonly string[]): Promise<Map<string, string | null>> {
    const now = Date.now();
    const ttl = this.#source.cacheMs ?? 60_000;
    const result = new Map<string, string | null>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      // the directory's ids are positive integers: anything else is no agency, and not asked about
      if (!AGENCY_ID.test(id)) {
        result.set(id, null);
        continue;
      }
      const known = this.#known.get(id);
      if (known && now - known.at < ttl) result.set(id, known.code);
      else missing.push(id);
    }
    if (missing.length === 0) return result;
    const fetched = await this.#fetch(missing);
    if (this.#known.size + missing.length > MAX_CACHED) this.#known.clear();
    for (const id of missing) {
      const code = fetched.get(id) ?? null;
      this.#known.set(id, { code, at: now });
      result.set(id, code);
    }
    return result;
  }

  async #fetch(ids: string[]): Promise<Map<string, string | null>> {
    const payload = { query: QUERY, variables: { representations: ids.map((id) => ({ __typename: 'Agency', id })) } };
    const response = await fetch(this.#source.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signInternalRequest(this.#source.key, PUBLIC, payload, { audience: 'agencies' }) },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(this.#source.timeoutMs ?? 5000),
    });
    if (!response.ok) throw new Error(`the agencies subgraph answered HTTP ${response.status} to the agency-region lookup`);
    const body = (await response.json()) as { data?: { _entities?: ({ id?: unknown; region?: { code?: unknown } | null } | null)[] } | null };
    const entities = body.data?._entities;
    if (!Array.isArray(entities) || entities.length !== ids.length) throw new Error('the agencies subgraph did not answer the agency-region lookup');
    const codes = new Map<string, string | null>();
    entities.forEach((entity, i) => {
      const code = entity?.region?.code;
      codes.set(ids[i]!, typeof code === 'string' ? code : null);
    });
    return codes;
  }
}
