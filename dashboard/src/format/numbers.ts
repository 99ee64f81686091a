// Numbers and dates as Chinese readers expect them: 12,345 with grouping, rates as 85.3%,
// money in 元 (万元 from ten thousand), dates as 2024年3月5日 in China Standard Time.
const integer = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const date = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' });
const dateTime = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** What a missing value shows: the API's null (not reported, or no data to compute a rate). */
export const NO_VALUE = '—';

export const formatCount = (value: number | null | undefined): string => (value === null || value === undefined ? NO_VALUE : integer.format(value));
export const formatDecimal = (value: number | null | undefined): string => (value === null || value === undefined ? NO_VALUE : decimal.format(value));
/** A share from 0 to 1. */
export const formatRate = (value: number | null | undefined): string => (value === null || value === undefined ? NO_VALUE : percent.format(value));
export const formatYuan = (value: number | null | undefined): string => {
  if (value === null || value === undefined) return NO_VALUE;
  return Math.abs(value) >= 10_000 ? `${decimal.format(value / 10_000)}万元` : `${decimal.format(value)}元`;
};
/** An ISO date (2024-03-05) or timestamp. */
export const formatDate = (value: string | null | undefined): string => (value ? date.format(new Date(value.length === 10 ? `${value}T00:00:00+08:00` : value)) : NO_VALUE);
export const formatDateTime = (value: string | Date): string => dateTime.format(typeof value === 'string' ? new Date(value) : value);

/** The change against the year before, as +12.5% / −3.0%; null when either is missing or the base is 0. */
export function changeAgainst(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (current === null || current === undefined || previous === null || previous === undefined || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}
export const formatChange = (change: number | null): string => (change === null ? NO_VALUE : `${change >= 0 ? '+' : '−'}${percent.format(Math.abs(change))}`);
