// How the province proves itself to a city over TLS (mutual TLS): one client certificate for all
// municipal subgraphs, and the certificate authorities their own certificates may come from (a
// government CA that is not among Node's roots). Read from files named by the environment:
//
//   GONGKAI_SUBGRAPH_CLIENT_CERT, GONGKAI_SUBGRAPH_CLIENT_KEY   PEM files, both or neither
//   GONGKAI_SUBGRAPH_CA                                         PEM file of CAs trusted besides Node's roots
//
// Used only for https:// subgraphs (gateway/registry/outbound.ts); the hub's own subgraphs are
// not affected. The gateway reads them when it starts its health checks: a file it cannot read
// stops it there, rather than failing every request later.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

export interface ClientTls {
  /** What https.Agent is given; empty without any setting. */
  options: { cert?: Buffer; key?: Buffer; ca?: (string | Buffer)[] };
  /** For the log: which settings are in force (file names, never contents). */
  description: string;
  /** Distinguishes one configuration from another (keep-alive agents are kept per configuration). */
  signature: string;
}

const read = (variable: string, path: string): Buffer => {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`${variable} names ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a readable PEM file or unset it`);
  }
};

let cached: ClientTls | null = null;

export function clientTlsFromEnv(env: NodeJS.ProcessEnv = process.env): ClientTls {
  const cert = env.GONGKAI_SUBGRAPH_CLIENT_CERT?.trim() || '';
  const key = env.GONGKAI_SUBGRAPH_CLIENT_KEY?.trim() || '';
  const ca = env.GONGKAI_SUBGRAPH_CA?.trim() || '';
  const signature = JSON.stringify([cert, key, ca]);
  if (cached?.signature === signature) return cached;
  if (Boolean(cert) !== Boolean(key)) throw new Error('GONGKAI_SUBGRAPH_CLIENT_CERT and GONGKAI_SUBGRAPH_CLIENT_KEY go together: set both (the client certificate and its key, PEM files) or neither');
  const options: ClientTls['options'] = {};
  const parts: string[] = [];
  if (cert) {
    options.cert = read('GONGKAI_SUBGRAPH_CLIENT_CERT', cert);
    options.key = read('GONGKAI_SUBGRAPH_CLIENT_KEY', key);
    parts.push(`client certificate ${cert}`);
  }
  if (ca) {
    // besides Node's roots, not instead of them: a city with a public certificate still works
    options.ca = [...rootCertificates, read('GONGKAI_SUBGRAPH_CA', ca)];
    parts.push(`CAs of ${ca} besides the system's`);
  }
  cached = { options, description: parts.length ? parts.join(', ') : 'no client certificate', signature };
  return cached;
}
