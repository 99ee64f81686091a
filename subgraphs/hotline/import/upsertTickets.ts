// The bulk write behind `gongkai hotline import` and the sample data: one SQL statement per
// batch of a few thousand tickets (parallel arrays through unnest), idempotent by
// (line, platform id). A new ticket is inserted with the history its row tells; a known one is
// updated only when its row differs (keyed digest), keeping every value the new row leaves
// empty, and its status history is appended to, never rewritten.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { encryptPersonal, phoneMac, rowDigest } from '../personalData/crypto.ts';
import { derivedStatus, type NormalisedTicket } from './normalise.ts';

export type DataOrigin = 'OFFICIAL' | 'SAMPLE' | 'SYNTHETIC';

/** A normalised ticket whose agency has been resolved to a directory.agency id (or none). */
export type ResolvedTicket = Omit<NormalisedTicket, 'agencyName'> & { agencyId: string | null };

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  events: number;
}

const UPSERT = `
with input as (
  select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[],
                       $9::text[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[],
                       $14::timestamptz[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[],
                       $21::text[], $22::text[])
    as i(idx, line_code, platform_id, channel_code, category_code, topic, region_code, agency_id,
         dispatch_mode, received_at, dispatched_at, due_at, resolved_at,
         closed_at, status, derived_status, satisfaction, caller_name_enc, caller_phone_enc, caller_phone_mac,
         content_enc, row_digest)
),
old as (
  select t.id, t.status, i.idx
    from input i join hotline.ticket t on t.line_code = i.line_code and t.platform_id = i.platform_id
),
upd as (
  update hotline.ticket t set
    channel_code = coalesce(i.channel_code, t.channel_code),
    category_code = coalesce(i.category_code, t.category_code),
    topic = coalesce(i.topic, t.topic),
    region_code = i.region_code,
    agency_id = coalesce(i.agency_id, t.agency_id),
    dispatch_mode = coalesce(i.dispatch_mode, t.dispatch_mode),
    received_at = i.received_at,
    dispatched_at = coalesce(i.dispatched_at, t.dispatched_at),
    due_at = coalesce(i.due_at, t.due_at),
    resolved_at = coalesce(i.resolved_at, t.resolved_at),
    closed_at = coalesce(i.closed_at, t.closed_at),
    status = coalesce(i.status, case when i.derived_status in ('RESOLVED', 'CLOSED') then i.derived_status end, t.status),
    satisfaction = coalesce(i.satisfaction, t.satisfaction),
    caller_name_enc = coalesce(decode(i.caller_name_enc, 'base64'), t.caller_name_enc),
    caller_phone_enc = coalesce(decode(i.caller_phone_enc, 'base64'), t.caller_phone_enc),
    caller_phone_mac = coalesce(decode(i.caller_phone_mac, 'base64'), t.caller_phone_mac),
    content_enc = coalesce(decode(i.content_enc, 'base64'), t.content_enc),
    row_digest = decode(i.row_digest, 'base64'),
    data_origin = $26,
    updated_at = now()
  from input i join old o on o.idx = i.idx
  where t.id = o.id and t.row_digest is distinct from decode(i.row_digest, 'base64')
  returning t.id, i.idx
),
ins as (
  insert into hotline.ticket (line_code, platform_id, channel_code, category_code, topic, region_code, agency_id,
                              dispatch_mode, received_at, dispatched_at, due_at, resolved_at, closed_at, status,
                              satisfaction, caller_name_enc, caller_phone_enc, caller_phone_mac, content_enc, row_digest,
                              data_origin)
  select i.line_code, i.platform_id, i.channel_code, i.category_code, i.topic, i.region_code, i.agency_id,
         i.dispatch_mode, i.received_at, i.dispatched_at, i.due_at, i.resolved_at, i.closed_at,
         coalesce(i.status, i.derived_status), i.satisfaction, decode(i.caller_name_enc, 'base64'),
         decode(i.caller_phone_enc, 'base64'), decode(i.caller_phone_mac, 'base64'), decode(i.content_enc, 'base64'),
         decode(i.row_digest, 'base64'), $26
    from input i
   where not exists (select 1 from old o where o.idx = i.idx)
   order by i.idx
  on conflict (line_code, platform_id) do nothing
  returning id, line_code, platform_id
),
changed as (
  select u.id, u.idx, o.status as old_status from upd u join old o on o.idx = u.idx
  union all
  select n.id, i.idx, null from ins n join input i on i.line_code = n.line_code and i.platform_id = n.platform_id
),
ev as (
  insert into hotline.ticket_status_change (ticket_id, status, at, source)
  select c.id, e.status, coalesce(e.at, now()), $27
    from unnest($23::int[], $24::text[], $25::timestamptz[]) as e(idx, status, at)
    join changed c on c.idx = e.idx
   where e.at is not null or c.old_status is distinct from e.status
  on conflict (ticket_id, status, at) do nothing
  returning 1
)
select (select count(*) from ins)::int as inserted,
       (select count(*) from upd)::int as updated,
       (select count(*) from old)::int as existing,
       (select count(*) from ev)::int as events,
       (select coalesce(array_agg(i.idx), '{}') from input i
         where not exists (select 1 from old o where o.idx = i.idx)
           and not exists (select 1 from ins n where n.line_code = i.line_code and n.platform_id = i.platform_id)) as raced`;

const b64 = (buffer: Buffer | null): string | null => (buffer ? buffer.toString('base64') : null);
const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** Writes one batch (keys must be distinct within it). */
export async function upsertTickets(
  em: EntityManager,
  tickets: readonly ResolvedTicket[],
  options: { dataOrigin: DataOrigin; source: string },
): Promise<UpsertCounts> {
  if (tickets.length === 0) return { inserted: 0, updated: 0, unchanged: 0, events: 0 };
  const cols: unknown[][] = Array.from({ length: 22 }, () => []);
  const events: [number[], string[], (string | null)[]] = [[], [], []];
  tickets.forEach((t, idx) => {
    const digest = rowDigest([
      t.lineCode, t.platformId, t.channelCode, t.categoryCode, t.topic, t.regionCode, t.agencyId, t.dispatchMode,
      iso(t.receivedAt), iso(t.dispatchedAt), iso(t.dueAt), iso(t.resolvedAt), iso(t.closedAt), t.status, t.satisfaction,
      t.callerName, t.callerPhone, t.text, t.events.map((e) => [e.status, iso(e.at)]), options.dataOrigin,
    ]);
    const values = [
      idx, t.lineCode, t.platformId, t.channelCode, t.categoryCode, t.topic, t.regionCode, t.agencyId,
      t.dispatchMode, iso(t.receivedAt), iso(t.dispatchedAt), iso(t.dueAt), iso(t.resolvedAt),
      iso(t.closedAt), t.status, derivedStatus(t), t.satisfaction,
      b64(encryptPersonal('caller_name', t.callerName)), b64(encryptPersonal('caller_phone', t.callerPhone)),
      b64(phoneMac(t.callerPhone)), b64(encryptPersonal('content', t.text)), digest.toString('base64'),
    ];
    values.forEach((value, i) => cols[i]!.push(value));
    for (const e of t.events) {
      events[0].push(idx);
      events[1].push(e.status);
      events[2].push(iso(e.at));
    }
  });
  const [row] = await sql<{ inserted: number; updated: number; existing: number; events: number; raced: number[] }>(
    em,
    UPSERT,
    [...cols, ...events, options.dataOrigin, options.source],
  );
  const counts = { inserted: row!.inserted, updated: row!.updated, unchanged: row!.existing - row!.updated, events: row!.events };
  if (row!.raced.length > 0) {
    // Another writer inserted some of these keys since this statement's snapshot: they exist
    // now, so a second pass updates (or leaves) them.
    const again = await upsertTickets(em, row!.raced.map((i) => tickets[i]!), options);
    for (const key of ['inserted', 'updated', 'unchanged', 'events'] as const) counts[key] += again[key];
  }
  return counts;
}
