// The bulk write behind `gongkai hotline import` and the sample data: one transaction per batch
// of a few thousand rows, idempotent by (line, platform id). The batch's known tickets are read
// and locked, every ticket is merged with its rows by the rules of merge.ts (whatever their
// order), checked, and only what changed is written: new tickets, changed fields, new events of
// the status history — one statement for all of it (parallel arrays through unnest).
//
// A batch is all or nothing, and the merge is a join: an import killed between two batches
// and run again ends in the state an uninterrupted run gives.
//
// The batch records where it changed something in the hotline's change log, as its last
// statement: every (region, year in China Standard Time) of the tickets it wrote, and of a
// written ticket before the write (a correction can move a ticket to another region or year).
// The write statement collects them, so a batch of thousands of tickets yields its few places.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { recordChanges } from '../../../lib/cache/changeLog.ts';
import { regionChanges } from '../../../lib/cache/changes.ts';
import { decryptPersonal, encryptPersonal, phoneMac, rowDigest } from '../personalData/crypto.ts';
import { checkTicket, currentStatus, mergeTickets, orderedHistory, stateKey, stateOfRow, type TicketRow, type TicketState } from './merge.ts';
import { CHINA_STANDARD_TIME, type DispatchMode, type Satisfaction, type TicketStatus } from './values.ts';

export type DataOrigin = 'OFFICIAL' | 'SAMPLE' | 'SYNTHETIC';

/** A normalised row whose agency has been resolved to a directory.agency id (or none). */
export interface ResolvedTicket extends TicketRow {
  /** Where the row starts in its file; identifies the row in the batch. */
  sourceLine: number;
}

export interface UpsertOptions {
  dataOrigin: DataOrigin;
  /** Recorded with each new status event: the file's name, or 'sample'. */
  source: string;
  /** The zone of the times in a refusal's reason (minutes east of UTC). */
  zoneMinutes?: number;
  /** Runs in the batch's transaction after its writes: what is recorded of them commits with them. */
  withinBatch?: (tx: EntityManager, counts: UpsertCounts) => Promise<void>;
}

export interface UpsertCounts {
  /** Rows that created their ticket. */
  inserted: number;
  /** Rows that changed their ticket. */
  updated: number;
  /** Rows that added nothing to their ticket (their values were already merged in). */
  unchanged: number;
  /** New events of status histories. */
  events: number;
  /** Rows that cannot be merged into a valid ticket, with the reason. */
  refused: { row: ResolvedTicket; reason: string }[];
}

interface StoredTicket {
  id: string;
  line_code: string;
  platform_id: string;
  channel_code: string | null;
  category_code: string | null;
  topic: string | null;
  region_code: string;
  agency_id: string | null;
  dispatch_mode: DispatchMode | null;
  // timestamptz columns arrive as Date or as text, depending on the driver's settings: see date()
  received_at: Date | string;
  dispatched_at: Date | string | null;
  due_at: Date | string | null;
  resolved_at: Date | string | null;
  closed_at: Date | string | null;
  status: TicketStatus;
  satisfaction: Satisfaction | null;
  caller_name_enc: Buffer | null;
  caller_phone_enc: Buffer | null;
  content_enc: Buffer | null;
  data_origin: DataOrigin;
}

const keyOf = (t: { lineCode: string; platformId: string }): string => `${t.lineCode}\u0000${t.platformId}`;

const SELECT_STORED = `
  select t.id::text as id, t.line_code, t.platform_id, t.channel_code, t.category_code, t.topic, t.region_code,
         t.agency_id::text as agency_id, t.dispatch_mode, t.received_at, t.dispatched_at, t.due_at, t.resolved_at,
         t.closed_at, t.status, t.satisfaction, t.caller_name_enc, t.caller_phone_enc, t.content_enc, t.data_origin
    from hotline.ticket t
    join unnest($1::text[], $2::text[]) as k(line_code, platform_id) on t.line_code = k.line_code and t.platform_id = k.platform_id
   order by t.id
     for update of t`;

const WRITE = `
with input as (
  select * from unnest($1::int[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                       $9::bigint[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[],
                       $14::timestamptz[], $15::timestamptz[], $16::text[], $17::text[], $18::text[], $19::text[],
                       $20::text[], $21::text[], $22::text[])
    as i(idx, id, line_code, platform_id, channel_code, category_code, topic, region_code,
         agency_id, dispatch_mode, received_at, dispatched_at, due_at,
         resolved_at, closed_at, status, satisfaction, caller_name_enc, caller_phone_enc,
         caller_phone_mac, content_enc, row_digest)
),
ins as (
  insert into hotline.ticket (line_code, platform_id, channel_code, category_code, topic, region_code, agency_id,
                              dispatch_mode, received_at, dispatched_at, due_at, resolved_at, closed_at, status,
                              satisfaction, caller_name_enc, caller_phone_enc, caller_phone_mac, content_enc, row_digest,
                              data_origin)
  select i.line_code, i.platform_id, i.channel_code, i.category_code, i.topic, i.region_code, i.agency_id,
         i.dispatch_mode, i.received_at, i.dispatched_at, i.due_at, i.resolved_at, i.closed_at, i.status,
         i.satisfaction, decode(i.caller_name_enc, 'base64'), decode(i.caller_phone_enc, 'base64'),
         decode(i.caller_phone_mac, 'base64'), decode(i.content_enc, 'base64'), decode(i.row_digest, 'base64'), $26
    from input i
   where i.id is null
   -- in key order, as every import inserts: two imports of the same new tickets wait, never deadlock
   order by i.line_code, i.platform_id
  on conflict (line_code, platform_id) do nothing
  returning id, line_code, platform_id
),
upd as (
  update hotline.ticket t set
    channel_code = i.channel_code, category_code = i.category_code, topic = i.topic, region_code = i.region_code,
    agency_id = i.agency_id, dispatch_mode = i.dispatch_mode, received_at = i.received_at,
    dispatched_at = i.dispatched_at, due_at = i.due_at, resolved_at = i.resolved_at, closed_at = i.closed_at,
    status = i.status, satisfaction = i.satisfaction, caller_name_enc = decode(i.caller_name_enc, 'base64'),
    caller_phone_enc = decode(i.caller_phone_enc, 'base64'), caller_phone_mac = decode(i.caller_phone_mac, 'base64'),
    content_enc = decode(i.content_enc, 'base64'), row_digest = decode(i.row_digest, 'base64'),
    data_origin = $26, updated_at = now()
  from input i
  where i.id is not null and t.id = i.id
  returning t.id
),
written as (
  select i.idx, n.id from input i join ins n on n.line_code = i.line_code and n.platform_id = i.platform_id
  union all
  select i.idx, i.id from input i where i.id is not null
),
ev as (
  insert into hotline.ticket_status_change (ticket_id, status, at, source)
  select w.id, e.status, e.at, $27
    from unnest($23::int[], $24::text[], $25::timestamptz[]) as e(idx, status, at)
    join written w on w.idx = e.idx
  on conflict (ticket_id, status, at) do nothing
  returning 1
),
-- where the batch changed something: the tickets written as they are now, and the updated ones
-- as they were (every part of one statement reads the snapshot from before its writes)
places as (
  select distinct p.region_code, p.year from (
    select i.region_code, extract(year from i.received_at at time zone 'Asia/Shanghai')::int as year
      from input i
     where i.id is not null or exists (select 1 from ins n where n.line_code = i.line_code and n.platform_id = i.platform_id)
    union all
    select t.region_code, extract(year from t.received_at at time zone 'Asia/Shanghai')::int
      from hotline.ticket t join input i on t.id = i.id
  ) p
)
select (select count(*) from ev)::int as events,
       (select count(*) from upd)::int as updated,
       (select coalesce(array_agg(i.idx), '{}') from input i
         where i.id is null
           and not exists (select 1 from ins n where n.line_code = i.line_code and n.platform_id = i.platform_id)) as raced,
       (select coalesce(array_agg(region_code order by region_code, year), '{}') from places) as place_regions,
       (select coalesce(array_agg(year order by region_code, year), '{}') from places) as place_years`;

const b64 = (buffer: Buffer | null): string | null => (buffer ? buffer.toString('base64') : null);
const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

/** The stored ticket as a state; throws when its personal data cannot be decrypted (another key). */
function storedState(row: StoredTicket, history: TicketState['history']): TicketState {
  return {
    lineCode: row.line_code,
    platformId: row.platform_id,
    channelCode: row.channel_code,
    categoryCode: row.category_code,
    topic: row.topic,
    regionCode: row.region_code,
    agencyId: row.agency_id,
    dispatchMode: row.dispatch_mode,
    receivedAt: date(row.received_at)!,
    dispatchedAt: date(row.dispatched_at),
    dueAt: date(row.due_at),
    resolvedAt: date(row.resolved_at),
    closedAt: date(row.closed_at),
    satisfaction: row.satisfaction,
    callerName: decryptPersonal('caller_name', row.caller_name_enc),
    callerPhone: decryptPersonal('caller_phone', row.caller_phone_enc),
    text: decryptPersonal('content', row.content_enc),
    history,
  };
}

/** What the batch writes for one ticket, and what its rows did. */
interface Write {
  id: string | null;
  state: TicketState;
  /** stateKey(state) */
  stateText: string;
  newEvents: TicketState['history'];
  rows: ResolvedTicket[];
  counts: UpsertCounts;
}

const add = (total: UpsertCounts, part: UpsertCounts): void => {
  total.inserted += part.inserted;
  total.updated += part.updated;
  total.unchanged += part.unchanged;
  total.events += part.events;
  total.refused.push(...part.refused);
};
const noCounts = (): UpsertCounts => ({ inserted: 0, updated: 0, unchanged: 0, events: 0, refused: [] });

/** A (region, year) where a batch changed tickets. */
type Place = readonly [regionCode: string, year: number];

/** Writes one batch of rows in one transaction (rows of the same ticket may be several). */
export async function upsertTickets(em: EntityManager, rows: readonly ResolvedTicket[], options: UpsertOptions): Promise<UpsertCounts> {
  if (rows.length === 0) return noCounts();
  return em.fork().transactional(async (tx) => {
    const places: Place[] = [];
    const counts = await writeBatch(tx as EntityManager, rows, options, places);
    await options.withinBatch?.(tx as EntityManager, counts);
    await recordChanges(tx as EntityManager, 'hotline', regionChanges(places));
    return counts;
  });
}

/** Writes the batch; adds where it changed tickets to `places`. */
async function writeBatch(tx: EntityManager, rows: readonly ResolvedTicket[], options: UpsertOptions, places: Place[]): Promise<UpsertCounts> {
  const counts = noCounts();
  const zone = options.zoneMinutes ?? CHINA_STANDARD_TIME;
  const groups = new Map<string, ResolvedTicket[]>();
  for (const row of rows) {
    const group = groups.get(keyOf(row));
    if (group) group.push(row);
    else groups.set(keyOf(row), [row]);
  }

  const keys = [...groups.values()].map((g) => g[0]!);
  // Locked until the batch commits: a concurrent import of the same tickets merges after this one.
  const stored = await sql<StoredTicket>(tx, SELECT_STORED, [keys.map((k) => k.lineCode), keys.map((k) => k.platformId)]);
  const histories = new Map<string, TicketState['history']>();
  if (stored.length > 0) {
    const events = await sql<{ ticket_id: string; status: TicketStatus; at: Date | string }>(
      tx,
      `select ticket_id::text as ticket_id, status, at from hotline.ticket_status_change where ticket_id = any($1::bigint[])`,
      [stored.map((s) => s.id)],
    );
    for (const e of events) {
      const history = histories.get(e.ticket_id) ?? [];
      history.push({ status: e.status, at: date(e.at)! });
      histories.set(e.ticket_id, history);
    }
  }
  const storedByKey = new Map(stored.map((s) => [keyOf({ lineCode: s.line_code, platformId: s.platform_id }), s]));

  const writes: Write[] = [];
  for (const [key, group] of groups) {
    const old = storedByKey.get(key);
    const own = noCounts();
    let before: TicketState | null = null;
    if (old) {
      try {
        before = storedState(old, orderedHistory(histories.get(old.id) ?? []));
      } catch (error) {
        if ((error as { extensions?: { code?: string } }).extensions?.code !== 'PERSONAL_DATA_UNREADABLE') throw error;
        const reason = `the ticket already imported cannot be merged with: ${(error as Error).message}`;
        for (const row of group) counts.refused.push({ row, reason });
        continue;
      }
    }
    // Rows in a fixed order, so that the counts (which row inserted, which changed) are the same each time.
    const sorted = [...group].sort((a, b) => a.sourceLine - b.sourceLine);
    let state = before;
    const beforeKey = before && stateKey(before);
    let stateText = beforeKey;
    for (const row of sorted) {
      const next = state === null ? stateOfRow(row) : mergeTickets(state, stateOfRow(row));
      const problem = checkTicket(next, zone, next.history);
      if (problem !== null) {
        own.refused.push({ row, reason: `cannot be merged with ${old ? 'the ticket already imported' : 'the other rows of this ticket'}: ${problem}` });
        continue;
      }
      const nextText = stateKey(next);
      if (state === null) own.inserted++;
      else if (nextText !== stateText) own.updated++;
      else own.unchanged++;
      state = next;
      stateText = nextText;
    }
    const changed =
      state !== null &&
      (before === null || stateText !== beforeKey || old!.data_origin !== options.dataOrigin || old!.status !== currentStatus(state.history));
    if (!changed) {
      add(counts, own);
      continue;
    }
    const known = new Set(before?.history.map((e) => `${e.status}@${e.at.getTime()}`));
    const newEvents = state!.history.filter((e) => !known.has(`${e.status}@${e.at.getTime()}`));
    writes.push({ id: old?.id ?? null, state: state!, stateText: stateText!, newEvents, rows: sorted, counts: own });
  }
  if (writes.length === 0) return counts;

  const cols: unknown[][] = Array.from({ length: 22 }, () => []);
  const events: [number[], string[], string[]] = [[], [], []];
  writes.forEach(({ id, state: t, stateText, newEvents }, idx) => {
    const values = [
      idx, id, t.lineCode, t.platformId, t.channelCode, t.categoryCode, t.topic, t.regionCode, t.agencyId,
      t.dispatchMode, iso(t.receivedAt), iso(t.dispatchedAt), iso(t.dueAt), iso(t.resolvedAt), iso(t.closedAt),
      currentStatus(t.history), t.satisfaction,
      b64(encryptPersonal('caller_name', t.callerName)), b64(encryptPersonal('caller_phone', t.callerPhone)),
      b64(phoneMac(t.callerPhone)), b64(encryptPersonal('content', t.text)),
      // a keyed digest of the ticket as merged (clear personal data included, so it is keyed)
      rowDigest([stateText]).toString('base64'),
    ];
    values.forEach((value, i) => cols[i]!.push(value));
    for (const e of newEvents) {
      events[0].push(idx);
      events[1].push(e.status);
      events[2].push(e.at.toISOString());
    }
  });
  const [result] = await sql<{ events: number; updated: number; raced: number[]; place_regions: string[]; place_years: number[] }>(
    tx,
    WRITE,
    [...cols, ...events, options.dataOrigin, options.source],
  );
  counts.events += result!.events;
  result!.place_regions.forEach((code, i) => places.push([code, result!.place_years[i]!]));
  const raced = new Set(result!.raced);
  for (const [idx, w] of writes.entries()) if (!raced.has(idx)) add(counts, w.counts);
  if (raced.size > 0) {
    // Another import inserted some of these tickets after they were looked for (it had not
    // committed yet): they exist now, so the same rows are merged into them.
    add(counts, await writeBatch(tx, writes.filter((_, idx) => raced.has(idx)).flatMap((w) => w.rows), options, places));
  }
  return counts;
}
