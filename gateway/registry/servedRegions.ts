// The regions a municipal subgraph serves — its jurisdiction, which the gateway enforces
// (gateway/registry/jurisdiction.ts): by default its owner region's subtree (the whole country
// for a national subgraph), or the regions its registration lists (`--serves 430100,430211`:
// a 市 and a 县 of another 市). Listing is checked here, at registration; the gateway only reads.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../../lib/auth/identity.ts';
import { clientError, invalidArgument } from '../../lib/graphql/errors.ts';
import { isRegionCode, subtreePrefix } from '../../lib/regions/codes.ts';
import { demandJurisdiction } from './access.ts';
import { regionExists } from './store.ts';

/** The most regions one registration may list: a city and its counties, not a province by county. */
export const MAX_SERVED_REGIONS = 100;

/**
 * The code prefixes of the subtrees a registration serves: '' (every code) for a national
 * subgraph that lists none. A code is served when it starts with one of them.
 */
export function servedPrefixes(subgraph: { ownerRegion: string | null; regions?: readonly string[] | null }): string[] {
  const listed = servedRegionsOf(subgraph);
  return listed ? [...new Set(listed.map(subtreePrefix))] : [''];
}

/** The regions as the admin API shows them: those listed, else the owner region; null for a national one serving the country. */
export const servedRegionsOf = (subgraph: { ownerRegion: string | null; regions?: readonly string[] | null }): string[] | null =>
  subgraph.regions && subgraph.regions.length > 0 ? [...subgraph.regions] : subgraph.ownerRegion ? [subgraph.ownerRegion] : null;

export const servesCode = (prefixes: readonly string[], code: string): boolean => isRegionCode(code) && prefixes.some((prefix) => code.startsWith(prefix));

/**
 * The listed regions, checked — 6-digit codes of the directory, each within the registering
 * admin's jurisdiction — without duplicates, in code order; null when none is listed (the
 * default). Nothing is fetched from the subgraph before this passes.
 */
export async function checkServedRegions(em: EntityManager, identity: Identity, name: string, regions: readonly string[] | null | undefined): Promise<string[] | null> {
  if (regions === null || regions === undefined) return null;
  const codes = [...new Set(regions.map((code) => code.trim()))].sort();
  if (codes.length === 0) throw invalidArgument('regions', 'regions lists at least one 6-digit code; leave it out to serve the owner region');
  if (codes.length > MAX_SERVED_REGIONS) throw invalidArgument('regions', `a subgraph serves at most ${MAX_SERVED_REGIONS} regions, not ${codes.length}; list a city rather than its counties`);
  for (const code of codes) {
    if (!isRegionCode(code)) throw invalidArgument('regions', `'${code}' is not a 6-digit GB/T 2260 code`);
    if (!(await regionExists(em.fork(), code))) throw clientError('UNKNOWN_REGION', `no region ${code} in the directory; list regions of the directory (Query.region)`, { argument: 'regions' });
    demandJurisdiction(identity, code, `register ${name} to serve ${code}`);
  }
  return codes;
}
