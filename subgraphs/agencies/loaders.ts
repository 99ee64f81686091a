// Every relationship of the agencies graph goes through one of these loaders: a batch of keys
// costs one SQL statement, however many regions or agencies the query touches.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphContext } from '../../lib/runtime/subgraph.ts';
import { byKey, groupedByKey, loaderFamily } from '../../lib/graphql/batching.ts';
import { likeContains } from '../../lib/database/like.ts';
import { searchForm } from '../../lib/text/names.ts';
import { sql } from '../../lib/database/sql.ts';
import { subtreeBatchParams } from '../../lib/regions/codes.ts';
import { AgencySchema, type Agency } from './entities/Agency.ts';
import { AgencyLineageSchema, type AgencyLineage } from './entities/AgencyLineage.ts';
import { RegionSchema, type Region } from './entities/Region.ts';
import { SectorSchema, type Sector } from './entities/Sector.ts';

/** The filters of Region.agencies and Region.agencyConnection. */
export interface RegionAgenciesArgs {
  sector: string | null;
  search: string | null;
  includeSubtree: boolean;
}

// The agencies of a batch of regions ($1 codes, $2 their subtree prefixes) under the filters ($3–$5).
const REGION_AGENCIES_FROM = `from unnest($1::text[], $2::text[]) as r(code, prefix)
               join agencies.agency a
                 on (case when $3 then a.region_code like r.prefix || '%' else a.region_code = r.code end)
              where ($4::text is null or a.sector_code = $4)
                and ($5::text is null or a.name ilike $5 or exists (select 1 from unnest(a.aliases) alias where alias ilike $5))`;

const regionAgenciesParams = (codes: readonly string[], args: RegionAgenciesArgs): unknown[] => [
  ...subtreeBatchParams(codes),
  args.includeSubtree,
  args.sector,
  args.search && likeContains(searchForm(args.search)),
];

export function createAgenciesLoaders(em: EntityManager) {
  const regionByCode = new DataLoader<string, Region | null>(async (codes) =>
    byKey(codes, await em.find(RegionSchema, { code: { $in: [...codes] } }), (r) => r.code),
  );

  const childrenOfRegion = new DataLoader<string, Region[]>(async (codes) =>
    groupedByKey(
      codes,
      await em.find(RegionSchema, { parentCode: { $in: [...codes] } }, { orderBy: { code: 'asc' } }),
      (r) => r.parentCode!,
    ),
  );

  const agencyById = new DataLoader<number, Agency | null>(async (ids) =>
    byKey(ids, await em.find(AgencySchema, { id: { $in: [...ids] } }), (a) => a.id),
  );

  // Sectors are a short reference list: the first sector asked for loads them all.
  const sectorByCode = new DataLoader<string, Sector | null>(async (codes) =>
    byKey(codes, await em.find(SectorSchema, {}, { orderBy: { position: 'asc' } }), (s) => s.code),
  );

  const predecessorLinks = new DataLoader<number, AgencyLineage[]>(async (ids) =>
    groupedByKey(
      ids,
      await em.find(AgencyLineageSchema, { successorId: { $in: [...ids] } }, { orderBy: { year: 'asc', predecessorId: 'asc' } }),
      (l) => l.successorId,
    ),
  );

  const successorLinks = new DataLoader<number, AgencyLineage[]>(async (ids) =>
    groupedByKey(
      ids,
      await em.find(AgencyLineageSchema, { predecessorId: { $in: [...ids] } }, { orderBy: { year: 'asc', successorId: 'asc' } }),
      (l) => l.predecessorId,
    ),
  );

  // Both Region.agencies and Region.agencyConnection: one statement for all regions, each
  // region's rows numbered and cut at `limit`, after `afterId` when paging.
  const agenciesOfRegion = loaderFamily(
    (args: RegionAgenciesArgs & { afterId: number | null; limit: number }) =>
      new DataLoader<string, Agency[]>(async (codes) => {
        const rows = await sql<Record<string, unknown>>(
          em,
          `select * from (
             select a.*, r.code as batch_region,
                    row_number() over (partition by r.code order by a.id) as batch_row
               ${REGION_AGENCIES_FROM}
                and ($6::int is null or a.id > $6)
           ) ranked
           where batch_row <= $7
           order by batch_region, id`,
          [...regionAgenciesParams(codes, args), args.afterId, args.limit],
        );
        return groupedByKey(
          codes,
          rows.map((row) => ({ region: row.batch_region as string, agency: em.map(AgencySchema, row) })),
          (r) => r.region,
        ).map((group) => group.map((r) => r.agency));
      }),
  );

  const agencyCountOfRegion = loaderFamily(
    (args: RegionAgenciesArgs) =>
      new DataLoader<string, number>(async (codes) => {
        const rows = await sql<{ code: string; n: number }>(
          em,
          `select r.code, count(*)::int as n ${REGION_AGENCIES_FROM} group by r.code`,
          regionAgenciesParams(codes, args),
        );
        const counts = new Map(rows.map((row) => [row.code, row.n]));
        return codes.map((code) => counts.get(code) ?? 0);
      }),
  );

  return { regionByCode, childrenOfRegion, agencyById, sectorByCode, predecessorLinks, successorLinks, agenciesOfRegion, agencyCountOfRegion };
}

export type AgenciesContext = SubgraphContext<ReturnType<typeof createAgenciesLoaders>>;
