// Where `gongkai subgraph` does its work: on the registry's database, as an operator with its
// credentials (a national admin), or through a gateway's admin API with a token (a city's team,
// within its token's region). Both run the same operations (gateway/registry/operations.ts,
// subgraphCheck.ts, deprecations.ts) — in this process, or in the gateway's — and answer alike.
import { userInfo } from 'node:os';
import { GraphQLError } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CliError } from './errors.ts';
import { callAdminApi, type AdminApiTarget } from './adminApiClient.ts';
import { isDatabaseUnavailable } from '../lib/database/availability.ts';
import { NATIONAL, type Identity } from '../lib/auth/identity.ts';
import { provisionDatabase } from '../lib/database/provision.ts';
import { registerSubgraph, removeSubgraph, rollbackSupergraph, type RegisterInput } from '../gateway/registry/operations.ts';
import { checkSubgraph, type CheckSubgraphInput, type SubgraphCheckReport } from '../gateway/registry/subgraphCheck.ts';
import { deprecateSubgraphField, deprecationView, listDeprecations, type DeprecateInput, type DeprecationView } from '../gateway/registry/deprecations.ts';
import { checkSettings, headersGiven, saveSettings, type SubgraphSettingsInput } from '../gateway/registry/subgraphSettings.ts';
import { currentVersionNumber, listSubgraphs, listVersions, openRegistryDatabase, type SupergraphVersionRow } from '../gateway/registry/store.ts';

/** A version that add, remove or rollback made. */
export interface MadeVersion {
  version: number;
  note: string | null;
  subgraphs: { name: string; url: string; ownerRegion: string | null }[];
}

export interface ListedSubgraph {
  name: string;
  url: string;
  ownerRegion: string | null;
  status: string;
  lastCheckedAt: Date | string | null;
  lastError: string | null;
  latencyMs?: number | null;
  [more: string]: unknown;
}

export interface ListedVersion {
  version: number;
  createdAt: Date | string | null;
  createdBy: string | null;
  subgraphs: string[];
  note: string | null;
}

export interface RegistryListing {
  current: number;
  subgraphs: ListedSubgraph[];
  versions: ListedVersion[];
  /** Fields on their way out (gateway/registry/deprecations.ts). */
  deprecations: DeprecationView[];
}

export interface SubgraphRegistryClient {
  /** Where it works, for messages: "the database" or the gateway's origin. */
  where: string;
  add(input: RegisterInput, settings: SubgraphSettingsInput): Promise<MadeVersion>;
  remove(name: string): Promise<MadeVersion>;
  rollback(version: number | null): Promise<MadeVersion>;
  list(withVersions: boolean): Promise<RegistryListing>;
  check(input: CheckSubgraphInput): Promise<SubgraphCheckReport>;
  deprecate(input: DeprecateInput): Promise<DeprecationView>;
}

// ---- on the database ---------------------------------------------------------------------

/** An operator at the database acts as a national admin. */
const operator = (): Identity => ({ subject: `operator:${process.env.USER || userInfo().username}`, region: NATIONAL, roles: ['admin'] });

async function withRegistry<T>(work: (orm: MikroORM) => Promise<T>): Promise<T> {
  const database = await provisionDatabase(() => {});
  try {
    const orm = await openRegistryDatabase(database.url, 2);
    try {
      return await refusalsAsCliErrors(() => work(orm));
    } finally {
      await orm.close();
    }
  } finally {
    await database.stop();
  }
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, '; ').trim();

/**
 * A refusal from the registry is the operator's to read, not a crash; anything else is one line
 * too — no stack trace, no URL (a library's message may carry the subgraph's). A refused change
 * changed nothing: exit 2, like every command whose one item failed. A lost database is left to
 * describeFailure (DATABASE_UNAVAILABLE).
 */
async function refusalsAsCliErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GraphQLError) throw new CliError(String(error.extensions.code ?? 'REGISTRY_REFUSED'), oneLine(error.message));
    if (error instanceof CliError || isDatabaseUnavailable(error)) throw error;
    const line = oneLine(String((error as Error)?.message ?? error).split('\n')[0]!).replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>');
    throw new CliError('REGISTRY_FAILED', `the registry could not do this: ${line}; nothing was changed — run again with GONGKAI_DEBUG=1 for the details`);
  }
}

const made = (row: SupergraphVersionRow): MadeVersion => ({
  version: row.version,
  note: row.note,
  subgraphs: row.subgraphs.map(({ name, url, ownerRegion }) => ({ name, url, ownerRegion })),
});

export function databaseRegistry(): SubgraphRegistryClient {
  return {
    where: 'the database',
    add: (input, settings) =>
      withRegistry(async (orm) => {
        // refused before anything is fetched or written (gateway/registry/subgraphSettings.ts)
        checkSettings(settings);
        // the SDL is fetched with the headers given (else those stored): a city may ask them of every request
        const headers = headersGiven(settings);
        const row = await registerSubgraph(orm.em, operator(), input, headers ? { outboundHeaders: headers } : {});
        await saveSettings(orm.em.fork(), input.name, settings);
        return made(row);
      }),
    remove: (name) => withRegistry(async (orm) => made(await removeSubgraph(orm.em, operator(), name))),
    rollback: (version) => withRegistry(async (orm) => made(await rollbackSupergraph(orm.em, operator(), version))),
    list: (withVersions) =>
      withRegistry(async (orm) => {
        const em = orm.em.fork();
        const subgraphs = (await listSubgraphs(em)).map(({ sdl: _sdl, ...s }) => s);
        const versions = withVersions
          ? (await listVersions(em, 50)).map((v) => ({ version: v.version, createdAt: v.createdAt, createdBy: v.createdBy, subgraphs: v.subgraphs.map((s) => s.name), note: v.note }))
          : [];
        const deprecations = (await listDeprecations(em)).map((d) => deprecationView(d));
        return { current: await currentVersionNumber(em), subgraphs, versions, deprecations };
      }),
    check: (input) => withRegistry((orm) => checkSubgraph(orm.em, operator(), input)),
    deprecate: (input) => withRegistry(async (orm) => deprecationView(await deprecateSubgraphField(orm.em, operator(), input))),
  };
}

// ---- through a gateway's admin API ---------------------------------------------------------

const VERSION_FIELDS = 'version note subgraphs';
const PROBLEM_FIELDS = 'code message';
const DEPRECATION_FIELDS = 'subgraph coordinate deprecatedAt days removableAfter removable reason deprecatedBy';

interface ApiVersion {
  version: number;
  note: string | null;
  subgraphs: string[];
}

export function apiRegistry(target: AdminApiTarget): SubgraphRegistryClient {
  const call = <T>(query: string, variables: Record<string, unknown> = {}) => callAdminApi<T>(target, query, variables);
  /** The mutation answers with names; the URLs and owners come from the list, as the database's answer has them. */
  const withDetails = async (version: ApiVersion): Promise<MadeVersion> => {
    const { subgraphs } = await call<{ subgraphs: { name: string; kind: string; url: string; ownerRegion: string | null }[] | null }>(
      `query GongkaiCliSubgraphDetails { subgraphs { name kind url ownerRegion } }`,
    );
    const byName = new Map((subgraphs ?? []).filter((s) => s.kind === 'MUNICIPAL').map((s) => [s.name, s]));
    return {
      version: version.version,
      note: version.note,
      subgraphs: version.subgraphs.map((name) => ({ name, url: byName.get(name)?.url ?? '', ownerRegion: byName.get(name)?.ownerRegion ?? null })),
    };
  };
  return {
    where: target.url.origin,
    async add(input, settings) {
      const { registerSubgraph: version } = await call<{ registerSubgraph: ApiVersion }>(
        `mutation GongkaiCliRegister($name: String!, $url: String!, $ownerRegion: ID, $regions: [ID!], $timeoutMs: Int, $maxConcurrency: Int,
            $breakerFailures: Int, $breakerCooldownMs: Int, $outboundHeaders: [SubgraphHeaderInput!]) {
          registerSubgraph(name: $name, url: $url, ownerRegion: $ownerRegion, regions: $regions, timeoutMs: $timeoutMs, maxConcurrency: $maxConcurrency,
            breakerFailures: $breakerFailures, breakerCooldownMs: $breakerCooldownMs, outboundHeaders: $outboundHeaders) { ${VERSION_FIELDS} }
        }`,
        { name: input.name, url: input.url, ownerRegion: input.ownerRegion, regions: input.regions ?? null, ...settings },
      );
      return withDetails(version);
    },
    async remove(name) {
      const { removeSubgraph: version } = await call<{ removeSubgraph: ApiVersion }>(`mutation GongkaiCliRemove($name: String!) { removeSubgraph(name: $name) { ${VERSION_FIELDS} } }`, { name });
      return withDetails(version);
    },
    async rollback(version) {
      let target = version;
      if (target === null) {
        // the one before the current, as on the database
        const { supergraphVersions } = await call<{ supergraphVersions: { version: number }[] }>(`query GongkaiCliCurrent { supergraphVersions(first: 1) { version } }`);
        target = (supergraphVersions[0]?.version ?? 0) - 1;
      }
      const { rollbackSupergraph: row } = await call<{ rollbackSupergraph: ApiVersion }>(
        `mutation GongkaiCliRollback($version: Int!) { rollbackSupergraph(version: $version) { ${VERSION_FIELDS} } }`,
        { version: target },
      );
      return withDetails(row);
    },
    async list(withVersions) {
      const data = await call<{ subgraphs: ListedSubgraph[] | null; supergraphVersions: (ListedVersion & { current: boolean })[]; fieldDeprecations: DeprecationView[] }>(
        `query GongkaiCliList($first: Int!) {
          subgraphs { name kind url ownerRegion regions status lastCheckedAt lastError latencyMs registeredBy registeredAt }
          supergraphVersions(first: $first) { version subgraphs createdAt createdBy note current }
          fieldDeprecations { ${DEPRECATION_FIELDS} }
        }`,
        { first: withVersions ? 50 : 1 },
      );
      const current = data.supergraphVersions.find((v) => v.current)?.version ?? 0;
      return {
        current,
        subgraphs: (data.subgraphs ?? []).filter((s) => s.kind === 'MUNICIPAL').map(({ kind: _kind, ...s }) => s as ListedSubgraph),
        // version 0, the hub's own graph, is not a row of the history
        versions: withVersions ? data.supergraphVersions.filter((v) => v.version > 0).map(({ current: _current, ...v }) => v) : [],
        deprecations: data.fieldDeprecations,
      };
    },
    async check(input) {
      const { checkSubgraph: report } = await call<{ checkSubgraph: SubgraphCheckReport }>(
        `query GongkaiCliCheck($name: String!, $url: String, $sdl: String, $ownerRegion: ID) {
          checkSubgraph(name: $name, url: $url, sdl: $sdl, ownerRegion: $ownerRegion) {
            subgraph passed code summary liveVersion problems { ${PROBLEM_FIELDS} } accepted { ${PROBLEM_FIELDS} }
          }
        }`,
        { name: input.name, url: input.url ?? null, sdl: input.sdl ?? null, ownerRegion: input.ownerRegion ?? null },
      );
      return report;
    },
    async deprecate(input) {
      const { deprecateSubgraphField: record } = await call<{ deprecateSubgraphField: DeprecationView }>(
        `mutation GongkaiCliDeprecate($name: String!, $coordinate: String!, $days: Int!, $reason: String) {
          deprecateSubgraphField(name: $name, coordinate: $coordinate, days: $days, reason: $reason) { ${DEPRECATION_FIELDS} }
        }`,
        { name: input.name, coordinate: input.coordinate, days: input.days, reason: input.reason ?? null },
      );
      return record;
    },
  };
}
