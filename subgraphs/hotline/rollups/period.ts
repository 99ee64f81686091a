// The period of a rollup, ranking or ticket list: `year`, or `from` and `to` (calendar days,
// both included), in China Standard Time: 2024-12-31 23:30 +08 belongs to 2024.
import { invalidArgument } from '../../../lib/graphql/errors.ts';
import { yearArgument } from '../../../lib/graphql/arguments.ts';

export interface PeriodArgs {
  year?: number | null;
  from?: unknown;
  to?: unknown;
}

export interface Period {
  /** YYYY-MM-DD, both included. */
  from: string;
  to: string;
  /** The instants bounding the period: [start, end). */
  start: string;
  end: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dateArgument(argument: string, value: unknown): string {
  const m = typeof value === 'string' ? DATE.exec(value.trim()) : null;
  const bad = () => invalidArgument(argument, `${argument} must be a date written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  if (!m) throw bad();
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) throw bad();
  yearArgument(argument, Number(y));
  return `${y}-${mo}-${d}`;
}

const nextDay = (day: string): string => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
};

export function periodArguments(args: PeriodArgs): Period {
  const hasRange = args.from != null || args.to != null;
  if (args.year != null) {
    if (hasRange) throw invalidArgument('year', 'give either year or from and to, not both');
    const year = yearArgument('year', args.year)!;
    return period(`${year}-01-01`, `${year}-12-31`);
  }
  if (!hasRange) throw invalidArgument('year', 'give a year, or from and to');
  if (args.from == null) throw invalidArgument('from', 'from is needed with to');
  if (args.to == null) throw invalidArgument('to', 'to is needed with from');
  const from = dateArgument('from', args.from);
  const to = dateArgument('to', args.to);
  if (from > to) throw invalidArgument('to', `to (${to}) is before from (${from})`);
  return period(from, to);
}

function period(from: string, to: string): Period {
  return { from, to, start: `${from}T00:00:00+08:00`, end: `${nextDay(to)}T00:00:00+08:00` };
}
