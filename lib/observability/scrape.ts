// Who may read /metrics, and how the gateway's /metrics holds its subgraphs' too.
//
// The gateway's /metrics answers a client on loopback only, unless GONGKAI_METRICS_TOKEN is set:
// then a scraper anywhere sends `Authorization: Bearer <that token>` (and loopback needs it too).
// Its metrics name operations, error codes and subgraphs, nothing of a caller, but they tell who
// watches how busy the hub is and what fails: not for the public (docs/operations.md).
//
// The subgraphs listen on loopback and answer nothing unsigned: their /metrics needs the gateway's
// signature like a GraphQL request (lib/auth/internalSignature.ts), over a fixed payload that no
// GraphQL request has. The gateway adds their expositions to its own, each sample labelled with
// its service, and `gongkai_scrape_up{target}` says whether each answered.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PUBLIC } from '../auth/identity.ts';
import { InternalAuthError, signInternalRequest, type InternalRequestVerifier } from '../auth/internalSignature.ts';
import { HttpError } from '../graphql/httpServer.ts';
import { mergeExpositions, type MetricsRegistry } from './metrics.ts';

/** What a signature for /metrics covers: no GraphQL request is a lone comment. */
const SCRAPE_PAYLOAD = { query: '# gongkai /metrics' } as const;
const SUBGRAPH_SCRAPE_TIMEOUT_MS = 2000;

/** GONGKAI_METRICS_TOKEN: unset, or at least 16 characters. */
export function metricsTokenFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const token = env.GONGKAI_METRICS_TOKEN?.trim() ?? '';
  if (token === '') return null;
  if (token.length < 16 || /\s/.test(token)) throw new Error('GONGKAI_METRICS_TOKEN must be at least 16 characters without spaces (the bearer token a Prometheus scraper sends to /metrics)');
  return token;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const digest = (text: string) => createHash('sha256').update(text).digest();

/** Throws the refusal of a /metrics request that neither carries the token nor, without one set, comes from loopback. */
export function admitScraper(request: IncomingMessage, token: string | null): void {
  if (token === null) {
    if (!LOOPBACK.test(request.socket.remoteAddress ?? '')) {
      throw new HttpError(403, 'FORBIDDEN', '/metrics answers on loopback only; set GONGKAI_METRICS_TOKEN to let a scraper elsewhere read it with that bearer token');
    }
    return;
  }
  const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
  // digests of equal length: the comparison takes the same time whatever was sent
  if (!timingSafeEqual(digest(given), digest(token))) {
    throw new HttpError(401, 'UNAUTHENTICATED', '/metrics needs Authorization: Bearer <GONGKAI_METRICS_TOKEN>', { 'www-authenticate': 'Bearer' });
  }
}

/** A subgraph's /metrics handler: its own exposition, for the gateway's signature only. */
export function subgraphMetrics(metrics: MetricsRegistry, verifier: InternalRequestVerifier): (request: IncomingMessage) => Promise<string> {
  return async (request) => {
    try {
      await verifier.verify(request.headers, SCRAPE_PAYLOAD);
    } catch (error) {
      if (error instanceof InternalAuthError) throw new HttpError(401, 'UNAUTHENTICATED', error.message);
      throw error;
    }
    return metrics.render();
  };
}

export interface ScrapeTarget {
  name: string;
  /** The subgraph's GraphQL URL: its /metrics is beside it. */
  url: string;
}

/** The gateway's /metrics handler: its own exposition and each subgraph's, merged. */
export function gatewayMetrics(metrics: MetricsRegistry, key: Buffer, targets: readonly ScrapeTarget[], token = metricsTokenFromEnv()): (request: IncomingMessage) => Promise<string> {
  const up = metrics.gauge('gongkai_scrape_up', 'Whether the gateway could read this service\'s metrics for this exposition (1) or not (0)', ['target']);
  return async (request) => {
    admitScraper(request, token);
    const theirs = await Promise.all(
      targets.map(async ({ name, url }) => {
        try {
          const response = await fetch(new URL('/metrics', url), {
            headers: signInternalRequest(key, PUBLIC, SCRAPE_PAYLOAD, { audience: name }),
            signal: AbortSignal.timeout(SUBGRAPH_SCRAPE_TIMEOUT_MS),
          });
          const text = await response.text();
          up.set({ target: name }, response.ok ? 1 : 0);
          return response.ok ? text : '';
        } catch {
          up.set({ target: name }, 0);
          return '';
        }
      }),
    );
    return mergeExpositions([await metrics.render(), ...theirs]);
  };
}
