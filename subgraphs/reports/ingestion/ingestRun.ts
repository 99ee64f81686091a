// reports.ingest_run: what each `gongkai ingest` run did to its documents, for /metrics
// (subgraphs/reports/metrics.ts). RUNNING until the last document (DONE) or a stop (FAILED:
// Ctrl-C, the database lost); a killed run stays RUNNING with the counts of what it stored.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import type { IngestedDocument } from './ingestDocument.ts';

export type DocumentOutcome = 'stored' | 'unchanged' | 'failed';

/** failed: unreadable or a report not stored; unchanged: every report as it was; stored: something new. */
export function outcomeOf(result: IngestedDocument): DocumentOutcome {
  if (result.unreadable !== null || result.reports.some((r) => r.outcome === 'FAILED')) return 'failed';
  if (!result.documentCreated && result.reports.every((r) => r.outcome === 'UNCHANGED')) return 'unchanged';
  return 'stored';
}

export async function startIngestRun(em: EntityManager, documents: number): Promise<string> {
  const [row] = await sql<{ id: string }>(em, `insert into reports.ingest_run (documents) values ($1) returning id::text as id`, [documents]);
  return row!.id;
}

/** In the document's transaction when it stored something, so the count commits with it. */
export async function countIngestedDocument(em: EntityManager, runId: string, outcome: DocumentOutcome): Promise<void> {
  // the column is one of three fixed names, never the caller's text
  const column = { stored: 'stored', unchanged: 'unchanged', failed: 'failed' }[outcome];
  await sql(em, `update reports.ingest_run set ${column} = ${column} + 1 where id = $1`, [runId]);
}

export async function finishIngestRun(em: EntityManager, runId: string, result: 'DONE' | 'FAILED'): Promise<void> {
  await sql(em, `update reports.ingest_run set result = $2, finished_at = now() where id = $1`, [runId, result]);
}
