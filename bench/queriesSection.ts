// Sections 1–2 of bench/RESULTS.md (the province dashboard and the national overview against
// their SQL floor) and the goals they decide. The whole benchmark writes them with everything
// else; `npm run bench -- queries` measures only these and replaces them in place: the section
// between its markers, and the goal rows of the same names in the goals table.
import { writeFileSync } from 'node:fs';
import { resultsText, writeSection, type SectionMarkers } from './resultsSection.ts';
import { quantile } from './statistics.ts';

export const QUERIES_MARKERS: SectionMarkers = { start: '<!-- queries:start -->', end: '<!-- queries:end -->' };

export interface QueryRow {
  label: string;
  regions: number;
  hub: number[];
  floor: number[];
  fromTickets: number[];
  differences: string[];
}

export interface QueriesResult {
  dashboard: QueryRow;
  national: QueryRow;
  /** The province dashboard over a period the year rollup does not hold, and that period. */
  period: { times: number[]; label: string };
  runs: { fromTickets: number; national: number };
  rollupRefresh: { summary: string; seconds: number };
  /** When it was measured and on what (the subset's run says so in its section). */
  note?: string;
}

const median = (xs: number[]) => quantile(xs, 0.5);
const ms = (x: number) => `${x.toFixed(1)} ms`;
const stat = (xs: number[]) => `${ms(median(xs))} | ${ms(quantile(xs, 0.95))}`;
const ratioOf = (row: QueryRow) => median(row.hub) / median(row.floor);

/** Section 1–2, markers included. */
export function queriesSection(result: QueriesResult): string[] {
  const { dashboard, national, period, runs, rollupRefresh } = result;
  return [
    QUERIES_MARKERS.start,
    `## 1–2. Queries: gateway against the SQL floor`,
    '',
    ...(result.note ? [result.note, ''] : []),
    `The floor's hotline figures are read from the year rollup, as the hub reads them; "floor from tickets" is the`,
    `same statement aggregating every ticket of the year instead (${runs.fromTickets} runs; national ${runs.national}): what the rollup saves.`,
    `Year rollup before the runs: ${rollupRefresh.summary} (${rollupRefresh.seconds.toFixed(1)} s with process start).`,
    '',
    `| query | regions | gateway p50 | gateway p95 | SQL floor p50 | SQL floor p95 | ratio (p50) | floor from tickets p50 | p95 | numbers equal (gateway, floor, from tickets) |`,
    `|---|---|---|---|---|---|---|---|---|---|`,
    ...[dashboard, national].map(
      (r) =>
        `| ${r.label} | ${r.regions} | ${stat(r.hub)} | ${stat(r.floor)} | ${ratioOf(r).toFixed(2)}× | ${stat(r.fromTickets)} | ${r.differences.length === 0 ? 'yes' : `NO: ${r.differences.slice(0, 3).join('; ')}`} |`,
    ),
    `| Province dashboard, hotline(${period.label}) — from tickets | ${dashboard.regions} | ${stat(period.times)} | | | | | | |`,
    QUERIES_MARKERS.end,
  ];
}

/** The goals sections 1–2 decide, as rows of the goals table (goal, measured, met). */
export function queryGoalRows(result: QueriesResult): string[] {
  const { dashboard, national } = result;
  const ratio = ratioOf(dashboard);
  const natRatio = ratioOf(national);
  const met = (ok: boolean, miss: string) => (ok ? 'yes' : `no: ${miss}`);
  return [
    `| province dashboard p50 ≤ 100 ms | ${ms(median(dashboard.hub))} | ${median(dashboard.hub) <= 100 ? 'yes' : 'no'} |`,
    `| province dashboard within 3× the SQL floor | ${ratio.toFixed(2)}× | ${ratio <= 3 ? 'yes' : 'no'} |`,
    `| national overview p50 ≤ 300 ms | ${ms(median(national.hub))} (floor ${ms(median(national.floor))}, ${natRatio.toFixed(2)}×) | ${median(national.hub) <= 300 ? 'yes' : 'no'} |`,
    `| province dashboard within 2× the SQL floor (issue 17, cache miss) | ${ratio.toFixed(2)}× (${ms(median(dashboard.hub))} vs ${ms(median(dashboard.floor))}) | ${met(ratio <= 2, 'docs/performance.md, "Where a miss spends its time", says what would close it')} |`,
    `| national overview within 1.5× the SQL floor (issue 17, cache miss) | ${natRatio.toFixed(2)}× (${ms(median(national.hub))} vs ${ms(median(national.floor))}) | ${met(natRatio <= 1.5, 'docs/performance.md, "Where a miss spends its time", says what would close it')} |`,
  ];
}

const goalOf = (row: string): string => row.split('|')[1]?.trim() ?? '';

/** `npm run bench -- queries`: section 1–2 replaced, and its goal rows replaced (or added) in the goals table. */
export function writeQueriesSection(file: string, result: QueriesResult): void {
  writeSection(file, QUERIES_MARKERS, queriesSection(result).join('\n'));
  const lines = resultsText(file).split('\n');
  const goals = lines.indexOf('## Goals');
  if (goals < 0) return;
  const header = lines.indexOf('|---|---|---|', goals);
  if (header < 0) return;
  let end = header + 1;
  while (end < lines.length && lines[end]!.startsWith('|')) end++;
  const rows = lines.slice(header + 1, end);
  for (const row of queryGoalRows(result)) {
    const at = rows.findIndex((r) => goalOf(r) === goalOf(row));
    if (at >= 0) rows[at] = row;
    else rows.push(row);
  }
  lines.splice(header + 1, end - header - 1, ...rows);
  writeFileSync(file, lines.join('\n'));
}
