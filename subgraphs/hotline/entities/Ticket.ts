import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const TicketSchema = defineEntity({
  name: 'Ticket',
  tableName: 'ticket',
  properties: {
    id: p.integer().primary().autoincrement(),
    lineCode: p.string(),
    platformId: p.string(),
    regionCode: p.string(),
    receivedAt: p.datetime(),
    dataOrigin: p.string().default('OFFICIAL'),
  },
});

export type Ticket = InferEntity<typeof TicketSchema>;
