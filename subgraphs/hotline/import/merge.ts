// How several rows of one ticket (line, platform id) become one ticket, whatever their order:
// in one file, across batches, across files, and with what the database already holds.
//
// The merge is a join: commutative, associative and idempotent, and every rule looks at values
// only (never at which row came first). So a file gives the same tickets read in any order, a
// run killed between two batches and run again ends where an uninterrupted run ends, and a row
// that was imported before adds nothing ("unchanged"). docs/hotline.md states the rules.
//
// Every valid row gives a valid ticket, and the join of valid tickets is valid: the receipt is
// the earliest one and every other time is one some row gave, which that row already had at or
// after its own receipt. checkTicket() states the database's checks once more, so that a merge
// is judged before the database sees it.
import { levelOfCode } from '../../../lib/regions/codes.ts';
import { formatTime, TICKET_STATUSES, type DispatchMode, type Satisfaction, type TicketStatus } from './values.ts';

export interface StatusEvent {
  status: TicketStatus;
  /** null: the row gives no time for it (placed by historyOfRow). */
  at: Date | null;
}

/** The fields of a ticket, as a row gives them and as they are stored. */
export interface TicketFields {
  lineCode: string;
  platformId: string;
  channelCode: string | null;
  categoryCode: string | null;
  topic: string | null;
  regionCode: string;
  agencyId: string | null;
  dispatchMode: DispatchMode | null;
  receivedAt: Date;
  dispatchedAt: Date | null;
  dueAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  satisfaction: Satisfaction | null;
  callerName: string | null;
  callerPhone: string | null;
  text: string | null;
}

/** A ticket as stored: its fields and its status history (the status follows from the history). */
export interface TicketState extends TicketFields {
  /** Timed events, distinct by (status, at), in the order of `compareEvents`. */
  history: { status: TicketStatus; at: Date }[];
}

/**
 * The lifecycle order of statuses: which status is current when two events share a time (or a
 * row states its status without a time, see historyOfRow).
 */
export const STATUS_ORDER: readonly TicketStatus[] = ['RECEIVED', 'DISPATCHED', 'RETURNED', 'IN_PROGRESS', 'RESOLVED', 'REOPENED', 'CLOSED'];
const statusRank = (status: TicketStatus): number => STATUS_ORDER.indexOf(status);

const compareEvents = (a: { status: TicketStatus; at: Date }, b: { status: TicketStatus; at: Date }): number =>
  a.at.getTime() - b.at.getTime() || statusRank(a.status) - statusRank(b.status);

/** The current status: that of the latest event, the later in the lifecycle when two share the time. */
export function currentStatus(history: TicketState['history']): TicketStatus {
  return history.at(-1)?.status ?? 'RECEIVED';
}

/** The fields a row gives, with the history it tells; `status` is the status the row states. */
export interface TicketRow extends Omit<TicketState, 'history'> {
  status: TicketStatus | null;
  events: StatusEvent[];
}

/**
 * The history a row tells: its own times (received, dispatched, resolved, closed), its events,
 * and the status it states. An event without a time — a status column with no statusAt, a
 * statusHistory entry without one — is placed at the row's latest time: the export says the
 * ticket had that status by then, and nothing more (so it cannot overtake a later event, and
 * statuses without times follow the lifecycle). No clock enters: the same row always tells the
 * same history.
 */
export function historyOfRow(row: TicketRow): TicketState['history'] {
  const stated: StatusEvent[] = [
    { status: 'RECEIVED', at: row.receivedAt },
    ...(row.dispatchedAt ? [{ status: 'DISPATCHED' as const, at: row.dispatchedAt }] : []),
    ...(row.resolvedAt ? [{ status: 'RESOLVED' as const, at: row.resolvedAt }] : []),
    ...(row.closedAt ? [{ status: 'CLOSED' as const, at: row.closedAt }] : []),
    ...row.events,
  ];
  if (row.status !== null && !stated.some((e) => e.status === row.status)) stated.push({ status: row.status, at: null });
  const latest = new Date(Math.max(...stated.filter((e) => e.at !== null).map((e) => e.at!.getTime())));
  return unionHistory([], stated.map((e) => ({ status: e.status, at: e.at ?? latest })));
}

/** Events as a history: distinct by (status, at), in time order, the lifecycle breaking ties. */
export const orderedHistory = (events: TicketState['history']): TicketState['history'] => unionHistory([], events);

function unionHistory(a: TicketState['history'], b: TicketState['history']): TicketState['history'] {
  const byKey = new Map<string, { status: TicketStatus; at: Date }>();
  for (const e of [...a, ...b]) byKey.set(`${e.status}@${e.at.getTime()}`, e);
  return [...byKey.values()].sort(compareEvents);
}

export function stateOfRow(row: TicketRow): TicketState {
  return {
    lineCode: row.lineCode,
    platformId: row.platformId,
    channelCode: row.channelCode,
    categoryCode: row.categoryCode,
    topic: row.topic,
    regionCode: row.regionCode,
    agencyId: row.agencyId,
    dispatchMode: row.dispatchMode,
    receivedAt: row.receivedAt,
    dispatchedAt: row.dispatchedAt,
    dueAt: row.dueAt,
    resolvedAt: row.resolvedAt,
    closedAt: row.closedAt,
    satisfaction: row.satisfaction,
    callerName: row.callerName,
    callerPhone: row.callerPhone,
    text: row.text,
    history: historyOfRow(row),
  };
}

// --- the rule of each field: non-empty over empty, then the order below -----------------------

type Pick2<T> = (a: T, b: T) => T;
const present = <T>(choose: (a: T, b: T) => T): Pick2<T | null> => (a, b) => (a === null ? b : b === null ? a : choose(a, b));
const earlier: Pick2<Date | null> = present((a, b) => (a <= b ? a : b));
const later: Pick2<Date | null> = present((a, b) => (a >= b ? a : b));
/** No value says which is right: the smaller in code-point order, a fixed choice. */
const smaller: Pick2<string | null> = present((a, b) => (a <= b ? a : b));
/** Free text an export may have cut short: the longer one, then the smaller. */
const fuller: Pick2<string | null> = present((a, b) => (a.length !== b.length ? (a.length > b.length ? a : b) : a <= b ? a : b));
const byIds: Pick2<string | null> = present((a, b) => (BigInt(a) <= BigInt(b) ? a : b));
/** The more precise region (county over city over province), then the smaller code. */
const LEVEL_DEPTH = { PROVINCE: 0, CITY: 1, COUNTY: 2 } as const;
const preciserRegion = (a: string, b: string): string => {
  const depth = LEVEL_DEPTH[levelOfCode(a)] - LEVEL_DEPTH[levelOfCode(b)];
  return depth !== 0 ? (depth > 0 ? a : b) : a <= b ? a : b;
};
const SATISFACTION_PRECEDENCE: readonly Satisfaction[] = ['DISSATISFIED', 'BASICALLY_SATISFIED', 'SATISFIED'];
const worseRating: Pick2<Satisfaction | null> = present((a, b) => (SATISFACTION_PRECEDENCE.indexOf(a) <= SATISFACTION_PRECEDENCE.indexOf(b) ? a : b));
const referredFirst: Pick2<DispatchMode | null> = present((a, b) => (a === 'REFERRED' || b === 'REFERRED' ? 'REFERRED' : a));

/** The join of two states of the same ticket. */
export function mergeTickets(a: TicketState, b: TicketState): TicketState {
  return {
    lineCode: a.lineCode,
    platformId: a.platformId,
    channelCode: smaller(a.channelCode, b.channelCode),
    categoryCode: smaller(a.categoryCode, b.categoryCode),
    topic: fuller(a.topic, b.topic),
    regionCode: preciserRegion(a.regionCode, b.regionCode),
    agencyId: byIds(a.agencyId, b.agencyId),
    dispatchMode: referredFirst(a.dispatchMode, b.dispatchMode),
    // the clock of a ticket starts when it was first recorded, and was first handed on
    receivedAt: earlier(a.receivedAt, b.receivedAt)!,
    dispatchedAt: earlier(a.dispatchedAt, b.dispatchedAt),
    // a deadline is only ever extended; a ticket reopened is resolved and closed when it last was
    dueAt: later(a.dueAt, b.dueAt),
    resolvedAt: later(a.resolvedAt, b.resolvedAt),
    closedAt: later(a.closedAt, b.closedAt),
    // a dissatisfied caller is never hidden by a merge
    satisfaction: worseRating(a.satisfaction, b.satisfaction),
    callerName: smaller(a.callerName, b.callerName),
    callerPhone: smaller(a.callerPhone, b.callerPhone),
    text: fuller(a.text, b.text),
    history: unionHistory(a.history, b.history),
  };
}

/** A canonical text of a state: equal texts, equal tickets. */
export function stateKey(state: TicketState): string {
  return JSON.stringify(state, (_key, value: unknown) => (value instanceof Date ? value.getTime() : value));
}

// --- the database's checks, before the database sees the ticket --------------------------------

export interface CheckedFields {
  platformId: string;
  topic: string | null;
  regionCode: string;
  dispatchMode: string | null;
  satisfaction: string | null;
  receivedAt: Date;
  dueAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

/**
 * What hotline.ticket's checks require (and closedAt, which the import requires too), as the
 * reason a ticket breaks it, or null. Times are shown in the file's zone (minutes east of UTC).
 */
export function checkTicket(t: CheckedFields, zoneMinutes: number, history: TicketState['history'] = []): string | null {
  const time = (d: Date) => formatTime(d, zoneMinutes);
  if (t.platformId.length < 1 || t.platformId.length > 128) return 'platformId must have 1 to 128 characters';
  if (t.topic !== null && t.topic.length > 200) return 'topic longer than 200 characters';
  if (!/^[0-9]{6}$/.test(t.regionCode)) return `invalid regionCode '${t.regionCode}' (6-digit GB/T 2260 code)`;
  if (t.dispatchMode !== null && t.dispatchMode !== 'DIRECT' && t.dispatchMode !== 'REFERRED') return `unknown dispatchMode '${t.dispatchMode}'`;
  if (t.satisfaction !== null && !SATISFACTION_PRECEDENCE.includes(t.satisfaction as Satisfaction)) return `unknown satisfaction '${t.satisfaction}'`;
  if (t.resolvedAt && t.resolvedAt < t.receivedAt) return `resolvedAt ${time(t.resolvedAt)} is before receivedAt ${time(t.receivedAt)}`;
  if (t.dueAt && t.dueAt < t.receivedAt) return `dueAt ${time(t.dueAt)} is before receivedAt ${time(t.receivedAt)}`;
  if (t.closedAt && t.closedAt < t.receivedAt) return `closedAt ${time(t.closedAt)} is before receivedAt ${time(t.receivedAt)}`;
  const unknown = history.find((e) => !TICKET_STATUSES.includes(e.status));
  if (unknown) return `unknown status '${unknown.status}'`;
  return null;
}
