// The registry's admin API: schema/registry.graphql, composed into the supergraph like the
// hub's other subgraphs but executed inside the gateway (LocalGraphQLDataSource), whose context
// carries the identity the gateway verified.
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, type GraphQLSchema } from 'graphql';
import type { Identity } from '../../lib/auth/identity.ts';
import { clientError, invalidArgument } from '../../lib/graphql/errors.ts';
import { readSchemaFile } from '../../lib/graphql/sdl.ts';
import { demandRegistryAdmin, withinAdminJurisdiction } from './access.ts';
import { deprecateSubgraphField, deprecationView, listDeprecations } from './deprecations.ts';
import { checkSubgraph } from './subgraphCheck.ts';
import { registerSubgraph, removeSubgraph, rollbackSupergraph } from './operations.ts';
import { servedRegionsOf } from './servedRegions.ts';
import { currentVersionNumber, listSubgraphs, listVersions, type SupergraphVersionRow } from './store.ts';
import type { Registry } from './registry.ts';
import { applySettings, checkSettings, settingsView, type SubgraphSettingsInput } from './subgraphSettingsApi.ts';
import { headersGiven, loadSettings } from './subgraphSettings.ts';

export interface HubSubgraphHealth {
  name: string;
  url: string;
  /** 'ready', or why not */
  state: string;
}

interface AdminContext {
  identity: Identity;
}

const iso = (date: Date | null | undefined): string | null => (date ? new Date(date).toISOString() : null);

const versionView = (row: Omit<SupergraphVersionRow, 'supergraphSdl'>, current: number) => ({
  version: row.version,
  subgraphs: row.subgraphs.map((s) => s.name),
  createdAt: iso(row.createdAt),
  createdBy: row.createdBy as string | null,
  note: row.note,
  current: row.version === current,
});

export function registryAdminSchema(registry: Registry | null, hubHealth: () => Promise<HubSubgraphHealth[]>): GraphQLSchema {
  const need = (): Registry => {
    if (!registry) throw clientError('REGISTRY_UNAVAILABLE', 'this gateway runs without the registry database (DATABASE_URL)');
    return registry;
  };
  /** After a change: this gateway serves the new version before the mutation answers; the others follow by polling. */
  const changed = async (row: SupergraphVersionRow) => {
    const live = need();
    await live.supergraph.refresh();
    void live.health.checkNow();
    return versionView(row, row.version);
  };
  const resolvers: GraphQLResolverMap<AdminContext> = {
    Query: {
      subgraphs: async (_: unknown, __: unknown, { identity }: AdminContext) => {
        demandRegistryAdmin(identity, 'list the subgraphs');
        const hub = (await hubHealth()).map((h) => ({
          name: h.name,
          kind: 'HUB',
          url: h.url,
          ownerRegion: null,
          regions: null,
          status: h.state === 'ready' ? 'UP' : 'DOWN',
          lastCheckedAt: new Date().toISOString(),
          lastError: h.state === 'ready' ? null : h.state,
          registeredBy: null,
          registeredAt: null,
        }));
        const settings = registry ? await loadSettings(registry.orm.em.fork()) : new Map();
        const municipal = registry
          ? (await listSubgraphs(registry.orm.em.fork())).map((s) => ({
              ...settingsView(registry, s.name, settings.get(s.name)),
              name: s.name,
              kind: 'MUNICIPAL',
              url: s.url,
              ownerRegion: s.ownerRegion,
              regions: servedRegionsOf(s),
              status: s.status,
              lastCheckedAt: iso(s.lastCheckedAt),
              lastError: s.lastError,
              latencyMs: s.latencyMs,
              registeredBy: s.registeredBy,
              registeredAt: iso(s.registeredAt),
            }))
          : [];
        return [...hub, ...municipal];
      },
      supergraphVersions: async (_: unknown, { first }: { first: number }, { identity }: AdminContext) => {
        demandRegistryAdmin(identity, 'list the supergraph versions');
        if (!Number.isInteger(first) || first < 1 || first > 200) throw invalidArgument('first', 'first is 1 to 200');
        const em = need().orm.em.fork();
        const current = await currentVersionNumber(em);
        const rows: ReturnType<typeof versionView>[] = (await listVersions(em, first)).map((row) => versionView(row, current));
        if (rows.length < first) rows.push({ version: 0, subgraphs: [], createdAt: null, createdBy: null, note: "the hub's own graph", current: current === 0 });
        return rows;
      },
      // nothing is written: the live version and every gateway stay as they are
      checkSubgraph: async (_: unknown, args: { name: string; url?: string | null; sdl?: string | null; ownerRegion?: string | null }, { identity }: AdminContext) =>
        checkSubgraph(need().orm.em, identity, args, { addresses: need().addresses }),
      fieldDeprecations: async (_: unknown, { subgraph }: { subgraph?: string | null }, { identity }: AdminContext) => {
        demandRegistryAdmin(identity, 'list the deprecations');
        const em = need().orm.em.fork();
        const owners = new Map((await listSubgraphs(em)).map((s) => [s.name, s.ownerRegion]));
        return (await listDeprecations(em, subgraph ?? null)).filter((d) => withinAdminJurisdiction(identity, owners.get(d.subgraph) ?? null)).map((d) => deprecationView(d));
      },
    },
    Mutation: {
      deprecateSubgraphField: async (_: unknown, args: { name: string; coordinate: string; days: number; reason?: string | null }, { identity }: AdminContext) =>
        deprecationView(await deprecateSubgraphField(need().orm.em, identity, args)),
      registerSubgraph: async (_: unknown, args: { name: string; url: string; ownerRegion?: string | null; regions?: string[] | null } & SubgraphSettingsInput, { identity }: AdminContext) => {
        // refused before anything is fetched or written (gateway/registry/subgraphSettings.ts)
        checkSettings(args);
        const headers = headersGiven(args);
        const row = await registerSubgraph(need().orm.em, identity, { name: args.name, url: args.url, ownerRegion: args.ownerRegion ?? null, regions: args.regions ?? null }, { addresses: need().addresses, ...(headers ? { outboundHeaders: headers } : {}) });
        await applySettings(need(), args.name, args);
        return changed(row);
      },
      removeSubgraph: async (_: unknown, { name }: { name: string }, { identity }: AdminContext) => changed(await removeSubgraph(need().orm.em, identity, name)),
      rollbackSupergraph: async (_: unknown, { version }: { version: number }, { identity }: AdminContext) =>
        changed(await rollbackSupergraph(need().orm.em, identity, version, { addresses: need().addresses })),
    },
  };
  return buildSubgraphSchema({ typeDefs: parse(readSchemaFile('registry')), resolvers: resolvers as GraphQLResolverMap<unknown> });
}
