// The hotline subgraph's own metrics, read from its tables when scraped (at most every 10 s).
// Imports run as their own processes (`gongkai hotline import`): each records its counts in
// hotline.import_run in the transactions that store its rows, which a scrape sums. A count of
// millions of tickets would scan the table: the planner's estimate is shown instead.
import type { MikroORM } from '@mikro-orm/postgresql';
import { sql } from '../../lib/database/sql.ts';
import { atMostEvery, type MetricsRegistry } from '../../lib/observability/metrics.ts';

const TABLE_READ_MS = 10_000;

const OUTCOMES = ['inserted', 'updated', 'unchanged', 'rejected'] as const;
const RESULTS = ['RUNNING', 'DONE', 'FAILED'] as const;

// One row per imported file: a few thousand rows after years, summed in one statement.
const IMPORT_RUNS = `
  select coalesce(sum(inserted), 0)::float8 as inserted, coalesce(sum(updated), 0)::float8 as updated,
         coalesce(sum(unchanged), 0)::float8 as unchanged, coalesce(sum(rejected), 0)::float8 as rejected,
         count(*) filter (where result = 'RUNNING')::float8 as "RUNNING",
         count(*) filter (where result = 'DONE')::float8 as "DONE",
         count(*) filter (where result = 'FAILED')::float8 as "FAILED",
         extract(epoch from max(finished_at))::float8 as last_finished
    from hotline.import_run`;

type ImportRunRow = Record<(typeof OUTCOMES)[number] | (typeof RESULTS)[number], number> & { last_finished: number | null };

export function hotlineMetrics(metrics: MetricsRegistry, orm: MikroORM): void {
  const tickets = metrics.gauge('gongkai_hotline_tickets_estimate', 'Tickets stored, as Postgres estimates them (pg_class.reltuples, kept current by autovacuum and ANALYZE)');
  const importRows = metrics.gauge(
    'gongkai_hotline_import_rows_total',
    'Rows of every hotline import by outcome (inserted, updated, unchanged, rejected), summed over hotline.import_run. It only grows, like a counter, but is typed gauge: it is read from the database at scrape time, and this registry\'s counters can only be incremented in the process',
    ['outcome'],
  );
  const importRuns = metrics.gauge('gongkai_hotline_import_runs', 'Imported files by result: RUNNING (in progress, or killed), DONE, FAILED (could not be finished)', ['result']);
  const lastImport = metrics.gauge('gongkai_hotline_last_import_finished_timestamp_seconds', 'When the last hotline import of a file finished (DONE or FAILED), in Unix seconds; absent before the first');
  metrics.collect(
    atMostEvery(TABLE_READ_MS, async () => {
      const [row] = await sql<{ estimate: number }>(orm.em.fork(), `select reltuples::float8 as estimate from pg_class where oid = 'hotline.ticket'::regclass`);
      // -1: never analysed yet, no estimate
      if (row && row.estimate >= 0) tickets.set({}, row.estimate);
    }),
  );
  metrics.collect(
    atMostEvery(TABLE_READ_MS, async () => {
      const [runs] = await sql<ImportRunRow>(orm.em.fork(), IMPORT_RUNS);
      if (!runs) return;
      for (const outcome of OUTCOMES) importRows.set({ outcome }, runs[outcome]);
      for (const result of RESULTS) importRuns.set({ result }, runs[result]);
      if (runs.last_finished !== null) lastImport.set({}, runs.last_finished);
    }),
  );
}
