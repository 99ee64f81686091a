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
  /** Requests per second per identity (public callers: per client address); 0 turns limiting off. */
  ratePerSecond: number;
  rateBurst: number;
  introspection: boolean;
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
    ratePerSecond: number('GONGKAI_RATE_LIMIT', 30),
    rateBurst: number('GONGKAI_RATE_BURST', 60),
    introspection: process.env.GONGKAI_INTROSPECTION === '1',
    persistedDocuments: process.env.GONGKAI_PERSISTED_DOCUMENTS || null,
  };
}
