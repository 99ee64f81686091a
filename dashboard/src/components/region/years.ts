// Which statistical years a view asks for. Region.disclosureTrend counts every expected filer as
// missing in a year nobody filed, and proving each one missing is a probe per agency, so a year
// without reports is the trend's dearest year: ask for the years that can hold reports, and on the
// way down for no more than the parent's subtree held (a child's reports are among its parent's).

/** As the API's RegionLevel (spelled here so that this module imports nothing: tests/dashboard reads it). */
type RegionLevel = 'PROVINCE' | 'CITY' | 'COUNTY';

/** 《政府信息公开条例》 took effect on 1 May 2008: no annual report covers an earlier year. */
export const FIRST_REPORT_YEAR = 2008;
/** Region.disclosureTrend answers at most 30 years. */
const MAX_TREND_YEARS = 30;

/** The last statistical year that can have reports: the year before the current one in China. */
export function lastStatisticalYear(now = new Date()): number {
  const chinaYear = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));
  return chinaYear - 1;
}

export interface YearWindow {
  from: number;
  to: number;
}

export function fullWindow(): YearWindow {
  const to = lastStatisticalYear();
  return { from: Math.max(FIRST_REPORT_YEAR, to - MAX_TREND_YEARS + 1), to };
}

/** The first and last years of a trend with filed reports; null when none has any. */
export function heldRange(trend: readonly { year: number; filed: number }[]): YearWindow | null {
  const held = trend.filter((entry) => entry.filed > 0).map((entry) => entry.year);
  return held.length === 0 ? null : { from: Math.min(...held), to: Math.max(...held) };
}

/** The code prefix of a region's subtree: 43 for 湖南省, 4301 for 长沙市, the code for a county. */
export function subtreePrefix(code: string, level: RegionLevel): string {
  return level === 'PROVINCE' ? code.slice(0, 2) : level === 'CITY' ? code.slice(0, 4) : code;
}

interface HeldYears {
  code: string;
  prefix: string;
  held: YearWindow | null;
  /** The window the region's own trend was asked for. */
  asked: YearWindow;
}
/** The years held by the subtrees seen lately (the page's memory; a reload forgets it). */
const seen: HeldYears[] = [];

export function rememberHeld(code: string, level: RegionLevel, held: YearWindow | null, asked: YearWindow): void {
  const prefix = subtreePrefix(code, level);
  const index = seen.findIndex((entry) => entry.prefix === prefix);
  if (index >= 0) seen.splice(index, 1);
  seen.unshift({ code, prefix, held, asked });
  seen.length = Math.min(seen.length, 20);
}

/**
 * The years to ask a region's trend for: the years held by the nearest subtree seen that contains
 * it (each code's prefix is its ancestry), widened to the year shown and the one before it (the
 * KPIs' change); all years that can hold reports when no such subtree was seen. A region seen
 * before gets the window it had (the same request, which may still be kept: recent.ts).
 */
export function trendWindow(code: string, year: number | null): YearWindow {
  const itself = seen.find((entry) => entry.code === code);
  if (itself && (year === null || (itself.asked.from <= year - 1 && itself.asked.to >= year))) return itself.asked;
  const around = seen
    .filter((entry) => code.startsWith(entry.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  if (!around) return fullWindow();
  const held = around.held ?? { from: year ?? lastStatisticalYear(), to: year ?? lastStatisticalYear() };
  const from = Math.min(held.from, year === null ? held.from : year - 1);
  const to = Math.max(held.to, year ?? held.to, from);
  return { from: Math.max(from, to - MAX_TREND_YEARS + 1), to };
}

/** ?year=2024 as a statistical year, or null when absent or not a year the API takes. */
export function parseYear(value: unknown): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || !/^\d{4}$/.test(text)) return null;
  const year = Number(text);
  return year >= 1949 && year <= 2100 ? year : null;
}
