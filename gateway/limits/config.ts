// The gateway's limits on what one request may ask, each configurable (docs/security.md).
function number(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got '${raw}'`);
  return value;
}

export interface GatewayLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** Selections of a document with every fragment spread expanded (DOCUMENT_TOO_COMPLEX). */
  maxSelections: number;
  /** Fragment definitions in one document (DOCUMENT_TOO_COMPLEX). */
  maxFragments: number;
  /** Largest value of a size argument (`first`, `last`, `limit`…) anywhere (BAD_USER_INPUT). */
  maxPageSize: number;
  /** Largest body of a request without a bearer token (HTTP 413); with one, GONGKAI_MAX_BODY_BYTES. */
  maxPublicBodyBytes: number;
  /** How long /health reuses its last answer, in milliseconds. */
  healthCacheMs: number;
  /** Requests per second per identity (public callers: per client address); 0 turns limiting off. */
  ratePerSecond: number;
  rateBurst: number;
  introspection: boolean;
  /** How often the gateway reads the subgraphs' list sizes for the cost limit, in milliseconds; 0 never (fixed guesses). */
  listSizesRefreshMs: number;
  /** Only the operations of this manifest are served (Apollo persisted-query manifest). */
  persistedDocuments: string | null;
}

export function gatewayLimitsFromEnv(): GatewayLimits {
  return {
    maxDepth: number('GONGKAI_MAX_DEPTH', 12),
    maxAliases: number('GONGKAI_MAX_ALIASES', 30),
    maxDirectives: number('GONGKAI_MAX_DIRECTIVES', 20),
    maxTokens: number('GONGKAI_MAX_TOKENS', 5000),
    maxCost: number('GONGKAI_MAX_COST', 100_000),
    maxSelections: number('GONGKAI_MAX_SELECTIONS', 10_000),
    maxFragments: number('GONGKAI_MAX_FRAGMENTS', 100),
    maxPageSize: number('GONGKAI_MAX_PAGE_SIZE', 1000),
    maxPublicBodyBytes: number('GONGKAI_MAX_PUBLIC_BODY_BYTES', 256 * 1024),
    healthCacheMs: number('GONGKAI_HEALTH_CACHE_MS', 1000),
    ratePerSecond: number('GONGKAI_RATE_LIMIT', 30),
    rateBurst: number('GONGKAI_RATE_BURST', 60),
    listSizesRefreshMs: number('GONGKAI_LIST_SIZES_REFRESH_MS', 5 * 60_000),
    introspection: process.env.GONGKAI_INTROSPECTION === '1',
    persistedDocuments: process.env.GONGKAI_PERSISTED_DOCUMENTS || null,
  };
}
