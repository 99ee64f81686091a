// `gongkai subgraph check` and Query.checkSubgraph: everything a registration checks —
// arguments, jurisdiction, the municipal rules, composition, keys, breaking changes with their
// deprecations — against the graph served now, and nothing written: no version, no reload.
// What a city runs in its own CI before it asks for the registration. A registration is this
// check followed by a new version (gateway/registry/operations.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../../lib/auth/identity.ts';
import { invalidArgument } from '../../lib/graphql/errors.ts';
import { demandJurisdiction, demandRegistryAdmin } from './access.ts';
import { subgraphAddressPolicyFromEnv } from './addresses.ts';
import type { Problem } from './checks.ts';
import { MUNICIPAL_MAX_RESPONSE_BYTES } from './compose.ts';
import { admitRegistration, assessAgainstRegistry, definitionOf, fetchCandidateSdl, type RegistryCallOptions } from './operations.ts';
import { currentVersionNumber, listSubgraphs, type MunicipalDefinition } from './store.ts';
import { storedHeaders } from './subgraphSettings.ts';

export interface CheckSubgraphInput {
  name: string;
  /** Where to fetch the SDL ({ _service { sdl } }), as registration would. */
  url?: string | null;
  /** The SDL itself (a CI job's schema file), instead of a URL. */
  sdl?: string | null;
  /** Absent: the registered one, for a subgraph already registered; national otherwise. */
  ownerRegion?: string | null;
}

export interface SubgraphCheckReport {
  subgraph: string;
  /** Whether a registration of this SDL would be accepted now. */
  passed: boolean;
  /** COMPOSITION_FAILED, BREAKING_CHANGE, SUBGRAPH_REJECTED or RESERVED_NAME when it did not pass: the code a registration would be refused with. */
  code: string | null;
  /** One line: what the check found. */
  summary: string;
  problems: Problem[];
  /** Removals let through because their deprecation period is over (code REMOVAL_ACCEPTED). */
  accepted: Problem[];
  /** The version served, unchanged by the check. */
  liveVersion: number;
}

export async function checkSubgraph(em: EntityManager, identity: Identity, input: CheckSubgraphInput, options: RegistryCallOptions = {}): Promise<SubgraphCheckReport> {
  demandRegistryAdmin(identity, 'check a subgraph');
  const url = input.url ?? null;
  const givenSdl = input.sdl ?? null;
  if ((url === null) === (givenSdl === null)) throw invalidArgument('url', 'check a subgraph by its url (its SDL is fetched from there) or by its sdl, one of the two');
  if (givenSdl !== null && (givenSdl.trim() === '' || Buffer.byteLength(givenSdl) > MUNICIPAL_MAX_RESPONSE_BYTES)) {
    throw invalidArgument('sdl', `the SDL is empty or larger than ${MUNICIPAL_MAX_RESPONSE_BYTES / 1024 / 1024} MiB`);
  }
  const read = em.fork();
  const current = (await listSubgraphs(read)).map(definitionOf);
  const previous = current.find((s) => s.name === input.name);
  const ownerRegion = input.ownerRegion !== undefined && input.ownerRegion !== null ? input.ownerRegion : (previous?.ownerRegion ?? null);
  const admitted = await admitRegistration(em, identity, { name: input.name, url, ownerRegion, regions: previous?.regions ?? null }, 'check');
  if (previous) demandJurisdiction(identity, previous.ownerRegion, `check ${input.name}, owned by ${previous.ownerRegion ?? 'the nation'}`);
  // with the headers the province sends this city (a city may answer only the province), as registration does
  const headers = admitted.url ? (options.outboundHeaders ?? (await storedHeaders(read, input.name))) : {};
  const fetched = admitted.url ? await fetchCandidateSdl(options.addresses ?? subgraphAddressPolicyFromEnv(), input.name, admitted.url, headers) : null;
  const candidate: MunicipalDefinition = {
    name: input.name,
    // composition names a subgraph by its URL only in its output, which a check does not keep
    url: admitted.url?.toString() ?? previous?.url ?? `http://${input.name}.invalid/graphql`,
    ownerRegion,
    sdl: fetched?.sdl ?? givenSdl!,
    address: fetched?.address ?? previous?.address ?? null,
    regions: admitted.regions,
  };
  const liveVersion = await currentVersionNumber(read);
  const assessment = await assessAgainstRegistry(read, candidate, current, options);
  if (assessment.ok) {
    const n = assessment.accepted.length;
    const removals = n ? `; ${n} removal${n === 1 ? '' : 's'} accepted after their deprecation period` : '';
    return {
      subgraph: input.name,
      passed: true,
      code: null,
      summary: `${input.name} passes: it composes with version ${liveVersion}, keeps the rules and breaks nothing clients use${removals}`,
      problems: [],
      accepted: assessment.accepted,
      liveVersion,
    };
  }
  const problems = (assessment.error.extensions.errors as Problem[] | undefined) ?? [];
  return {
    subgraph: input.name,
    passed: false,
    code: String(assessment.error.extensions.code),
    // the registration's headline, without "the current graph is unchanged" (a check changes nothing anyway)
    summary: `${assessment.error.message.split('\n')[0]!.replace(/;? ?the current graph is unchanged:?$/, '')} (against version ${liveVersion})`,
    problems: problems.map(({ code, message }) => ({ code, message })),
    accepted: assessment.accepted,
    liveVersion,
  };
}
