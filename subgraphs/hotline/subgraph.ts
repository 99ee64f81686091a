// The hotline subgraph: tickets from 12345/12365/12350… platforms, their rollups, rankings and
// masked ticket lists. docs/hotline.md describes it.
import type { SubgraphModule } from '../../lib/runtime/subgraph.ts';
import { hotlineCacheDeclarations } from './cacheDeclarations.ts';
import { sql } from '../../lib/database/sql.ts';
import { createHotlineLoaders, type HotlineLoaders } from './loaders.ts';
import { TicketSchema, TicketStatusChangeSchema } from './entities/Ticket.ts';
import { hotlineMigrations } from './migrations/index.ts';
import { agencyResolvers } from './resolvers/agency.ts';
import { countResolvers, figuresResolvers } from './resolvers/figures.ts';
import { queryResolvers } from './resolvers/query.ts';
import { hotlineListSizes } from './resolvers/listSizes.ts';
import { regionResolvers } from './resolvers/region.ts';
import { ticketResolvers } from './resolvers/ticket.ts';
import { loadSampleTickets } from './sample/sampleTickets.ts';
import { sampleWasRemoved } from '../../lib/database/sampleMarker.ts';
import { refreshYearRollups } from './rollups/yearRollup.ts';
import { hotlineMetrics } from './metrics.ts';

export const hotlineSubgraph: SubgraphModule<HotlineLoaders> = {
  name: 'hotline',
  entities: [TicketSchema, TicketStatusChangeSchema],
  migrations: hotlineMigrations,
  resolvers: {
    Query: { ...queryResolvers, _listSizes: hotlineListSizes },
    Region: regionResolvers,
    Agency: agencyResolvers,
    Ticket: ticketResolvers,
    HotlineFigures: figuresResolvers,
    HotlineCount: countResolvers,
  },
  cacheDeclarations: hotlineCacheDeclarations,
  createLoaders: createHotlineLoaders,
  metrics: hotlineMetrics,
  async bootstrap(orm, { sampleData, serving, log }) {
    const em = orm.em.fork();
    // Never again once `gongkai sample remove` has run (lib/database/sampleMarker.ts).
    if (sampleData && !(await sampleWasRemoved(em, 'hotline'))) {
      const [row] = await sql<{ any: boolean }>(em, `select exists (select 1 from hotline.ticket) as any`);
      if (!row!.any) {
        const loaded = await loadSampleTickets(em, { log });
        if (loaded > 0) log(`sample data: ${loaded} hotline tickets (marked SAMPLE)`);
        await refreshYearRollups(em);
      }
    }
    if (!serving) return;
    const [stale] = await sql<{ n: number }>(
      em,
      `select count(*)::int as n from hotline.year_rollup_state where refreshed_generation is distinct from generation`,
    );
    // Correct either way (stale years are computed from the tickets), but slow at scale: say so.
    if (stale!.n > 0) log(`hotline: the year rollup of ${stale!.n} (province, year) is stale; \`gongkai hotline refresh-rollups\` refreshes it`);
  },
};
