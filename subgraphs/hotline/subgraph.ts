// The hotline subgraph: tickets from 12345/12365/12350… platforms, their rollups, rankings and
// masked ticket lists. docs/hotline.md describes it.
import type { SubgraphModule } from '../../lib/runtime/subgraph.ts';
import { sql } from '../../lib/database/sql.ts';
import { createHotlineLoaders, type HotlineLoaders } from './loaders.ts';
import { TicketSchema, TicketStatusChangeSchema } from './entities/Ticket.ts';
import { hotlineMigrations } from './migrations/index.ts';
import { agencyResolvers } from './resolvers/agency.ts';
import { countResolvers, figuresResolvers } from './resolvers/figures.ts';
import { queryResolvers } from './resolvers/query.ts';
import { regionResolvers } from './resolvers/region.ts';
import { ticketResolvers } from './resolvers/ticket.ts';
import { loadSampleTickets } from './sample/sampleTickets.ts';

export const hotlineSubgraph: SubgraphModule<HotlineLoaders> = {
  name: 'hotline',
  entities: [TicketSchema, TicketStatusChangeSchema],
  migrations: hotlineMigrations,
  resolvers: {
    Query: queryResolvers,
    Region: regionResolvers,
    Agency: agencyResolvers,
    Ticket: ticketResolvers,
    HotlineFigures: figuresResolvers,
    HotlineCount: countResolvers,
  },
  createLoaders: createHotlineLoaders,
  async bootstrap(orm, { sampleData, log }) {
    if (!sampleData) return;
    const em = orm.em.fork();
    const [row] = await sql<{ any: boolean }>(em, `select exists (select 1 from hotline.ticket) as any`);
    if (row!.any) return;
    const loaded = await loadSampleTickets(em, { log });
    if (loaded > 0) log(`sample data: ${loaded} hotline tickets (marked SAMPLE)`);
  },
};
