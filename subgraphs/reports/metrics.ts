// The reports subgraph's own metrics: what ingestReportDocument made of each document (counted
// in this process, from its start), and what the tables hold, read when scraped (at most every
// 10 s). `gongkai ingest` runs as its own process: it counts its documents in reports.ingest_run,
// in the transaction that stores each, and a scrape sums them.
import type { MikroORM } from '@mikro-orm/postgresql';
import { sql } from '../../lib/database/sql.ts';
import { Counter, atMostEvery, type MetricsRegistry } from '../../lib/observability/metrics.ts';
import type { DocumentOutcome } from './ingestion/ingestRun.ts';

export const reportsIngested = new Counter(
  'gongkai_reports_ingested_total',
  'Reports read by ingestReportDocument since the subgraph started, by outcome: created, new_version, unchanged, failed (one report of a document), or for a document refused whole: unreadable, too_complex, busy',
  ['outcome'],
);

const TABLE_READ_MS = 10_000;

export function reportsMetrics(metrics: MetricsRegistry, orm: MikroORM): void {
  metrics.register(reportsIngested);
  const documents = metrics.gauge('gongkai_reports_documents', 'Report documents stored (each once, however often ingested)');
  const lastReceived = metrics.gauge('gongkai_reports_document_last_received_timestamp_seconds', 'When the newest stored report document was received (Unix time)');
  metrics.collect(
    atMostEvery(TABLE_READ_MS, async () => {
      const [row] = await sql<{ documents: number; last: number | null }>(
        orm.em.fork(),
        `select count(*)::int as documents, extract(epoch from max(received_at))::float8 as last from reports.document`,
      );
      documents.set({}, row?.documents ?? 0);
      if (row?.last != null) lastReceived.set({}, row.last);
    }),
  );
  const ingestDocuments = metrics.gauge(
    'gongkai_ingest_documents_total',
    'Documents of every gongkai ingest run by outcome (stored: something new; unchanged; failed: unreadable or a report not stored), summed over reports.ingest_run. It only grows, like a counter, but is typed gauge: it is read from the database at scrape time, and this registry\'s counters can only be incremented in the process',
    ['outcome'],
  );
  metrics.collect(
    atMostEvery(TABLE_READ_MS, async () => {
      // one row per run of the command: a small table
      const [row] = await sql<Record<DocumentOutcome, number>>(
        orm.em.fork(),
        `select coalesce(sum(stored), 0)::float8 as stored, coalesce(sum(unchanged), 0)::float8 as unchanged, coalesce(sum(failed), 0)::float8 as failed from reports.ingest_run`,
      );
      if (!row) return;
      for (const outcome of ['stored', 'unchanged', 'failed'] as const) ingestDocuments.set({ outcome }, row[outcome]);
    }),
  );
}
