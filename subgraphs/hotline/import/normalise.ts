// One exported row → a ticket ready for the database, or the reason it is rejected.
import type { TicketField } from './fields.ts';
import { lookupName } from '../../../lib/text/names.ts';
import { checkTicket, type StatusEvent, type TicketFields } from './merge.ts';
import {
  CodeTable,
  parseDispatchMode,
  parseSatisfaction,
  parseStatus,
  parseTime,
  type TicketStatus,
} from './values.ts';

export interface ReferenceData {
  lines: CodeTable;
  categories: CodeTable;
  channels: CodeTable;
  /** Every region code of directory.region (placeholders such as 110100 are not regions). */
  regions: ReadonlySet<string>;
}

export interface NormalisedTicket extends TicketFields {
  sourceLine: number;
  /** Either this or agencyId may be set, not both; the batch resolves a name through directory.agency. */
  agencyName: string | null;
  /** As the export states it; null when it does not say. */
  status: TicketStatus | null;
  /** The events the row states beyond its times: statusHistory, and its status at statusAt. */
  events: StatusEvent[];
}

export interface NormaliseOptions {
  /** The line of a row that names none (--line). */
  defaultLine: string | null;
  /** The zone of times written without an offset, and of the times in reasons (minutes east of UTC). */
  zoneMinutes: number;
}

export type RawRow = Partial<Record<TicketField, unknown>>;

export class Rejection extends Error {}

const text = (value: unknown): string | null => {
  if (value == null) return null;
  if (typeof value === 'object') return JSON.stringify(value);
  const s = String(value).trim();
  return s === '' ? null : s;
};

function must<T>(parsed: { ok: true; value: T } | { ok: false; reason: string }, field: string): T {
  if (!parsed.ok) throw new Rejection(parsed.reason.replace(/^unparseable date/, `unparseable ${field}`));
  return parsed.value;
}

function time(raw: RawRow, field: 'receivedAt' | 'dispatchedAt' | 'dueAt' | 'resolvedAt' | 'closedAt' | 'statusAt', zoneMinutes: number): Date | null {
  const value = raw[field];
  if (value == null || (typeof value === 'string' && value.trim() === '')) return null;
  return must(parseTime(typeof value === 'number' ? value : String(value), { endOfDay: field === 'dueAt', zoneMinutes }), field);
}

/** statusHistory: a JSON array of {status, at}, or "已受理@2024-03-01 10:00; 已办结@2024-03-02 09:00". */
function history(value: unknown, zoneMinutes: number): StatusEvent[] {
  if (value == null || value === '') return [];
  let entries: { status: unknown; at: unknown }[];
  if (Array.isArray(value)) entries = value as { status: unknown; at: unknown }[];
  else if (typeof value === 'string') {
    entries = value
      .split(/[;；\n]/)
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const at = part.indexOf('@');
        return at < 0 ? { status: part, at: null } : { status: part.slice(0, at), at: part.slice(at + 1) };
      });
  } else throw new Rejection('statusHistory must be a list of {status, at}');
  return entries.map((entry) => {
    if (entry == null || typeof entry !== 'object') throw new Rejection('statusHistory must be a list of {status, at}');
    const status = must(parseStatus(String(entry.status ?? ''), 'statusHistory status'), 'statusHistory');
    const at = entry.at == null || entry.at === '' ? null : must(parseTime(entry.at as string, { zoneMinutes }), 'statusHistory time');
    return { status, at };
  });
}

export function normaliseRow(raw: RawRow, sourceLine: number, ref: ReferenceData, { defaultLine, zoneMinutes }: NormaliseOptions): NormalisedTicket {
  const platformId = text(raw.platformId);
  if (platformId === null) throw new Rejection('missing platformId');
  if (platformId.length > 128) throw new Rejection('platformId longer than 128 characters');

  const lineRaw = text(raw.line) ?? defaultLine;
  if (lineRaw === null) throw new Rejection('missing line (no line column value and no --line)');
  const lineCode = must(ref.lines.parse(lineRaw), 'line');

  const regionCode = text(raw.regionCode);
  if (regionCode === null) throw new Rejection('missing regionCode');
  if (!/^[0-9]{6}$/.test(regionCode)) throw new Rejection(`invalid regionCode '${regionCode}' (6-digit GB/T 2260 code)`);
  if (!ref.regions.has(regionCode)) throw new Rejection(`unknown region '${regionCode}'`);

  const receivedRaw = raw.receivedAt;
  if (receivedRaw == null || (typeof receivedRaw === 'string' && receivedRaw.trim() === '')) throw new Rejection('missing receivedAt');
  const receivedAt = time(raw, 'receivedAt', zoneMinutes)!;
  const dispatchedAt = time(raw, 'dispatchedAt', zoneMinutes);
  const dueAt = time(raw, 'dueAt', zoneMinutes);
  const resolvedAt = time(raw, 'resolvedAt', zoneMinutes);
  const closedAt = time(raw, 'closedAt', zoneMinutes);
  const statusAt = time(raw, 'statusAt', zoneMinutes);

  const category = text(raw.category);
  const channel = text(raw.channel);
  const dispatch = text(raw.dispatchMode);
  const statusRaw = text(raw.status);
  const satisfactionRaw = text(raw.satisfaction);
  const status = statusRaw === null ? null : must(parseStatus(statusRaw), 'status');

  const agencyIdRaw = text(raw.agencyId);
  if (agencyIdRaw !== null && !/^[1-9][0-9]{0,17}$/.test(agencyIdRaw)) throw new Rejection(`agencyId '${agencyIdRaw}' is not an agency id`);
  // Directory names are stored normalised (lib/text/names.ts): the file's name is matched in that form.
  const agencyNameRaw = agencyIdRaw === null ? text(raw.agencyName) : null;
  const agencyName = agencyNameRaw === null ? null : lookupName(agencyNameRaw) || null;

  const topic = text(raw.topic);

  // The events beyond the row's own times (merge.ts adds those): its history, and its status at
  // statusAt or at the time of the same name (a status with no time at all is placed there too).
  const events: StatusEvent[] = history(raw.statusHistory, zoneMinutes);
  if (status !== null) {
    const known = { DISPATCHED: dispatchedAt, RESOLVED: resolvedAt, CLOSED: closedAt, RECEIVED: receivedAt } as Partial<Record<TicketStatus, Date | null>>;
    events.push({ status, at: statusAt ?? known[status] ?? null });
  }

  // The database's checks, judged here (merge.ts): a row that breaks one is rejected with its reason.
  const problem = checkTicket({ platformId, topic, regionCode, dispatchMode: null, satisfaction: null, receivedAt, dueAt, resolvedAt, closedAt }, zoneMinutes);
  if (problem !== null) throw new Rejection(problem);

  return {
    sourceLine,
    lineCode,
    platformId,
    channelCode: channel === null ? null : must(ref.channels.parse(channel), 'channel'),
    categoryCode: category === null ? null : must(ref.categories.parse(category), 'category'),
    topic,
    regionCode,
    agencyId: agencyIdRaw,
    agencyName,
    dispatchMode: dispatch === null ? null : must(parseDispatchMode(dispatch), 'dispatchMode'),
    receivedAt,
    dispatchedAt,
    dueAt,
    resolvedAt,
    closedAt,
    status,
    satisfaction: satisfactionRaw === null ? null : must(parseSatisfaction(satisfactionRaw), 'satisfaction'),
    callerName: text(raw.callerName),
    callerPhone: text(raw.callerPhone),
    text: raw.text == null ? null : String(raw.text).trim() || null,
    events,
  };
}
