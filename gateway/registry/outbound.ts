// Every request the hub sends a municipal subgraph — the SDL fetch at registration, health
// checks, query traffic — goes through here, to the address pinned when it was registered
// (gateway/registry/addresses.ts): the socket connects to that address, the Host header and
// TLS server name stay the URL's host (certificates are checked against the name), and no DNS
// lookup happens. The pinned address is checked against the policy again before every request.
// Bounded in time and size; redirects are not followed (a 3xx is an answer like any other, and
// callers treat it as a failure).
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { canonicalHost, judgeAddress, type Refusal, type SubgraphAddressPolicy } from './addresses.ts';
import { clientTlsFromEnv } from './clientTls.ts';

export interface PinnedTarget {
  url: string;
  /** The address the URL's host resolved to when it was registered. */
  address: string;
}

export interface OutboundRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Larger answers are cut off and fail. */
  maxBytes: number;
}

export interface OutboundResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/** Why a request failed; the detail is for the gateway's log, never for clients or admins. */
export class OutboundError extends Error {
  readonly kind: 'not-allowed' | 'unreachable' | 'too-large';
  readonly refusal: Refusal | null;
  constructor(kind: OutboundError['kind'], detail: string, refusal: Refusal | null = null) {
    super(detail);
    this.kind = kind;
    this.refusal = refusal;
  }
}

/** Keep-alive agents, one per pinned address and host name (and TLS configuration). */
const agents = new Map<string, http.Agent>();

function agentFor(secure: boolean, target: string): http.Agent {
  // https: the province's client certificate and the CAs trusted for cities (gateway/registry/clientTls.ts)
  const tls = secure ? clientTlsFromEnv() : null;
  const key = tls ? `${target} ${tls.signature}` : target;
  let agent = agents.get(key);
  if (!agent) {
    agent = tls ? new https.Agent({ keepAlive: true, timeout: 30_000, ...tls.options }) : new http.Agent({ keepAlive: true, timeout: 30_000 });
    agents.set(key, agent);
  }
  return agent;
}

/** Sends `request` to `url` (or `path` on its host) at the pinned `address`. */
export function requestPinned(policy: SubgraphAddressPolicy, url: URL, address: string, request: OutboundRequest): Promise<OutboundResponse> {
  const host = canonicalHost(url.hostname);
  const refusal = judgeAddress(policy, host, address);
  if (refusal) return Promise.reject(new OutboundError('not-allowed', `${address} is refused (${refusal})`, refusal));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new OutboundError('unreachable', `protocol ${url.protocol}`));
  const secure = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  const target = address.replace(/^\[|\]$/g, '');
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  return new Promise<OutboundResponse>((resolve, reject) => {
    let settled = false;
    const fail = (error: OutboundError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      reject(error);
    };
    const outgoing = (secure ? https : http).request(
      {
        // the pinned address, never a lookup of the name
        host: target,
        family: isIP(target),
        port,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: {
          ...request.headers,
          host: url.host,
          ...(body ? { 'content-length': String(body.length) } : {}),
        },
        agent: agentFor(secure, `${url.protocol}//${target}:${port}/${host}`),
        ...(secure && !isIP(host) ? { servername: host } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > request.maxBytes) fail(new OutboundError('too-large', `answer larger than ${request.maxBytes} bytes`));
          else chunks.push(chunk);
        });
        response.on('error', (error) => fail(new OutboundError('unreachable', error.message)));
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const headers: [string, string][] = [];
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers.push([name, Array.isArray(value) ? value.join(', ') : value]);
          }
          resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
      },
    );
    const timer = setTimeout(() => fail(new OutboundError('unreachable', `no answer within ${request.timeoutMs} ms`)), request.timeoutMs);
    outgoing.on('error', (error: Error & { code?: string }) => fail(new OutboundError('unreachable', error.code ? `${error.code}: ${error.message}` : error.message)));
    outgoing.end(body);
  });
}

/** Drops the keep-alive connections (tests, shutdown). */
export function closeOutboundAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}
