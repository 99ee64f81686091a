// The agency directory's search: filters compose into one WHERE clause, pages are keyset pages
// on id, and the total is counted only when a client asks for it.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RegionLevel } from '../../../lib/regions/divisions.ts';
import { subtreePrefix } from '../../../lib/regions/codes.ts';
import { likeContains } from '../../../lib/database/like.ts';
import { searchForm } from '../../../lib/text/names.ts';
import { sql } from '../../../lib/database/sql.ts';
import { AgencySchema, type Agency, type ReviewStatus } from '../entities/Agency.ts';

export interface AgencyFilter {
  regionCode: string | null;
  includeSubtree: boolean;
  sector: string | null;
  level: RegionLevel | null;
  search: string | null;
  reviewStatus: ReviewStatus | null;
}

// An agency's level is its region's, and a region's level is written in its code.
const LEVEL_CONDITION: Record<RegionLevel, string> = {
  PROVINCE: `a.region_code like '__0000'`,
  CITY: `a.region_code like '____00' and a.region_code not like '__0000'`,
  COUNTY: `a.region_code not like '____00'`,
};

function conditions(filter: AgencyFilter, params: unknown[]): string[] {
  const bind = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (filter.regionCode) {
    where.push(
      filter.includeSubtree
        ? `a.region_code like ${bind(`${subtreePrefix(filter.regionCode)}%`)}`
        : `a.region_code = ${bind(filter.regionCode)}`,
    );
  }
  if (filter.sector) where.push(`a.sector_code = ${bind(filter.sector)}`);
  if (filter.level) where.push(`(${LEVEL_CONDITION[filter.level]})`);
  if (filter.reviewStatus) where.push(`a.review_status = ${bind(filter.reviewStatus)}`);
  if (filter.search) {
    const pattern = bind(likeContains(searchForm(filter.search)));
    where.push(`(a.name ilike ${pattern} or exists (select 1 from unnest(a.aliases) alias where alias ilike ${pattern}))`);
  }
  return where;
}

const whereSql = (where: string[]): string => (where.length ? `where ${where.join(' and ')}` : '');

export async function findAgencyPage(
  em: EntityManager,
  filter: AgencyFilter,
  page: { first: number; afterId: number | null },
): Promise<{ agencies: Agency[]; hasNextPage: boolean }> {
  const params: unknown[] = [];
  const where = conditions(filter, params);
  if (page.afterId !== null) where.push(`a.id > $${params.push(page.afterId)}`);
  const rows = await sql<Record<string, unknown>>(
    em,
    `select a.* from agencies.agency a ${whereSql(where)} order by a.id limit $${params.push(page.first + 1)}`,
    params,
  );
  const agencies = rows.slice(0, page.first).map((row) => em.map(AgencySchema, row));
  return { agencies, hasNextPage: rows.length > page.first };
}

export async function countAgencies(em: EntityManager, filter: AgencyFilter): Promise<number> {
  const params: unknown[] = [];
  const [row] = await sql<{ count: string }>(
    em,
    `select count(*) from agencies.agency a ${whereSql(conditions(filter, params))}`,
    params,
  );
  return Number(row!.count);
}
