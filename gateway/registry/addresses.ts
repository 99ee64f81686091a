// Which addresses the hub may call as municipal subgraphs (docs/security.md, "Municipal
// subgraphs"). Registering a subgraph makes the gateway send requests to a URL an admin typed;
// without limits that is a server-side request forgery: the cloud's metadata service, the
// gateway's own loopback ports, anything in the hub's network. So:
//
// - an allow-list, GONGKAI_SUBGRAPH_ALLOW: CIDR ranges and single addresses (10.0.0.0/8,
//   2001:db8::/32, 10.2.3.4), host names (city.example.gov.cn) and their subdomains
//   (*.example.gov.cn), and the word `loopback`. Nothing else may be registered; unset, nothing
//   at all — except in development (NODE_ENV is not `production`), where it defaults to
//   `loopback`, as under `gongkai start` and the tests. `loopback` is refused in production.
// - never, whatever the list says: link-local (169.254.0.0/16, fe80::/10) and cloud-metadata
//   addresses (169.254.169.254, 100.100.100.200, fd00:ec2::254, fd20:ce::254,
//   metadata.google.internal…), unspecified, multicast and reserved addresses — including when
//   they are written as IPv4-mapped or -embedded IPv6, in decimal, octal or hex (the URL parser
//   normalises those), or reached through a DNS name that resolves to them.
// - the name is resolved once, when the subgraph is registered; every address it resolves to
//   must be allowed, and the first is pinned: the SDL fetch, health checks and query traffic all
//   connect to that address (gateway/registry/outbound.ts), never to a fresh resolution, and
//   every connection checks the pinned address against the policy again.
import dns from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { clientError } from '../../lib/graphql/errors.ts';

/** Resolves a host name to its addresses (dns.lookup by default; tests give their own). */
export type Resolver = (hostname: string) => Promise<string[]>;

export interface SubgraphAddressPolicy {
  /** The CIDR ranges and addresses of the list. */
  readonly ranges: BlockList;
  /** Host names allowed as they are. */
  readonly hosts: readonly string[];
  /** `*.example.gov.cn` → `example.gov.cn`: any name below it (not the name itself). */
  readonly domains: readonly string[];
  /** Loopback addresses and `localhost` (development only). */
  readonly loopback: boolean;
  /** Whether any range is configured (a name nobody listed may still resolve into one). */
  readonly hasRanges: boolean;
  /** For the gateway's log. */
  readonly description: string;
  readonly resolve: Resolver;
}

/** Why an address is refused; said to the admin in words, never with the address a name resolved to. */
export type Refusal = 'metadata' | 'link-local' | 'not-unicast' | 'loopback' | 'not-listed';

/** The system's resolver (getaddrinfo: /etc/hosts, then DNS), looked up when called. */
export const defaultResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dns.lookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses.map((a) => a.address)))),
  );

/** Names of cloud metadata services, refused before any lookup. */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
  'metadata.azure.com',
  'metadata.platformequinix.com',
  'metadata.packet.net',
]);

const blockList = (entries: [string, number, 'ipv4' | 'ipv6'][]) => {
  const list = new BlockList();
  for (const [network, prefix, family] of entries) list.addSubnet(network, prefix, family);
  return list;
};

/** Metadata services at fixed addresses (AWS, GCP, Azure, Alibaba, Tencent, Huawei… in 169.254/16; Alibaba Cloud at 100.100.100.200). */
const METADATA = blockList([
  ['169.254.169.254', 32, 'ipv4'],
  ['169.254.170.2', 32, 'ipv4'],
  ['169.254.0.23', 32, 'ipv4'],
  ['100.100.100.200', 32, 'ipv4'],
  ['fd00:ec2::254', 128, 'ipv6'],
  ['fd20:ce::254', 128, 'ipv6'],
]);
const LINK_LOCAL = blockList([
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
]);
/** Not the address of a server one can register: unspecified, multicast, reserved, broadcast; Teredo (an IPv4 address hidden in IPv6). */
const NOT_UNICAST = blockList([
  ['0.0.0.0', 8, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
  ['2001::', 32, 'ipv6'],
]);
const LOOPBACK = blockList([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);

/** The 8 groups of an IPv6 address (without brackets or zone), or null. */
function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase();
  const groups: number[] = [];
  // a dotted IPv4 tail (::ffff:1.2.3.4) → two groups
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  groups.push(...left, ...new Array(8 - left.length - right.length).fill(0), ...right);
  return groups.length === 8 ? groups : null;
}

const v4 = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

/**
 * An address as it is reached: IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d)
 * addresses are that IPv4 address; IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96,
 * 64:ff9b:1::/48) and 6to4 (2002::/16) ones carry one, which is judged as well.
 */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6'; embedded: string | null } | null {
  const bare = address.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) return { address: bare, family: 'ipv4', embedded: null };
  if (bare.includes('%')) return null; // a scoped (zone) address: only link-local ones have zones
  const g = ipv6Groups(bare);
  if (!g) return null;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const zeros = (...xs: number[]) => xs.every((x) => x === 0);
  if (zeros(g0, g1, g2, g3, g4) && g5 === 0xffff) return { address: v4(g6, g7), family: 'ipv4', embedded: null };
  if (zeros(g0, g1, g2, g3, g4, g5) && g6 !== 0) return { address: v4(g6, g7), family: 'ipv4', embedded: null };
  if (g0 === 0x64 && g1 === 0xff9b && zeros(g2, g3, g4, g5)) return { address: bare, family: 'ipv6', embedded: v4(g6, g7) };
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return { address: bare, family: 'ipv6', embedded: v4(g6, g7) };
  if (zeros(g0, g1, g2, g3) && g4 === 0xffff && g5 === 0) return { address: bare, family: 'ipv6', embedded: v4(g6, g7) };
  if (g0 === 0x2002) return { address: bare, family: 'ipv6', embedded: v4(g1, g2) };
  return { address: bare, family: 'ipv6', embedded: null };
}

/** What no list can allow; loopback is judged apart. */
function alwaysRefused(address: string, family: 'ipv4' | 'ipv6'): Refusal | null {
  if (METADATA.check(address, family)) return 'metadata';
  if (LINK_LOCAL.check(address, family)) return 'link-local';
  if (NOT_UNICAST.check(address, family)) return 'not-unicast';
  return null;
}

/** A host name as compared: lower case, ASCII (punycode), without the trailing dot(s). */
export function canonicalHost(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  if (isIP(bare)) return bare.toLowerCase();
  return (domainToASCII(bare) || bare).toLowerCase();
}

const isLocalhostName = (host: string) => host === 'localhost' || host.endsWith('.localhost');
const listedByName = (policy: SubgraphAddressPolicy, host: string) =>
  !isIP(host) && (policy.hosts.includes(host) || policy.domains.some((domain) => host.endsWith(`.${domain}`)));

/** The name alone, before any lookup: refused, or null when its addresses decide. */
export function judgeHost(policy: SubgraphAddressPolicy, hostname: string): Refusal | null {
  const host = canonicalHost(hostname);
  if (METADATA_NAMES.has(host)) return 'metadata';
  if (isIP(host)) return judgeAddress(policy, host, host);
  if (isLocalhostName(host)) return policy.loopback ? null : 'loopback';
  // no lookup can help a name nobody listed when there is no range to resolve into
  if (!listedByName(policy, host) && !policy.hasRanges && !policy.loopback) return 'not-listed';
  return null;
}

/** One address `hostname` resolves to (or is): null when the hub may connect to it. */
export function judgeAddress(policy: SubgraphAddressPolicy, hostname: string, address: string): Refusal | null {
  const host = canonicalHost(hostname);
  if (METADATA_NAMES.has(host)) return 'metadata';
  const reached = normalise(address);
  if (!reached) return 'not-unicast';
  const refused = alwaysRefused(reached.address, reached.family);
  if (refused) return refused;
  if (reached.embedded) {
    const inner = alwaysRefused(reached.embedded, 'ipv4') ?? (LOOPBACK.check(reached.embedded, 'ipv4') ? 'loopback' : null);
    if (inner) return inner;
  }
  if (LOOPBACK.check(reached.address, reached.family)) return policy.loopback ? null : 'loopback';
  if (isLocalhostName(host)) return 'loopback'; // localhost that does not resolve to loopback: no
  if (listedByName(policy, host)) return null;
  if (policy.ranges.check(reached.address, reached.family)) return null;
  return 'not-listed';
}

const REASONS: Record<Refusal, string> = {
  metadata: 'cloud-metadata addresses are never allowed',
  'link-local': 'link-local addresses (169.254.0.0/16, fe80::/10) are never allowed',
  'not-unicast': 'it is not an address a server can have (unspecified, multicast or reserved)',
  loopback: 'loopback addresses are allowed only in development (GONGKAI_SUBGRAPH_ALLOW unset or `loopback`, NODE_ENV not production)',
  'not-listed': 'it is not in the allow-list of subgraph addresses (GONGKAI_SUBGRAPH_ALLOW)',
};

export function addressNotAllowed(name: string, refusal: Refusal, resolved: boolean): Error {
  const why = resolved
    ? `its host name resolves to an address the hub may not call (${refusal === 'not-listed' ? REASONS['not-listed'] : 'link-local, metadata and, outside development, loopback addresses are never allowed'})`
    : REASONS[refusal];
  return clientError('SUBGRAPH_ADDRESS_NOT_ALLOWED', `the URL of ${name} is not allowed: ${why}`, { argument: 'url', subgraph: name });
}

export function subgraphUnreachable(name: string, what = 'its URL'): Error {
  return clientError('SUBGRAPH_UNREACHABLE', `${name} is unreachable: nothing answered at ${what}`, { subgraph: name });
}

/**
 * Resolves the URL's host once and returns the address to pin, or refuses:
 * SUBGRAPH_ADDRESS_NOT_ALLOWED before any connection (and, for a refused name or literal, before
 * any lookup); SUBGRAPH_UNREACHABLE when the name does not resolve.
 */
export async function pinSubgraphAddress(policy: SubgraphAddressPolicy, name: string, url: URL): Promise<string> {
  const host = canonicalHost(url.hostname);
  const early = judgeHost(policy, host);
  if (early) throw addressNotAllowed(name, early, false);
  if (isIP(host)) return host;
  let addresses: string[];
  try {
    addresses = await policy.resolve(host);
  } catch {
    throw subgraphUnreachable(name, 'its host name (it does not resolve)');
  }
  if (!addresses.length) throw subgraphUnreachable(name, 'its host name (it does not resolve)');
  // every address: a name that answers one good and one bad address is refused
  for (const address of addresses) {
    const refusal = judgeAddress(policy, host, address);
    if (refusal) throw addressNotAllowed(name, refusal, true);
  }
  return addresses[0]!;
}

/** Parses GONGKAI_SUBGRAPH_ALLOW; an entry that cannot be read, or cannot ever match, is an error. */
export function parseSubgraphAllowList(value: string | undefined, options: { production: boolean; resolve?: Resolver }): SubgraphAddressPolicy {
  const resolve = options.resolve ?? defaultResolver;
  const ranges = new BlockList();
  const hosts: string[] = [];
  const domains: string[] = [];
  let loopback = false;
  let hasRanges = false;
  const text = (value ?? '').trim();
  const entries = text === '' ? [] : text.split(/[\s,]+/).filter(Boolean);
  const fail = (entry: string, why: string) => new Error(`GONGKAI_SUBGRAPH_ALLOW: '${entry}' ${why}`);
  for (const entry of entries) {
    const lower = entry.toLowerCase();
    if (lower === 'none') continue;
    if (lower === 'loopback') {
      if (options.production) throw fail(entry, 'is for development only and refused when NODE_ENV=production');
      loopback = true;
      continue;
    }
    const cidr = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(entry);
    const bare = cidr?.[1]?.replace(/^\[|\]$/g, '') ?? '';
    if (cidr && isIP(bare)) {
      const reached = normalise(bare);
      if (!reached || reached.embedded) throw fail(entry, 'is not an address range the hub can allow');
      const max = reached.family === 'ipv4' ? 32 : 128;
      // ::ffff:10.0.0.0/104 is 10.0.0.0/8
      const mappedShift = isIP(bare) === 6 && reached.family === 'ipv4' ? 96 : 0;
      const prefix = cidr[2] === undefined ? max : Number(cidr[2]) - mappedShift;
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw fail(entry, `has a prefix length outside 0–${max}`);
      if (alwaysRefused(reached.address, reached.family) || LOOPBACK.check(reached.address, reached.family)) {
        throw fail(entry, 'is a loopback, link-local, metadata or reserved range: write `loopback` for development; the others are never allowed');
      }
      ranges.addSubnet(reached.address, prefix, reached.family);
      hasRanges = true;
      continue;
    }
    const wildcard = lower.startsWith('*.');
    const host = canonicalHost(wildcard ? lower.slice(2) : lower);
    if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(host)) {
      throw fail(entry, 'is neither an address, a CIDR range, a host name, *.domain nor `loopback`');
    }
    if (METADATA_NAMES.has(host) || isLocalhostName(host)) throw fail(entry, 'names a metadata or loopback host, which a list cannot allow');
    if (wildcard) domains.push(host);
    else hosts.push(host);
  }
  const description = entries.length
    ? entries.join(', ')
    : 'none (set GONGKAI_SUBGRAPH_ALLOW to the ranges and hosts of municipal subgraphs)';
  return { ranges, hosts, domains, loopback, hasRanges, description, resolve };
}

/**
 * The policy of this process: GONGKAI_SUBGRAPH_ALLOW; when it is unset (or empty), `loopback` in
 * development and nothing in production (NODE_ENV=production, as in the Docker image).
 */
export function subgraphAddressPolicyFromEnv(env: NodeJS.ProcessEnv = process.env, resolve?: Resolver): SubgraphAddressPolicy {
  const production = env.NODE_ENV === 'production';
  const configured = env.GONGKAI_SUBGRAPH_ALLOW?.trim();
  if (configured) return parseSubgraphAllowList(configured, { production, ...(resolve ? { resolve } : {}) });
  const policy = parseSubgraphAllowList(production ? '' : 'loopback', { production, ...(resolve ? { resolve } : {}) });
  return production ? policy : { ...policy, description: 'loopback only (development default: GONGKAI_SUBGRAPH_ALLOW is unset and NODE_ENV is not production)' };
}
