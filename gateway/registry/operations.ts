// The registry's three changes — register, remove, roll back — in one place: the gateway's
// admin mutations and `gongkai subgraph` both call these. Each writes a new supergraph version
// (history is never rewritten); running gateways pick it up through their poller.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../../lib/auth/identity.ts';
import { clientError, invalidArgument } from '../../lib/graphql/errors.ts';
import { isRegionCode } from '../../lib/regions/codes.ts';
import { HUB_GRAPH_NAMES } from '../composeSupergraph.ts';
import { demandJurisdiction, demandRegistryAdmin } from './access.ts';
import { addressNotAllowed, judgeHost, pinSubgraphAddress, subgraphAddressPolicyFromEnv, judgeAddress, type SubgraphAddressPolicy } from './addresses.ts';
import { assessRegistration, reservedSubgraphName, type Assessment } from './checks.ts';
import { forgetDeprecations, listDeprecations, removalJudge } from './deprecations.ts';
import { checkServedRegions } from './servedRegions.ts';
import { fetchSubgraphSdl, hubDigest } from './compose.ts';
import { storedHeaders } from './subgraphSettings.ts';
import { composeInWorker, precomposeRegistration } from './composeWorker.ts';
import {
  currentVersionNumber,
  exclusively,
  findVersion,
  listSubgraphs,
  regionExists,
  writeVersion,
  type MunicipalDefinition,
  type SupergraphVersionRow,
} from './store.ts';

export const SUBGRAPH_NAME = /^[a-z][a-z0-9_]{1,39}$/;

export const definitionOf = ({ name, url, ownerRegion, sdl, address, regions }: MunicipalDefinition): MunicipalDefinition => ({ name, url, ownerRegion, sdl, address: address ?? null, regions: regions ?? null });

export interface RegisterInput {
  name: string;
  url: string;
  ownerRegion: string | null;
  /** The regions it serves (gateway/registry/servedRegions.ts); null or absent: the owner region's subtree. */
  regions?: string[] | null;
}

export interface RegistryCallOptions {
  /** Which addresses may be registered; GONGKAI_SUBGRAPH_ALLOW (subgraphAddressPolicyFromEnv) unless given. */
  addresses?: SubgraphAddressPolicy;
  /** The clock deprecation periods are measured with (gateway/registry/deprecations.ts); the system's unless given. */
  now?: () => Date;
  /** Headers for the SDL fetch (gateway/registry/subgraphSettings.ts): those given with the registration; else those stored for the name. */
  outboundHeaders?: Record<string, string>;
}

/**
 * A registration's arguments, checked before anything is fetched — the name, the URL (when there
 * is one), the owner region and the served regions, within the admin's jurisdiction. Shared by
 * registerSubgraph and checkSubgraph (gateway/registry/subgraphCheck.ts): one set of rules.
 */
export async function admitRegistration(
  em: EntityManager,
  identity: Identity,
  input: { name: string; url: string | null; ownerRegion: string | null; regions?: string[] | null },
  verb: 'register' | 'check',
): Promise<{ url: URL | null; regions: string[] | null }> {
  if (!SUBGRAPH_NAME.test(input.name)) {
    throw invalidArgument('name', `a subgraph name is 2–40 lower-case letters, digits or _, starting with a letter (city_hotline), not '${input.name}'`);
  }
  // before anything is fetched: composing a second 'agencies' would fail inside Apollo's code
  if ((HUB_GRAPH_NAMES as readonly string[]).includes(input.name)) throw clientError('RESERVED_NAME', reservedSubgraphName(input.name), { argument: 'name' });
  let url: URL | null = null;
  if (input.url !== null) {
    try {
      url = new URL(input.url);
    } catch {
      throw invalidArgument('url', `'${input.url}' is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidArgument('url', 'a subgraph URL is http:// or https://');
    if (url.username || url.password) throw invalidArgument('url', 'a subgraph URL carries no user name or password');
  }
  if (input.ownerRegion !== null) {
    if (!isRegionCode(input.ownerRegion)) throw invalidArgument('ownerRegion', `'${input.ownerRegion}' is not a 6-digit GB/T 2260 code`);
    if (!(await regionExists(em.fork(), input.ownerRegion))) {
      throw clientError('UNKNOWN_REGION', `no region ${input.ownerRegion} in the directory`, { argument: 'ownerRegion' });
    }
  }
  demandJurisdiction(identity, input.ownerRegion, `${verb} a subgraph owned by ${input.ownerRegion ?? 'the nation'}`);
  const regions = await checkServedRegions(em, identity, input.name, input.regions);
  return { url, regions };
}

/**
 * The SDL a subgraph reports at its URL, from the address the URL's host resolves to now: refused
 * before any connection when that address is not allowed; the address is pinned by the caller.
 */
export async function fetchCandidateSdl(policy: SubgraphAddressPolicy, name: string, url: URL, outboundHeaders: Record<string, string> = {}): Promise<{ sdl: string; address: string }> {
  const address = await pinSubgraphAddress(policy, name, url);
  return { sdl: await fetchSubgraphSdl(policy, name, { url: url.toString(), address }, outboundHeaders), address };
}

/** Every check of a registration against the registry as `em` sees it: the rules, composition, keys, and breaking changes with their deprecations. */
export async function assessAgainstRegistry(em: EntityManager, candidate: MunicipalDefinition, current: readonly MunicipalDefinition[], options: RegistryCallOptions = {}): Promise<Assessment> {
  const deprecations = await listDeprecations(em, candidate.name);
  // both graphs it compares are composed in a worker thread, off the event loop serving clients
  await precomposeRegistration(candidate, current);
  return assessRegistration(candidate, current, removalJudge(candidate.name, deprecations, options.now?.() ?? new Date()));
}

/** Registration = the check of checkSubgraph, then a new version written. */
export async function registerSubgraph(em: EntityManager, identity: Identity, input: RegisterInput, options: RegistryCallOptions = {}): Promise<SupergraphVersionRow> {
  demandRegistryAdmin(identity, 'register a subgraph');
  const admitted = await admitRegistration(em, identity, input, 'register');
  const url = admitted.url!;
  // resolved once, here: refused before any connection when the address is not allowed, and the
  // SDL, the health checks and the query traffic all go to this address
  const headers = options.outboundHeaders ?? (await storedHeaders(em.fork(), input.name));
  const { sdl, address } = await fetchCandidateSdl(options.addresses ?? subgraphAddressPolicyFromEnv(), input.name, url, headers);
  return exclusively(em, async (tx) => {
    const current = (await listSubgraphs(tx)).map(definitionOf);
    const previous = current.find((s) => s.name === input.name);
    // re-registering another region's subgraph is taking it over
    if (previous) demandJurisdiction(identity, previous.ownerRegion, `re-register ${input.name}, owned by ${previous.ownerRegion ?? 'the nation'}`);
    const candidate: MunicipalDefinition = { name: input.name, url: url.toString(), ownerRegion: input.ownerRegion, sdl, address, regions: admitted.regions };
    const assessment = await assessAgainstRegistry(tx, candidate, current, options);
    if (!assessment.ok) throw assessment.error;
    const subgraphs = previous ? current.map((s) => (s.name === input.name ? candidate : s)) : [...current, candidate];
    const row = await writeVersion(tx, {
      supergraphSdl: assessment.composed.supergraphSdl,
      subgraphs,
      hubDigest: hubDigest(),
      createdBy: identity.subject!,
      note: `${previous ? 're-registered' : 'registered'} ${input.name} (${url})${assessment.removed.length ? `; removed after deprecation: ${assessment.removed.join(', ')}` : ''}`,
    });
    await forgetDeprecations(tx, input.name, assessment.removed);
    return row;
  });
}

export async function removeSubgraph(em: EntityManager, identity: Identity, name: string): Promise<SupergraphVersionRow> {
  demandRegistryAdmin(identity, 'remove a subgraph');
  return exclusively(em, async (tx) => {
    const current = (await listSubgraphs(tx)).map(definitionOf);
    const removed = current.find((s) => s.name === name);
    if (!removed) throw clientError('UNKNOWN_SUBGRAPH', `no municipal subgraph named '${name}' is registered`, { argument: 'name' });
    demandJurisdiction(identity, removed.ownerRegion, `remove ${name}, owned by ${removed.ownerRegion ?? 'the nation'}`);
    const rest = current.filter((s) => s.name !== name);
    const composed = await composeInWorker(rest);
    if (!composed.ok) {
      throw clientError('COMPOSITION_FAILED', `the graph without ${name} does not compose (another subgraph uses its types); the current graph is unchanged:\n${composed.errors.map((e) => `  - [${e.code}] ${e.message}`).join('\n')}`, {
        errors: composed.errors,
      });
    }
    return writeVersion(tx, { supergraphSdl: composed.supergraphSdl, subgraphs: rest, hubDigest: hubDigest(), createdBy: identity.subject!, note: `removed ${name}` });
  });
}

/**
 * A new version with the municipal subgraphs of `version` (default: the one before the current),
 * recomposed with the hub's SDLs of this release. It changes every region's subgraphs: national
 * admins only.
 */
export async function rollbackSupergraph(em: EntityManager, identity: Identity, version: number | null, options: RegistryCallOptions = {}): Promise<SupergraphVersionRow> {
  demandRegistryAdmin(identity, 'roll back the supergraph');
  demandJurisdiction(identity, null, 'roll back the supergraph (it changes every region\'s subgraphs)');
  return exclusively(em, async (tx) => {
    const current = await currentVersionNumber(tx);
    const target = version ?? current - 1;
    if (!Number.isInteger(target) || target < 0 || target >= current) {
      throw invalidArgument('version', current === 0 ? 'the registry has no version to roll back from' : `roll back to a version from 0 to ${current - 1}, not ${target}`);
    }
    const old = target === 0 ? [] : (await findVersion(tx, target))?.subgraphs;
    if (!old) throw clientError('UNKNOWN_VERSION', `no supergraph version ${target}`, { argument: 'version' });
    // their pinned addresses must still be allowed; a version from before pinning is resolved now
    const subgraphs = await Promise.all(old.map((s) => repin(options.addresses ?? subgraphAddressPolicyFromEnv(), definitionOf(s))));
    const composed = await composeInWorker(subgraphs);
    if (!composed.ok) {
      throw clientError('COMPOSITION_FAILED', `version ${target}'s subgraphs no longer compose with the hub:\n${composed.errors.map((e) => `  - [${e.code}] ${e.message}`).join('\n')}`, {
        errors: composed.errors,
      });
    }
    return writeVersion(tx, { supergraphSdl: composed.supergraphSdl, subgraphs, hubDigest: hubDigest(), createdBy: identity.subject!, note: `rolled back to ${target}` });
  });
}

/** A subgraph of an earlier version, with an address allowed by today's policy. */
async function repin(policy: SubgraphAddressPolicy, subgraph: MunicipalDefinition): Promise<MunicipalDefinition> {
  const url = new URL(subgraph.url);
  if (!subgraph.address) return { ...subgraph, address: await pinSubgraphAddress(policy, subgraph.name, url) };
  const refusal = judgeHost(policy, url.hostname) ?? judgeAddress(policy, url.hostname, subgraph.address);
  if (refusal) throw addressNotAllowed(subgraph.name, refusal, false);
  return subgraph;
}
