// Parsing of the values a ticket export carries: times, statuses, satisfaction, dispatch mode,
// and the table-driven codes (lines, categories, channels) matched by code, name or alias.

export const TICKET_STATUSES = ['RECEIVED', 'DISPATCHED', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'RETURNED', 'REOPENED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type Satisfaction = 'SATISFIED' | 'BASICALLY_SATISFIED' | 'DISSATISFIED';
export type DispatchMode = 'DIRECT' | 'REFERRED';

const fold = (value: string): string => value.trim().toLowerCase().replace(/[\s_-]+/g, '_');

function table<T extends string>(entries: Record<T, readonly string[]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [value, labels] of Object.entries(entries) as [T, readonly string[]][]) {
    map.set(fold(value), value);
    for (const label of labels) map.set(fold(label), value);
  }
  return map;
}

const STATUS_LABELS = table<TicketStatus>({
  RECEIVED: ['已受理', '受理', '待派单', '新建', '待处理'],
  DISPATCHED: ['已派单', '已转办', '已交办', '派单', '转办', '已派发'],
  IN_PROGRESS: ['in progress', 'inprogress', '办理中', '处理中', '已签收', '签收', '办理'],
  RESOLVED: ['已办结', '办结', '已处理', '已答复', '已办理'],
  CLOSED: ['已归档', '归档', '已关闭', '关闭', '结案', '已结案'],
  RETURNED: ['退回', '已退回', '回退', '退单'],
  REOPENED: ['重办', '重新办理', '已重启', '重启'],
});

const SATISFACTION_LABELS = table<Satisfaction>({
  SATISFIED: ['满意', '非常满意'],
  BASICALLY_SATISFIED: ['基本满意', 'basically satisfied', '比较满意', '较满意'],
  DISSATISFIED: ['不满意', '非常不满意'],
});
/** Values that say "no callback rating" rather than being unknown. */
const NOT_RATED = new Set(['未回访', '无', '未评价', '无法联系', '-', 'none', 'null', 'n/a']);

const DISPATCH_LABELS = table<DispatchMode>({
  DIRECT: ['直办', '直接办理', '即时办结', '直接答复'],
  REFERRED: ['转办', '派单', '交办', '转派', '转办派单'],
});

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

export function parseStatus(raw: string, field = 'status'): Parsed<TicketStatus> {
  const value = STATUS_LABELS.get(fold(raw));
  return value ? ok(value) : fail(`unknown ${field} '${raw}' (${TICKET_STATUSES.join(', ')} or 已受理, 已派单, 办理中, 已办结, 已归档, 退回, 重办)`);
}

export function parseSatisfaction(raw: string): Parsed<Satisfaction | null> {
  if (NOT_RATED.has(fold(raw))) return ok(null);
  const value = SATISFACTION_LABELS.get(fold(raw));
  return value ? ok(value) : fail(`unknown satisfaction '${raw}' (满意, 基本满意, 不满意)`);
}

export function parseDispatchMode(raw: string): Parsed<DispatchMode> {
  const value = DISPATCH_LABELS.get(fold(raw));
  return value ? ok(value) : fail(`unknown dispatchMode '${raw}' (直办 or 转办)`);
}

/** A reference table (hotline.line, .category, .channel) as a lookup by code, name or alias. */
export class CodeTable {
  readonly kind: string;
  private readonly byLabel = new Map<string, string>();
  readonly codes: string[] = [];

  constructor(kind: string, rows: readonly { code: string; name: string; aliases: readonly string[] }[]) {
    this.kind = kind;
    for (const row of rows) {
      this.codes.push(row.code);
      for (const label of [row.code, row.name, ...row.aliases]) {
        if (!this.byLabel.has(fold(label))) this.byLabel.set(fold(label), row.code);
      }
    }
  }

  parse(raw: string): Parsed<string> {
    const code = this.byLabel.get(fold(raw));
    return code ? ok(code) : fail(`unknown ${this.kind} '${raw}' (${this.codes.join(', ')})`);
  }
}

const TIME =
  /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s]+(\d{1,2})[:时](\d{2})(?:[:分](\d{2})(?:[.,](\d{1,9}))?秒?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** China Standard Time, the zone of a file that names none: minutes east of UTC. */
export const CHINA_STANDARD_TIME = 8 * 60;

/** A zone as `--zone` takes it: `+08:00`, `-0500`, `Z`; minutes east of UTC, or null. */
export function parseZone(raw: string): number | null {
  const m = /^(?:(Z)|([+-])(\d{2}):?(\d{2}))$/i.exec(raw.trim());
  if (!m) return null;
  if (m[1]) return 0;
  const minutes = Number(m[3]) * 60 + Number(m[4]);
  return Number(m[3]) > 14 || Number(m[4]) > 59 ? null : (m[2] === '-' ? -1 : 1) * minutes;
}

/** A time as a person in the file's zone reads it: `2024-03-01 10:20:30+08:00`. */
export function formatTime(date: Date, zoneMinutes = CHINA_STANDARD_TIME): string {
  const local = new Date(date.getTime() + zoneMinutes * 60_000).toISOString();
  const sign = zoneMinutes < 0 ? '-' : '+';
  const abs = Math.abs(zoneMinutes);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local.slice(0, 10)} ${local.slice(11, 19)}${local.slice(19, 23) === '.000' ? '' : local.slice(19, 23)}${zone}`;
}

/**
 * A point in time as platforms write it: ISO 8601, "2024-03-01 10:20:30", "2024/3/1 10:20",
 * "2024年3月1日 10:20:30", or a date alone. Without an offset it is in `zoneMinutes` (China
 * Standard Time unless the import names another zone). A date alone is the start of that day,
 * or with `endOfDay` (due dates) its last second. JSON numbers are epoch seconds or milliseconds.
 */
export function parseTime(raw: unknown, options: { endOfDay?: boolean; zoneMinutes?: number } = {}): Parsed<Date> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw <= 0) return fail(`unparseable date ${raw}`);
    return ok(new Date(raw > 1e11 ? raw : raw * 1000));
  }
  const text = String(raw).trim();
  const m = TIME.exec(text);
  if (!m) return fail(`unparseable date '${text}'`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hasTime = h !== undefined;
  const hour = hasTime ? Number(h) : options.endOfDay ? 23 : 0;
  const minute = hasTime ? Number(mi) : options.endOfDay ? 59 : 0;
  const second = s !== undefined ? Number(s) : !hasTime && options.endOfDay ? 59 : 0;
  const millis = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1949 || year > 2100 || month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return fail(`unparseable date '${text}' (no such date or time)`);
  }
  let offsetMinutes = options.zoneMinutes ?? CHINA_STANDARD_TIME;
  if (zone === 'Z') offsetMinutes = 0;
  else if (zone) {
    const digits = zone.replace(':', '');
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return ok(new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000));
}
