// The registry's tables (Postgres schema `registry`, owned by the gateway side): municipal
// subgraphs with their health, and every composed supergraph version. Opened with the same
// per-schema ORM as the subgraphs; every read and write is hand-written SQL.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { migrate, openSubgraphDatabase } from '../../lib/database/orm.ts';
import { waitForDatabase } from '../../lib/database/availability.ts';
import { sql } from '../../lib/database/sql.ts';
import { registryMigrations } from './migrations/index.ts';

export type SubgraphStatus = 'UP' | 'DOWN' | 'UNKNOWN' | 'DRIFTED';

/** What composition needs of a municipal subgraph, and what a version records of it. */
export interface MunicipalDefinition {
  name: string;
  url: string;
  ownerRegion: string | null;
  sdl: string;
  /**
   * The address the URL's host resolved to at registration, pinned: every request to the
   * subgraph connects there (gateway/registry/addresses.ts). Absent in versions written before
   * addresses were pinned; those are resolved once when loaded.
   */
  address?: string | null;
  /**
   * The regions it serves: the gateway asks it only about entities inside them
   * (gateway/registry/jurisdiction.ts). Null or absent: the owner region's subtree, the whole
   * country for a national subgraph.
   */
  regions?: string[] | null;
}

export interface MunicipalSubgraph extends MunicipalDefinition {
  status: SubgraphStatus;
  lastCheckedAt: Date | null;
  lastError: string | null;
  /** How long its last health check took (ms); null before the first. */
  latencyMs: number | null;
  registeredBy: string;
  registeredAt: Date;
}

export interface SupergraphVersionRow {
  version: number;
  supergraphSdl: string;
  subgraphs: MunicipalDefinition[];
  hubDigest: string;
  createdAt: Date;
  createdBy: string;
  note: string | null;
}

/**
 * `waitLog`: a gateway started before its database waits for it (saying so there) instead of
 * failing; a command fails at once.
 */
export async function openRegistryDatabase(url: string, poolSize = 4, waitLog?: (line: string) => void): Promise<MikroORM> {
  const orm = await openSubgraphDatabase({ url, schema: 'registry', entities: [], migrations: registryMigrations, poolSize });
  try {
    if (waitLog) await waitForDatabase(() => migrate(orm), { log: waitLog });
    else await migrate(orm);
  } catch (error) {
    await orm.close();
    throw error;
  }
  return orm;
}

const subgraphOf = (row: any): MunicipalSubgraph => ({
  name: row.name,
  url: row.url,
  ownerRegion: row.owner_region,
  sdl: row.sdl,
  address: row.address,
  regions: row.regions ?? null,
  status: row.status,
  lastCheckedAt: row.last_checked_at,
  lastError: row.last_error,
  latencyMs: row.latency_ms ?? null,
  registeredBy: row.registered_by,
  registeredAt: row.registered_at,
});

const versionOf = (row: any): SupergraphVersionRow => ({
  version: row.version,
  supergraphSdl: row.supergraph_sdl,
  subgraphs: row.subgraphs,
  hubDigest: row.hub_digest,
  createdAt: row.created_at,
  createdBy: row.created_by,
  note: row.note,
});

export async function listSubgraphs(em: EntityManager): Promise<MunicipalSubgraph[]> {
  return (await sql<any>(em, `select * from registry.subgraph order by name`)).map(subgraphOf);
}

/** The newest version's number, 0 when the registry has never changed (the hub's own graph). */
export async function currentVersionNumber(em: EntityManager): Promise<number> {
  const [row] = await sql<{ version: number | null }>(em, `select max(version) as version from registry.supergraph_version`);
  return row?.version ?? 0;
}

export async function findVersion(em: EntityManager, version: number): Promise<SupergraphVersionRow | null> {
  const [row] = await sql<any>(em, `select * from registry.supergraph_version where version = $1`, [version]);
  return row ? versionOf(row) : null;
}

export async function listVersions(em: EntityManager, first: number): Promise<Omit<SupergraphVersionRow, 'supergraphSdl'>[]> {
  const rows = await sql<any>(
    em,
    `select version, subgraphs, hub_digest, created_at, created_by, note from registry.supergraph_version order by version desc limit $1`,
    [first],
  );
  return rows.map((row) => versionOf({ ...row, supergraph_sdl: '' }));
}

export async function regionExists(em: EntityManager, code: string): Promise<boolean> {
  return (await sql(em, `select 1 from directory.region where code = $1`, [code])).length > 0;
}

/**
 * Runs a registry change alone: a transaction holding an advisory lock, so that two admins (or
 * a CLI and a gateway) never compose against the same current version.
 */
export async function exclusively<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return em.fork().transactional(async (tx) => {
    await sql(tx, `select pg_advisory_xact_lock(hashtext('gongkai.registry'))`);
    return work(tx);
  });
}

/**
 * Writes a new version and makes the subgraph table match its list: rows kept keep their health
 * and registration, new ones start UNKNOWN, absent ones are deleted.
 */
export async function writeVersion(
  tx: EntityManager,
  input: { supergraphSdl: string; subgraphs: MunicipalDefinition[]; hubDigest: string; createdBy: string; note: string },
): Promise<SupergraphVersionRow> {
  const names = input.subgraphs.map((s) => s.name);
  await sql(tx, `delete from registry.subgraph where not (name = any($1::text[]))`, [names]);
  for (const subgraph of input.subgraphs) {
    await sql(
      tx,
      `insert into registry.subgraph (name, url, owner_region, sdl, registered_by, address, regions) values ($1, $2, $3, $4, $5, $6, $7::text[])
       on conflict (name) do update set
         url = excluded.url, owner_region = excluded.owner_region, sdl = excluded.sdl, address = excluded.address, updated_at = now(),
         regions = excluded.regions,
         -- a new address or schema is checked afresh
         status = case when registry.subgraph.url = excluded.url and registry.subgraph.sdl = excluded.sdl
                        and registry.subgraph.address is not distinct from excluded.address then registry.subgraph.status else 'UNKNOWN' end,
         registered_by = case when registry.subgraph.sdl = excluded.sdl and registry.subgraph.url = excluded.url then registry.subgraph.registered_by else excluded.registered_by end`,
      [subgraph.name, subgraph.url, subgraph.ownerRegion, subgraph.sdl, input.createdBy, subgraph.address ?? null, subgraph.regions ?? null],
    );
  }
  const [row] = await sql<any>(
    tx,
    `insert into registry.supergraph_version (version, supergraph_sdl, subgraphs, hub_digest, created_by, note)
     values ((select coalesce(max(version), 0) + 1 from registry.supergraph_version), $1, $2::jsonb, $3, $4, $5)
     returning *`,
    [input.supergraphSdl, JSON.stringify(input.subgraphs), input.hubDigest, input.createdBy, input.note],
  );
  return versionOf(row);
}

export async function recordHealth(em: EntityManager, name: string, status: SubgraphStatus, error: string | null, latencyMs: number | null = null): Promise<void> {
  await sql(em, `update registry.subgraph set status = $2, last_error = $3, last_checked_at = now(), latency_ms = $4 where name = $1`, [name, status, error, latencyMs]);
}
