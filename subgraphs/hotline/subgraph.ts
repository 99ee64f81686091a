// The hotline subgraph: tickets from 12345/12365/12350… platforms and their rollups.
import type { SubgraphModule } from '../../lib/runtime/subgraph.ts';
import { createHotlineLoaders, type HotlineContext } from './loaders.ts';
import { TicketSchema } from './entities/Ticket.ts';
import { hotlineMigrations } from './migrations/index.ts';
import { regionResolvers } from './resolvers/region.ts';

export const hotlineSubgraph: SubgraphModule<HotlineContext['loaders']> = {
  name: 'hotline',
  entities: [TicketSchema],
  migrations: hotlineMigrations,
  resolvers: { Region: regionResolvers },
  createLoaders: createHotlineLoaders,
};
