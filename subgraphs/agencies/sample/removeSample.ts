// `gongkai sample remove`, the agencies subgraph's part: the sample directory deleted in one
// transaction, with the marker that keeps a later start from loading it again.
//
// A real report ingested while the sample was loaded is filed under the sample agency of the
// same name (淮安市人民政府 exists in both). Such an agency — one that data of another origin
// still refers to, as the reports and hotline subgraphs say (`inUse`) — is not deleted: it
// becomes an OFFICIAL agency PENDING_REVIEW, exactly what `gongkai ingest` would have registered
// from the report's name had the sample not been there, and an editor confirms it
// (Mutation.confirmAgency). The lineage links the sample made are deleted with it.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { markSampleRemoved } from '../../../lib/database/sampleMarker.ts';
import { recordChanges } from '../../../lib/cache/changeLog.ts';
import { EVERYTHING } from '../../../lib/cache/changes.ts';

export interface RemovedSampleAgencies {
  /** sample agencies deleted */
  agencies: number;
  /** lineage links between sample agencies, or to a deleted one, deleted */
  lineage: number;
  /** sample agencies other data refers to, kept as OFFICIAL and PENDING_REVIEW */
  adopted: { id: number; name: string; regionCode: string }[];
}

export async function removeSampleAgencies(em: EntityManager, inUse: readonly number[]): Promise<RemovedSampleAgencies> {
  return em.transactional(async (tx) => {
    // One removal at a time; a concurrent one waits and then finds nothing left.
    await sql(tx, `lock table agencies.agency in share row exclusive mode`);
    const adopted = await sql<{ id: number; name: string; region_code: string }>(
      tx,
      `select id, name, region_code from agencies.agency where data_origin = 'SAMPLE' and id = any($1::int[]) order by id`,
      [[...inUse]],
    );
    const adoptedIds = adopted.map((a) => a.id);
    const lineage = await sql(
      tx,
      `delete from agencies.agency_lineage l
        using agencies.agency p, agencies.agency s
        where p.id = l.predecessor_id and s.id = l.successor_id
          and ((p.data_origin = 'SAMPLE' and s.data_origin = 'SAMPLE')
               or (p.data_origin = 'SAMPLE' and p.id <> all($1::int[]))
               or (s.data_origin = 'SAMPLE' and s.id <> all($1::int[])))
        returning 1`,
      [adoptedIds],
    );
    await sql(
      tx,
      `update agencies.agency set data_origin = 'OFFICIAL', review_status = 'PENDING_REVIEW', updated_at = now() where id = any($1::int[])`,
      [adoptedIds],
    );
    const deleted = await sql(tx, `delete from agencies.agency where data_origin = 'SAMPLE' returning 1`);
    await markSampleRemoved(tx, 'agencies');
    // the sample was everywhere the directory is read: every cached answer goes
    if (deleted.length || lineage.length || adopted.length) await recordChanges(tx, 'agencies', [EVERYTHING]);
    return {
      agencies: deleted.length,
      lineage: lineage.length,
      adopted: adopted.map((a) => ({ id: a.id, name: a.name, regionCode: a.region_code })),
    };
  });
}
