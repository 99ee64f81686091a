// What an admin sets per municipal subgraph besides its URL: how long the gateway waits for it,
// how many of its subrequests may be in flight, when its circuit breaker opens and for how long,
// and the headers the hub sends it (a static Authorization, so that the city knows the province
// is calling). Stored in registry.subgraph; unset settings take the defaults below.
//
// Header values are secrets: they are read here for the gateway's requests only. No query, no
// listing and no log shows them — only their names (redactedHeaders).
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidArgument } from '../../lib/graphql/errors.ts';
import { sql } from '../../lib/database/sql.ts';
import { municipalTimeoutMs } from './compose.ts';

export interface SubgraphLimits {
  /** How long a subrequest may take (ms) before its fields answer null. */
  timeoutMs: number;
  /** Subrequests in flight at once; more are refused at once (SUBGRAPH_BUSY). */
  maxConcurrency: number;
  /** Failures (no answer, timeout, 5xx) in a row that open the breaker. */
  breakerFailures: number;
  /** How long an open breaker refuses before letting one probe through (ms). */
  breakerCooldownMs: number;
}

/** What the registration may set; null or absent: the default (or, on re-registration, unchanged). */
export interface SubgraphSettingsInput {
  timeoutMs?: number | null;
  maxConcurrency?: number | null;
  breakerFailures?: number | null;
  breakerCooldownMs?: number | null;
  /** Replaces the headers sent to the subgraph; an empty list removes them. */
  outboundHeaders?: { name: string; value: string }[] | null;
}

export interface SubgraphSettings {
  limits: SubgraphLimits;
  headers: Record<string, string>;
}

export const DEFAULT_MAX_CONCURRENCY = 32;
export const DEFAULT_BREAKER_FAILURES = 5;
export const DEFAULT_BREAKER_COOLDOWN_MS = 30_000;
/** Failures further apart than this do not add up to open the breaker. */
export const BREAKER_WINDOW_MS = 60_000;

export const defaultLimits = (): SubgraphLimits => ({
  timeoutMs: municipalTimeoutMs(),
  maxConcurrency: DEFAULT_MAX_CONCURRENCY,
  breakerFailures: DEFAULT_BREAKER_FAILURES,
  breakerCooldownMs: DEFAULT_BREAKER_COOLDOWN_MS,
});

const RANGES: Record<keyof SubgraphLimits, [number, number, string]> = {
  timeoutMs: [50, 60_000, 'timeoutMs is 50 to 60000 milliseconds'],
  maxConcurrency: [1, 1000, 'maxConcurrency is 1 to 1000 subrequests in flight'],
  breakerFailures: [1, 100, 'breakerFailures is 1 to 100 failures in a row'],
  breakerCooldownMs: [100, 3_600_000, 'breakerCooldownMs is 100 to 3600000 milliseconds'],
};

const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
/** Headers the gateway sets itself, or that would let a registration pass as the hub's internal traffic. */
const RESERVED_HEADERS = /^(host|content-length|content-type|accept|connection|transfer-encoding|keep-alive|upgrade|te|trailer|proxy-.*|traceparent|tracestate|x-gongkai-.*|x-request-id)$/i;

/** Checks what an admin gave; refused with BAD_USER_INPUT naming the argument, the value of a header never repeated. */
export function checkSettings(input: SubgraphSettingsInput): void {
  for (const [key, [min, max, rule]] of Object.entries(RANGES) as [keyof SubgraphLimits, [number, number, string]][]) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    if (!Number.isInteger(value) || value < min || value > max) throw invalidArgument(key, `${rule}, not ${value}`);
  }
  const headers = input.outboundHeaders;
  if (!headers) return;
  if (headers.length > 8) throw invalidArgument('outboundHeaders', 'at most 8 outbound headers');
  const seen = new Set<string>();
  for (const { name, value } of headers) {
    if (!HEADER_NAME.test(name)) throw invalidArgument('outboundHeaders', `'${name.slice(0, 64)}' is not a header name (letters, digits and -)`);
    if (RESERVED_HEADERS.test(name)) throw invalidArgument('outboundHeaders', `${name} is set by the gateway itself; choose another header`);
    if (seen.has(name.toLowerCase())) throw invalidArgument('outboundHeaders', `${name} is given twice`);
    seen.add(name.toLowerCase());
    // the value is a secret: say what is wrong with it, never what it is
    if (value.length === 0 || value.length > 4096 || /[^\x20-\x7e\t]/.test(value)) {
      throw invalidArgument('outboundHeaders', `the value of ${name} must be 1 to 4096 printable ASCII characters (no line break)`);
    }
  }
}

/** Writes the settings given (after a registration); those not given stay as they are. */
export async function saveSettings(em: EntityManager, name: string, input: SubgraphSettingsInput): Promise<void> {
  checkSettings(input);
  const given = (value: number | null | undefined) => (value === undefined || value === null ? null : value);
  const headers = input.outboundHeaders ? Object.fromEntries(input.outboundHeaders.map(({ name: n, value }) => [n, value])) : null;
  await sql(
    em,
    `update registry.subgraph set
       timeout_ms = coalesce($2, timeout_ms), max_concurrency = coalesce($3, max_concurrency),
       breaker_failures = coalesce($4, breaker_failures), breaker_cooldown_ms = coalesce($5, breaker_cooldown_ms),
       outbound_headers = coalesce($6::jsonb, outbound_headers)
     where name = $1`,
    [name, given(input.timeoutMs), given(input.maxConcurrency), given(input.breakerFailures), given(input.breakerCooldownMs), headers === null ? null : JSON.stringify(headers)],
  );
}

/** Every registered subgraph's settings, header values included: for the gateway's own requests only. */
export async function loadSettings(em: EntityManager): Promise<Map<string, SubgraphSettings>> {
  const rows = await sql<any>(em, `select name, timeout_ms, max_concurrency, breaker_failures, breaker_cooldown_ms, outbound_headers from registry.subgraph`);
  const defaults = defaultLimits();
  return new Map(
    rows.map((row) => [
      row.name as string,
      {
        limits: {
          timeoutMs: row.timeout_ms ?? defaults.timeoutMs,
          maxConcurrency: row.max_concurrency ?? defaults.maxConcurrency,
          breakerFailures: row.breaker_failures ?? defaults.breakerFailures,
          breakerCooldownMs: row.breaker_cooldown_ms ?? defaults.breakerCooldownMs,
        },
        headers: (row.outbound_headers ?? {}) as Record<string, string>,
      },
    ]),
  );
}

/** The headers stored for a subgraph ({} for one not registered): for the SDL fetch of its re-registration. */
export async function storedHeaders(em: EntityManager, name: string): Promise<Record<string, string>> {
  const [row] = await sql<{ outbound_headers: Record<string, string> | null }>(em, `select outbound_headers from registry.subgraph where name = $1`, [name]);
  return row?.outbound_headers ?? {};
}

/** The headers an admin gave, as sent; undefined when none were given (the stored ones apply). */
export const headersGiven = (input: SubgraphSettingsInput): Record<string, string> | undefined =>
  input.outboundHeaders ? Object.fromEntries(input.outboundHeaders.map(({ name, value }) => [name, value])) : undefined;

/** What may be shown of the headers: their names, each value as `***`. */
export const redactedHeaders = (headers: Record<string, string>): string[] => Object.keys(headers).sort().map((name) => `${name}: ***`);
