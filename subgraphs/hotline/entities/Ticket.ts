import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A hotline ticket (工单). Reads and bulk writes go through hand-written SQL (loaders.ts,
 * import/upsertTickets.ts); the entity maps the plain columns for keyed lookups. The encrypted
 * personal-data columns (caller_name_enc, caller_phone_enc, caller_phone_mac, content_enc) and
 * row_digest are deliberately not mapped: only personalData/ reads or writes them.
 */
export const TicketSchema = defineEntity({
  name: 'Ticket',
  tableName: 'ticket',
  properties: {
    id: p.integer().primary().autoincrement(),
    lineCode: p.string(),
    platformId: p.string(),
    channelCode: p.string().nullable(),
    categoryCode: p.string().nullable(),
    topic: p.string().nullable(),
    regionCode: p.string(),
    agencyId: p.integer().nullable(),
    dispatchMode: p.string().nullable(),
    receivedAt: p.datetime(),
    dispatchedAt: p.datetime().nullable(),
    dueAt: p.datetime().nullable(),
    resolvedAt: p.datetime().nullable(),
    closedAt: p.datetime().nullable(),
    status: p.string().default('RECEIVED'),
    satisfaction: p.string().nullable(),
    dataOrigin: p.string().default('OFFICIAL'),
  },
});

export type Ticket = InferEntity<typeof TicketSchema>;

export const TicketStatusChangeSchema = defineEntity({
  name: 'TicketStatusChange',
  tableName: 'ticket_status_change',
  properties: {
    id: p.integer().primary().autoincrement(),
    ticketId: p.integer(),
    status: p.string(),
    at: p.datetime(),
    recordedAt: p.datetime(),
    source: p.string().nullable(),
  },
});
