// Hot reload: the gateway's supergraph comes from the registry's newest version, and a poller
// (every GONGKAI_REGISTRY_POLL_MS) hands a newer one to Apollo Gateway's `update`, which swaps
// the schema and query planner between requests: requests already running finish on the plan
// they started with, the next ones use the new graph. Every gateway process on the same
// database follows the same versions.
//
// What a switch costs this thread: the registration that wrote the version composed it (in a
// worker thread, gateway/registry/composeWorker.ts) and stored the supergraph SDL, which every
// gateway loads as it is — nothing is composed here unless the version was composed by a release
// with other hub SDLs (then in the worker too). What is left is Apollo Gateway's own schema and
// query planner build from that SDL, one synchronous step of ~50–100 ms (docs/subgraphs.md §3).
import { setImmediate as requestsFirst } from 'node:timers/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { SupergraphSdlHook, SupergraphSdlUpdateFunction } from '@apollo/gateway';
import { readSchemaFile } from '../../lib/graphql/sdl.ts';
import { isDatabaseUnavailable } from '../../lib/database/availability.ts';
import { pinSubgraphAddress, type SubgraphAddressPolicy } from './addresses.ts';
import { hubDigest } from './compose.ts';
import { composeInWorker } from './composeWorker.ts';
import type { PinnedTarget } from './outbound.ts';
import { currentVersionNumber, findVersion, type MunicipalDefinition } from './store.ts';

export class RegistrySupergraph {
  readonly #orm: MikroORM;
  readonly #pollMs: number;
  readonly #log: (line: string) => void;
  readonly #policy: SubgraphAddressPolicy;
  /** Where each municipal subgraph of the version served is called: its URL and pinned address. */
  #pins = new Map<string, PinnedTarget>();
  #update: SupergraphSdlUpdateFunction | null = null;
  #version = -1;
  #timer: NodeJS.Timeout | null = null;
  #refreshing: Promise<void> = Promise.resolve();
  #failing = false;

  constructor(orm: MikroORM, pollMs: number, log: (line: string) => void, policy: SubgraphAddressPolicy) {
    this.#orm = orm;
    this.#pollMs = pollMs;
    this.#log = log;
    this.#policy = policy;
  }

  /** The URL and pinned address of a municipal subgraph of the version served (none: not to be called). */
  pinOf(name: string): PinnedTarget | undefined {
    return this.#pins.get(name);
  }

  /** The version this gateway serves (0: the hub's own graph). */
  get version(): number {
    return this.#version;
  }

  /** For ApolloGateway's `supergraphSdl`: the current version, then updates as they come. */
  readonly hook: SupergraphSdlHook = async ({ update }) => {
    let loaded: { version: number; sdl: string };
    try {
      loaded = await this.#load();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      // no version known yet: the hub's own graph until the poller reaches the registry
      this.#log(`the registry's database is unavailable; serving the hub's own graph until it is back`);
      this.#failing = true;
      this.#pins = new Map();
      loaded = { version: -1, sdl: readSchemaFile('supergraph') };
    }
    const { version, sdl } = loaded;
    this.#version = version;
    this.#update = update;
    this.#timer = setInterval(() => void this.refresh(), this.#pollMs);
    this.#timer.unref();
    return {
      supergraphSdl: sdl,
      cleanup: async () => {
        if (this.#timer) clearInterval(this.#timer);
        this.#timer = null;
        this.#update = null;
      },
    };
  };

  /** Loads the newest version and switches to it if it is not the one served; one at a time. */
  refresh(): Promise<void> {
    this.#refreshing = this.#refreshing.then(async () => {
      if (!this.#update) return;
      try {
        const current = await currentVersionNumber(this.#orm.em.fork());
        if (current !== this.#version) {
          const { version, sdl } = await this.#load(current);
          // the requests that arrived while the version loaded go first: the build below holds the thread
          await requestsFirst();
          this.#update?.(sdl);
          this.#log(`serving supergraph version ${version} (was ${this.#version})`);
          this.#version = version;
        }
        if (this.#failing) this.#log(`registry reachable again; serving supergraph version ${this.#version}`);
        this.#failing = false;
      } catch (error) {
        // keep serving what we have; say so once, and once when it is back
        if (!this.#failing) {
          this.#log(
            isDatabaseUnavailable(error)
              ? `the registry's database is unavailable; serving supergraph version ${this.#version} until it is back`
              : `could not load the registry's supergraph: ${(error as Error).message}`,
          );
        }
        this.#failing = true;
      }
    });
    return this.#refreshing;
  }

  async #load(known?: number): Promise<{ version: number; sdl: string }> {
    const em = this.#orm.em.fork();
    const version = known ?? (await currentVersionNumber(em));
    const row = version === 0 ? null : await findVersion(em, version);
    if (!row) {
      this.#pins = new Map();
      return { version: 0, sdl: readSchemaFile('supergraph') };
    }
    // before the switch: the data sources of the new version find their addresses
    this.#pins = await this.#pinsOf(row.subgraphs);
    if (row.hubDigest === hubDigest()) return { version, sdl: row.supergraphSdl };
    // composed by a release with other hub SDLs: recompose its subgraphs with ours
    const composed = await composeInWorker(row.subgraphs);
    if (composed.ok) return { version, sdl: composed.supergraphSdl };
    this.#log(`version ${version} does not compose with this release's hub schema; serving the hub's own graph:\n${composed.errors.map((e) => `  - ${e.message}`).join('\n')}`);
    return { version, sdl: readSchemaFile('supergraph') };
  }

  async #pinsOf(subgraphs: readonly MunicipalDefinition[]): Promise<Map<string, PinnedTarget>> {
    const pins = new Map<string, PinnedTarget>();
    for (const subgraph of subgraphs) {
      let address = subgraph.address;
      if (!address) {
        // a version written before addresses were pinned: resolved once, here
        try {
          address = await pinSubgraphAddress(this.#policy, subgraph.name, new URL(subgraph.url));
        } catch (error) {
          this.#log(`subgraph ${subgraph.name} will not be called: ${(error as Error).message}`);
          continue;
        }
      }
      pins.set(subgraph.name, { url: subgraph.url, address });
    }
    return pins;
  }
}
