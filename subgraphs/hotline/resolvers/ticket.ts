// A ticket as the API shows it: personal data goes through personalData/access.ts, which masks
// or withholds it for every caller not allowed to read it.
import type { HotlineContext } from '../loaders.ts';
import { callerName, callerPhone, canReadPersonalData, ticketText } from '../personalData/access.ts';

export interface TicketRow {
  id: string;
  line_code: string;
  platform_id: string;
  channel_code: string | null;
  category_code: string | null;
  topic: string | null;
  region_code: string;
  agency_id: string | null;
  dispatch_mode: string | null;
  received_at: Date;
  dispatched_at: Date | null;
  due_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  status: string;
  satisfaction: string | null;
  caller_name_enc: Buffer | null;
  caller_phone_enc: Buffer | null;
  content_enc: Buffer | null;
  data_origin: string;
}

/** The columns a TicketRow is read with (never the phone MAC or the row digest). */
export const TICKET_COLUMNS = `t.id::text as id, t.line_code, t.platform_id, t.channel_code, t.category_code, t.topic, t.region_code,
  t.agency_id::text as agency_id, t.dispatch_mode, t.received_at, t.dispatched_at, t.due_at, t.resolved_at, t.closed_at,
  t.status, t.satisfaction, t.caller_name_enc, t.caller_phone_enc, t.content_enc, t.data_origin`;

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export const ticketResolvers = {
  platformId: (t: TicketRow) => t.platform_id,
  line: (t: TicketRow, _: unknown, { loaders }: HotlineContext) => loaders.referenceRow('line', t.line_code),
  channel: (t: TicketRow, _: unknown, { loaders }: HotlineContext) => loaders.referenceRow('channel', t.channel_code),
  category: (t: TicketRow, _: unknown, { loaders }: HotlineContext) => loaders.referenceRow('category', t.category_code),
  region: (t: TicketRow) => ({ code: t.region_code }),
  agency: (t: TicketRow) => (t.agency_id === null ? null : { id: t.agency_id }),
  dispatchMode: (t: TicketRow) => t.dispatch_mode,
  receivedAt: (t: TicketRow) => iso(t.received_at),
  dispatchedAt: (t: TicketRow) => iso(t.dispatched_at),
  dueAt: (t: TicketRow) => iso(t.due_at),
  resolvedAt: (t: TicketRow) => iso(t.resolved_at),
  closedAt: (t: TicketRow) => iso(t.closed_at),
  statusHistory: async (t: TicketRow, _: unknown, { loaders }: HotlineContext) =>
    (await loaders.statusHistory.load(t.id)).map((row) => ({
      status: row.status,
      at: iso(row.at),
      recordedAt: iso(row.recorded_at),
      source: row.source,
    })),
  overdue: (t: TicketRow) => t.resolved_at === null && t.due_at !== null && new Date(t.due_at).getTime() < Date.now(),
  handlingHours: (t: TicketRow) =>
    t.resolved_at === null ? null : (new Date(t.resolved_at).getTime() - new Date(t.received_at).getTime()) / 3_600_000,
  callerName: (t: TicketRow, _: unknown, context: HotlineContext) => callerName(context, t, t.caller_name_enc),
  callerPhone: (t: TicketRow, _: unknown, context: HotlineContext) => callerPhone(context, t, t.caller_phone_enc),
  text: (t: TicketRow, _: unknown, context: HotlineContext) => ticketText(context, t, t.content_enc),
  personalDataMasked: (t: TicketRow, _: unknown, context: HotlineContext) => !canReadPersonalData(context, t),
  dataOrigin: (t: TicketRow) => t.data_origin,
};

