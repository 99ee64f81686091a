// `gongkai sample remove`, the hotline subgraph's part: every SAMPLE ticket (its status history
// and personal-data audit rows go with it, `on delete cascade`), in one transaction with the
// marker that keeps a later start from loading the sample again; then the year rollup of the
// (province, year)s it touched, which the ticket triggers marked stale, is computed again.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { markSampleRemoved } from '../../../lib/database/sampleMarker.ts';
import { recordChanges } from '../../../lib/cache/changeLog.ts';
import { EVERYTHING } from '../../../lib/cache/changes.ts';
import { refreshYearRollups } from '../rollups/yearRollup.ts';

export interface RemovedSampleTickets {
  tickets: number;
  /** (province, year) year rollups computed again */
  rollupsRefreshed: number;
}

export async function removeSampleTickets(em: EntityManager): Promise<RemovedSampleTickets> {
  const tickets = await em.transactional(async (tx) => {
    // An import running meanwhile waits for the commit instead of interleaving.
    await sql(tx, `lock table hotline.ticket in share row exclusive mode`);
    const [row] = await sql<{ n: number }>(
      tx,
      `with deleted as (delete from hotline.ticket where data_origin = 'SAMPLE' returning 1) select count(*)::int as n from deleted`,
    );
    await markSampleRemoved(tx, 'hotline');
    // the sample covered two provinces over years: every cached answer goes
    if (row!.n > 0) await recordChanges(tx, 'hotline', [EVERYTHING]);
    return row!.n;
  });
  // Outside the deleting transaction, as after an import: interrupted here, the figures stay
  // correct (stale years are computed from the tickets) and a rerun refreshes them.
  const { refreshed } = await refreshYearRollups(em);
  return { tickets, rollupsRefreshed: refreshed };
}

/** The agencies the remaining tickets are dispatched to: the agencies subgraph keeps them (sample/removeSample.ts there). */
export async function agenciesWithTickets(em: EntityManager): Promise<number[]> {
  const rows = await sql<{ agency_id: number }>(em, `select distinct agency_id from hotline.ticket where agency_id is not null`);
  return rows.map((r) => Number(r.agency_id));
}
