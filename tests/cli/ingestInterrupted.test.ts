// `gongkai ingest` stopped every way it can be — kill -9 inside a document, its database
// connections cut, Ctrl-C — and run again ends with the same rows as a run that was never
// stopped. Each document is one transaction: a stopped one leaves nothing, and running again
// stores it; the documents already stored are UNCHANGED. The test stops the process at chosen
// points by holding locks the ingest must wait for, not by timing.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliRun } from '../support/cli.ts';
import { createTestDatabase } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { fixturesDir } from '../support/goldReports.ts';
import { openSubgraphDatabase } from '../../lib/database/orm.ts';
import { MetricsRegistry } from '../../lib/observability/metrics.ts';
import { reportsSubgraph } from '../../subgraphs/reports/subgraph.ts';
import { reportsMetrics } from '../../subgraphs/reports/metrics.ts';

// The seed reports' texts, read where they live; in this order: 000, 001, 002 (four reports),
// 003 (its report names no region: it fails), 004, huaian-hongzequ-2023, -2024, huaian-shi-2024, suqian…
const documents = readdirSync(fixturesDir)
  .filter((name) => name.endsWith('.txt'))
  .sort()
  .map((name) => join(fixturesDir, name));

let reference: string;
let interrupted: string;
const clients: pg.Client[] = [];

beforeAll(async () => {
  [reference, interrupted] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.end().catch(() => {})));
});

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}

const ingest = (url: string, ...extra: string[]) => startCli(['ingest', ...documents, ...extra], { DATABASE_URL: url });

/**
 * An uncommitted row with the document's hash: the ingest, inserting the same document, waits
 * for this transaction at its first statement for that document.
 */
async function holdDocument(url: string, file: string): Promise<pg.Client> {
  const client = await connect(url);
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  await client.query('begin');
  await client.query(`insert into reports.document (sha256, file_name, media_type, byte_size, content, text) values ($1, 'held by the test', 'text/plain', 0, '', null)`, [sha256]);
  return client;
}

/** Waits until the ingest waits, in `statement`, for a lock the test holds (pg_stat_activity). */
async function waitingIngest(test: pg.Client, statement: RegExp): Promise<void> {
  const waiting = await eventually(
    async () => {
      const { rows } = await test.query<{ query: string }>(`select query from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
      return rows.filter((row) => statement.test(row.query));
    },
    (rows) => rows.length > 0,
    90_000,
  );
  expect(waiting, `the ingest never waited in ${statement}`).not.toHaveLength(0);
}

/** Ends a client the test used to hold a lock (and that must not be cut with the ingest's). */
async function release(client: pg.Client): Promise<void> {
  await client.query('rollback');
  await client.end();
  clients.splice(clients.indexOf(client), 1);
}

const count = async (client: pg.Client, sql: string): Promise<number> => Number((await client.query(sql)).rows[0].n);

/**
 * Every row of the reports schema (and the agencies the directory has), with what legitimately
 * differs between two databases replaced: serial ids by what they stand for (a document by its
 * hash, a report by agency, year and version, an agency by name and region), timestamps by
 * whether they are set.
 */
async function dump(url: string): Promise<Record<string, string[]>> {
  const client = await connect(url);
  const agencies = new Map((await client.query(`select id, name || '|' || region_code as key from directory.agency`)).rows.map((r) => [r.id, r.key]));
  const documentKeys = new Map((await client.query(`select id, sha256 from reports.document`)).rows.map((r) => [r.id, r.sha256]));
  const reportKeys = new Map(
    (await client.query(`select id, agency_id, year, version from reports.annual_report`)).rows.map((r) => [r.id, `${agencies.get(r.agency_id)}|${r.year}|v${r.version}`]),
  );
  const normalise = (value: unknown, key = ''): unknown => {
    if (key === 'id') return undefined;
    if (key.endsWith('_at')) return value !== null;
    if (key === 'report_id' || /ReportId$/.test(key)) return reportKeys.get(value) ?? value;
    if (key === 'document_id') return value === null ? null : documentKeys.get(value);
    if (key === 'agency_id') return agencies.get(value);
    if (Array.isArray(value)) return value.map((item) => normalise(item));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, k)]).filter(([, v]) => v !== undefined));
    }
    return value;
  };
  // not reports.ingest_run: one row per run of the command, and the two databases saw different runs
  const tables = (
    await client.query(`select table_name from information_schema.tables where table_schema = 'reports' and table_type = 'BASE TABLE' and table_name <> 'ingest_run' order by 1`)
  ).rows.map((r) => r.table_name as string);
  expect(tables).toEqual(expect.arrayContaining(['annual_report', 'document', 'figure', 'flag']));
  const dumped: Record<string, string[]> = {};
  for (const table of [...tables.map((t) => `reports.${t}`), 'directory.agency']) {
    const { rows } = await client.query(`select to_jsonb(t) as row from ${table} t`);
    dumped[table] = rows.map((r) => JSON.stringify(normalise(r.row))).sort();
  }
  return dumped;
}

const lastLine = (text: string) => text.trim().split('\n').at(-1);

/** The runs of `gongkai ingest` recorded in reports.ingest_run, oldest first. */
const runs = async (client: pg.Client) =>
  (await client.query(`select result, documents, stored, unchanged, failed, finished_at is not null as finished from reports.ingest_run order by id`)).rows;

describe('gongkai ingest stopped and run again', () => {
  it('ends with the same rows as a run never stopped', { timeout: 300_000 }, async () => {
    const uninterrupted = ingest(reference, '--json');
    const test = await connect(interrupted);

    // 1. kill -9 inside 002: its first report's agency registered, the document and the report
    //    written but not committed, waiting to write the report's figures.
    const held = await holdDocument(interrupted, documents[2]!);
    const first = ingest(interrupted);
    await waitingIngest(test, /insert into reports\.document/);
    const figures = await connect(interrupted);
    await figures.query('begin');
    await figures.query('lock table reports.figure in share mode');
    await release(held);
    await waitingIngest(test, /insert into reports\.figure/);
    first.child.kill('SIGKILL');
    expect((await first.result).signal).toBe('SIGKILL');
    await release(figures);
    expect(await count(test, `select count(*) as n from reports.document`)).toBe(2);
    // the killed run: RUNNING, with the two documents it committed
    expect(await runs(test)).toEqual([{ result: 'RUNNING', documents: 9, stored: 2, unchanged: 0, failed: 0, finished: false }]);

    // 2. its database connections cut while it waits in 004: the run stops there and says so.
    const heldAgain = await holdDocument(interrupted, documents[4]!);
    const second = ingest(interrupted);
    await waitingIngest(test, /insert into reports\.document/);
    const ours = clients.map((client) => (client as unknown as { processID: number }).processID);
    const { rows } = await test.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and backend_type = 'client backend' and pid <> all($1::int[])`,
      [ours],
    );
    expect(rows.length).toBeGreaterThan(0);
    await release(heldAgain);
    const cut: CliRun = await second.result;
    expect(cut.status, cut.stderr).toBe(1);
    expect(lastLine(cut.stdout)).toBe('documents 4 (unreadable 0); reports new 4, updated 0, unchanged 2, failed 1');
    expect(lastLine(cut.stderr)).toMatch(/^gongkai: the database became unreachable during the run: 4 of 9 documents .* \(DATABASE_UNAVAILABLE\)$/);
    expect(cut.stderr).not.toMatch(/^\s+at \S+/m);

    // 3. Ctrl-C while it waits in huaian-hongzequ-2024: that document is finished, then the run stops.
    const heldLast = await holdDocument(interrupted, documents[6]!);
    const third = ingest(interrupted, '--json');
    await waitingIngest(test, /insert into reports\.document/);
    third.child.kill('SIGINT');
    const noted = await eventually(async () => third.output().stderr, (stderr) => stderr.includes('stopping after the document in hand'));
    expect(noted).toContain('stopping after the document in hand');
    await release(heldLast);
    const stopped = await third.result;
    expect(stopped.status, stopped.stderr).toBe(1);
    const summary = JSON.parse(stopped.stdout);
    expect(summary).toMatchObject({ ok: false, exitCode: 1, error: { code: 'INTERRUPTED' }, summary: { documents: 9, stored: 6, failed: 1, notStarted: 2 } });
    expect(summary.documents.map((d: { fileName: string }) => d.fileName)).toEqual(documents.slice(0, 7));
    expect(lastLine(stopped.stderr)).toMatch(/^gongkai: interrupted: 7 of 9 documents .* \(INTERRUPTED\)$/);

    // 4. run again to the end
    const last = await ingest(interrupted).result;
    expect(last.status, last.stderr).toBe(1);
    expect(lastLine(last.stdout)).toBe('documents 9 (unreadable 0); reports new 2, updated 0, unchanged 9, failed 1');

    // each run's documents as the summaries gave them; the run cut from its database ends FAILED
    // if it could still say so, else stays RUNNING
    const recorded = await runs(test);
    expect(['FAILED', 'RUNNING']).toContain(recorded[1].result);
    expect(recorded.map(({ result: _, finished: __, ...counts }) => counts)).toEqual([
      { documents: 9, stored: 2, unchanged: 0, failed: 0 },
      { documents: 9, stored: 1, unchanged: 2, failed: 1 },
      { documents: 9, stored: 3, unchanged: 3, failed: 1 },
      { documents: 9, stored: 2, unchanged: 6, failed: 1 },
    ]);
    expect(recorded[2]).toMatchObject({ result: 'FAILED', finished: true });
    expect(recorded[2].stored + recorded[2].unchanged).toBe(summary.summary.stored);
    expect(recorded[3]).toMatchObject({ result: 'DONE', finished: true });
    // and the reports subgraph's /metrics sums them
    const orm = await openSubgraphDatabase({ url: interrupted, schema: reportsSubgraph.name, entities: reportsSubgraph.entities, migrations: reportsSubgraph.migrations });
    try {
      const registry = new MetricsRegistry({ service: 'reports' });
      reportsMetrics(registry, orm);
      const exposition = await registry.render();
      for (const [outcome, documents] of [['stored', 8], ['unchanged', 11], ['failed', 3]] as const) {
        expect(exposition).toContain(`gongkai_ingest_documents_total{service="reports",outcome="${outcome}"} ${documents}\n`);
      }
    } finally {
      await orm.close();
    }

    const whole = await uninterrupted.result;
    expect(whole.status, whole.stderr).toBe(1);
    expect(JSON.parse(whole.stdout).summary).toMatchObject({ documents: 9, stored: 8, failed: 1, failedDocuments: [documents[3]] });
    expect(await runs(await connect(reference))).toEqual([{ result: 'DONE', documents: 9, stored: 8, unchanged: 0, failed: 1, finished: true }]);
    const [expected, actual] = [await dump(reference), await dump(interrupted)];
    expect(expected['reports.annual_report']).toHaveLength(11);
    expect(actual).toEqual(expected);
  });
});
