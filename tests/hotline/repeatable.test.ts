// `gongkai hotline import` is repeatable and order-independent: the same file twice, its rows
// shuffled, or an import killed mid-run and run again all end in the same tables and the same
// rejects (issue 14).
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase } from '../support/database.ts';
import { projectRoot } from '../support/cli.ts';
import { hotlineSubgraph } from '../../subgraphs/hotline/subgraph.ts';
import { hotlineMetrics } from '../../subgraphs/hotline/metrics.ts';
import { MetricsRegistry } from '../../lib/observability/metrics.ts';
import { importFiles, type ImportSummary } from '../../subgraphs/hotline/import/importTickets.ts';
import { CsvParser } from '../../subgraphs/hotline/import/csv.ts';
import { decryptPersonal } from '../../subgraphs/hotline/personalData/crypto.ts';
import { seededRandom } from '../../lib/random.ts';
import { csvField, loadSampleDirectory, openOrm, query, tempDir, useTestKey } from './support.ts';

let url: string;
let em: () => EntityManager;
let orm: MikroORM;
let dir: string;
let counties: string[];
let agencies: string[];

beforeAll(async () => {
  useTestKey();
  url = await createTestDatabase();
  await loadSampleDirectory(url);
  orm = (await openOrm(url, hotlineSubgraph)) as MikroORM;
  em = () => orm.em.fork() as EntityManager;
  dir = tempDir();
  counties = (await query<{ code: string }>(url, `select code from directory.region where level = 'COUNTY' and left(code, 2) = '32' order by code limit 40`)).map((r) => r.code);
  agencies = (await query<{ id: string }>(url, `select id::text as id from directory.agency where active_to is null and left(region_code, 2) = '32' order by id limit 40`)).map((r) => r.id);
});

const HEADER = ['platformId', 'line', 'category', 'regionCode', 'agencyId', 'dispatchMode', 'receivedAt', 'dispatchedAt', 'dueAt', 'resolvedAt', 'status', 'statusAt', 'satisfaction', 'callerName', 'text'];
type Row = Partial<Record<(typeof HEADER)[number], string>>;

/** Local time in +08:00, as platforms write it. */
const stamp = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Rows of `tickets` tickets, most of them in several rows that disagree: later receipts with an
 * empty resolvedAt (the row that broke ticket_check1), statuses with and without times,
 * different categories, agencies, regions, ratings and callers; and rows that must be rejected.
 */
function generateRows(tickets: number, seed: number): string[][] {
  const random = seededRandom(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const rows: Row[] = [];
  for (let k = 0; k < tickets; k++) {
    const t0 = Date.UTC(2024, 0, 1) + Math.floor(random() * 600) * 86_400_000 + Math.floor(random() * 1440) * 60_000;
    const base: Row = { platformId: `R-${k}`, line: k % 4 === 0 ? '12315' : '12345', regionCode: counties[k % counties.length]!, receivedAt: stamp(t0) };
    const h = (hours: number) => stamp(t0 + hours * 3_600_000);
    rows.push({ ...base, category: pick(['咨询', '投诉', '求助']), agencyId: pick(agencies), dispatchMode: '转办', dispatchedAt: h(1), dueAt: h(120).slice(0, 10), status: '已派单', callerName: `caller ${k}`, text: `ticket ${k}` });
    if (k % 5 !== 4) rows.push({ ...base, resolvedAt: h(2), status: '已办结', satisfaction: pick(['满意', '基本满意', '']) });
    if (k % 3 === 0) {
      // a later export that knows of no resolution and gives a later receipt
      rows.push({ ...base, receivedAt: h(5), resolvedAt: '', status: pick(['办理中', '退回', '']), category: pick(['建议', '举报']) });
    }
    if (k % 4 === 1) {
      rows.push({
        ...base,
        regionCode: `${base.regionCode!.slice(0, 4)}00`,
        agencyId: pick(agencies),
        dispatchMode: '直办',
        resolvedAt: h(48),
        dueAt: h(72),
        status: '重办',
        statusAt: h(50),
        satisfaction: '不满意',
        callerName: `caller ${k} (b)`,
        text: `ticket ${k}, told again at length`,
      });
    }
    if (k % 7 === 0) rows.push({ ...base }); // the bare minimum, again
  }
  const cells = rows.map((row) => HEADER.map((column) => row[column] ?? ''));
  // rows that are rejected whatever their order, for reasons of their own
  const bad = [
    { platformId: 'BAD-1', line: '12345', regionCode: '329999', receivedAt: '2024-03-01 10:00' },
    { platformId: 'BAD-2', line: '12345', regionCode: counties[0]!, receivedAt: '2024-03-01 10:00', resolvedAt: '2024-03-01 09:00' },
    { platformId: 'BAD-3', line: '12345', regionCode: counties[0]!, receivedAt: '2024-02-30 10:00' },
    { platformId: 'R-1', line: '12345', regionCode: counties[1]!, receivedAt: '2024-03-01 10:00', status: '不知道' },
  ].map((row: Row) => HEADER.map((column) => row[column] ?? ''));
  const short = ['R-2', '12345', '投诉'];
  const long = [...cells[0]!, 'extra'];
  return [...cells, ...bad, short, long];
}

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function writeCsv(path: string, rows: readonly string[][]): string {
  writeFileSync(path, `${[HEADER, ...rows].map((row) => row.map(csvField).join(',')).join('\n')}\n`);
  return path;
}

/**
 * Every ticket and status event of the hotline schema, personal data decrypted, ids left out;
 * not hotline.import_run, which records each import (one more row every time) and not the tickets.
 */
async function dumpTickets(): Promise<string> {
  const tickets = await query<Record<string, unknown>>(
    url,
    `select line_code, platform_id, channel_code, category_code, topic, region_code, agency_id::text as agency_id, dispatch_mode,
            received_at, dispatched_at, due_at, resolved_at, closed_at, status, satisfaction, data_origin,
            encode(caller_phone_mac, 'hex') as caller_phone_mac, encode(row_digest, 'hex') as row_digest,
            caller_name_enc, caller_phone_enc, content_enc
       from hotline.ticket order by line_code, platform_id`,
  );
  const events = await query(
    url,
    `select t.line_code, t.platform_id, h.status, h.at, h.source
       from hotline.ticket_status_change h join hotline.ticket t on t.id = h.ticket_id
      order by t.line_code, t.platform_id, h.at, h.status`,
  );
  const clear = tickets.map(({ caller_name_enc, caller_phone_enc, content_enc, ...t }) => ({
    ...t,
    caller_name: decryptPersonal('caller_name', caller_name_enc as Buffer | null),
    caller_phone: decryptPersonal('caller_phone', caller_phone_enc as Buffer | null),
    content: decryptPersonal('content', content_enc as Buffer | null),
  }));
  return JSON.stringify({ tickets: clear, events }, null, 1);
}

/** The rejects file as a sorted list of (row, reason): line numbers differ when rows move. */
function rejectsOf(summary: ImportSummary): string[] {
  const parser = new CsvParser();
  const [header, ...records] = [...parser.push(readFileSync(summary.rejectsFile!, 'utf8')), ...parser.end()];
  const lineColumn = header!.fields.indexOf('_line');
  expect(lineColumn).toBe(HEADER.length);
  expect(header!.fields[lineColumn + 1]).toBe('_reason');
  return records
    .map((r) => {
      expect(r.fields[lineColumn]).toMatch(/^[0-9]+$/);
      return JSON.stringify([...r.fields.slice(0, lineColumn), ...r.fields.slice(lineColumn + 1)]);
    })
    .sort();
}

const emptyHotline = () => query(url, `truncate hotline.ticket restart identity cascade`);

interface ImportRun {
  id: string;
  file: string;
  format: string | null;
  finished_at: Date | null;
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  result: string;
}
const lastRun = async (): Promise<ImportRun> =>
  (await query<ImportRun>(
    url,
    `select id::text as id, file, format, finished_at, rows_read::int, inserted::int, updated::int, unchanged::int, rejected::int, result
       from hotline.import_run order by id desc limit 1`,
  ))[0]!;

async function importOnce(file: string, options: { batchSize?: number } = {}): Promise<ImportSummary> {
  const [summary] = await importFiles(em(), [file], { batchSize: options.batchSize ?? 7 });
  expect(summary!.error).toBeNull();
  return summary!;
}

describe('importing the same rows again, and in another order', () => {
  const rows = () => generateRows(120, 14);
  let reference: { tables: string; rejects: string[] };

  it('imports a file twice: the second import changes nothing and rejects the same rows for the same reasons', async () => {
    await emptyHotline();
    const file = writeCsv(join(dir, 'tickets.csv'), rows());
    const first = await importOnce(file);
    const tables = await dumpTickets();
    const rejects = rejectsOf(first);
    expect(first.rejected).toBe(6);
    expect(first.inserted).toBe(120);
    expect(first.updated).toBeGreaterThan(50);
    // the run as recorded: the counts the summary gives
    const countsOf = (s: ImportSummary) => ({ file: 'tickets.csv', format: 'csv', rows_read: s.rows, inserted: s.inserted, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected, result: 'DONE' });
    const firstRun = await lastRun();
    expect(firstRun).toMatchObject(countsOf(first));
    expect(firstRun.finished_at).toBeInstanceOf(Date);

    const second = await importOnce(file);
    expect({ inserted: second.inserted, updated: second.updated, rejected: second.rejected }).toEqual({ inserted: 0, updated: 0, rejected: first.rejected });
    expect(second.unchanged).toBe(first.rows - first.rejected);
    expect(second.rejections).toEqual(first.rejections);
    expect(rejectsOf(second)).toEqual(rejects);
    expect(await dumpTickets()).toBe(tables);
    reference = { tables, rejects };
    expect(await lastRun()).toMatchObject(countsOf(second));

    // the subgraph's /metrics: the rows of both runs by outcome
    const registry = new MetricsRegistry({ service: 'hotline' });
    hotlineMetrics(registry, orm);
    const exposition = await registry.render();
    const sample = (name: string, labels: string) => exposition.match(new RegExp(`^${name}\\{service="hotline",${labels}\\} (\\S+)$`, 'm'))?.[1];
    for (const outcome of ['inserted', 'updated', 'unchanged', 'rejected'] as const) {
      expect(sample('gongkai_hotline_import_rows_total', `outcome="${outcome}"`)).toBe(String(first[outcome] + second[outcome]));
    }
    expect(sample('gongkai_hotline_import_runs', 'result="DONE"')).toBe('2');
    expect(sample('gongkai_hotline_import_runs', 'result="RUNNING"')).toBe('0');
    expect(exposition).toMatch(/^# TYPE gongkai_hotline_import_rows_total gauge$/m);
    const finished = Number(exposition.match(/^gongkai_hotline_last_import_finished_timestamp_seconds\{service="hotline"\} (\S+)$/m)?.[1]);
    expect(Math.abs(finished * 1000 - (await lastRun()).finished_at!.getTime())).toBeLessThan(1);

    // what the rows disagreed on was merged by the documented rules, not by their order
    const merged = await query<Record<string, any>>(
      url,
      `select platform_id, received_at, resolved_at, satisfaction, dispatch_mode, region_code, status from hotline.ticket where platform_id in ('R-0', 'R-1', 'R-4') order by platform_id`,
    );
    const [r0, r1, r4] = merged;
    // resolved 2 h after its first receipt, then a row received 5 h after it with no resolution
    expect(r0!.resolved_at.getTime() - r0!.received_at.getTime()).toBe(2 * 3_600_000);
    // reopened (重办 at a later time than anything else) and rated 不满意; the county is kept over the city
    expect(r1).toMatchObject({ satisfaction: 'DISSATISFIED', dispatch_mode: 'REFERRED', status: 'REOPENED' });
    expect(r1!.region_code.endsWith('00')).toBe(false);
    // never resolved in any row
    expect(r4!.resolved_at).toBeNull();
    expect(first.rejections.map((r) => r.reason)).toEqual(
      expect.arrayContaining([
        "unknown region '329999'",
        expect.stringMatching(/^resolvedAt 2024-03-01 09:00:00\+08:00 is before receivedAt 2024-03-01 10:00:00\+08:00$/),
        expect.stringMatching(/^unparseable receivedAt '2024-02-30 10:00'/),
        expect.stringMatching(/^unknown status '不知道'/),
        `3 fields where the header has ${HEADER.length}`,
        `${HEADER.length + 1} fields where the header has ${HEADER.length}`,
      ]),
    );
  }, 120_000);

  it.each([1, 2, 3])('gives the same tables and rejects with the rows shuffled (seed %i), in batches of any size', async (seed) => {
    expect(reference).toBeDefined();
    await emptyHotline();
    const sub = join(dir, `shuffled-${seed}`);
    mkdirSync(sub, { recursive: true });
    // the same file name: the status history records which file an event came from
    const file = writeCsv(join(sub, 'tickets.csv'), shuffled(rows(), seed));
    const summary = await importOnce(file, { batchSize: [1, 13, 5000][seed - 1] });
    expect(rejectsOf(summary)).toEqual(reference.rejects);
    expect(await dumpTickets()).toBe(reference.tables);
  }, 120_000);
});

describe('an import stopped mid-run', () => {
  let big: string | undefined;
  /** About 10 000 rows of 4000 tickets: in flight for a while in batches of 20. */
  const bigFile = () => (big ??= writeCsv(join(dir, 'big.csv'), generateRows(4000, 99)));
  const cliImport = (args: string[]) =>
    spawn(
      process.execPath,
      ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', join(projectRoot, 'bin/gongkai.js'), 'hotline', 'import', ...args],
      { cwd: projectRoot, env: { ...process.env, DATABASE_URL: url } },
    );
  const count = async () => (await query<{ n: number }>(url, `select count(*)::int as n from hotline.ticket`))[0]!.n;
  /** Waits until the child has committed a batch (or ended). */
  async function firstBatch(child: ReturnType<typeof spawn>): Promise<void> {
    while ((await count()) === 0 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('killed (SIGKILL) and run again, ends in the state of an uninterrupted run, year rollups included', async () => {
    const file = bigFile();
    const rollups = () =>
      query(url, `select year, subtree, key, g, lvl, category_code, line_code, channel_code, as_of, received, resolved, overdue, rated, dissatisfied, median_hours
                    from hotline.year_rollup order by year, subtree, key, g, lvl, category_code, line_code, channel_code`);
    const stale = async () => (await query<{ n: number }>(url, `select count(*)::int as n from hotline.year_rollup_state where refreshed_generation is distinct from generation`))[0]!.n;

    await emptyHotline();
    const uninterrupted = await importOnce(file, { batchSize: 500 });
    const tables = await dumpTickets();
    const rejects = rejectsOf(uninterrupted);
    const figures = JSON.stringify(await rollups());
    expect(await stale()).toBe(0);

    await emptyHotline();
    const child = cliImport([file, '--batch-size', '20']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await firstBatch(child);
    child.kill('SIGKILL');
    await exited;
    const partial = await count();
    // killed in flight: some batches committed, not all
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(4000);
    // its run stays RUNNING, with the counts of the batches it committed and no more
    const killed = await lastRun();
    expect(killed).toMatchObject({ file: 'big.csv', result: 'RUNNING', finished_at: null, inserted: partial });
    expect(killed.inserted + killed.updated + killed.unchanged + killed.rejected).toBe(killed.rows_read);

    const rerun = await importOnce(file, { batchSize: 500 });
    expect(rerun.inserted).toBeLessThan(4000);
    // the rerun of the same file did the work: the killed run counts as FAILED now, its counts kept
    const [after] = await query<ImportRun>(url, `select result, inserted::int from hotline.import_run where id = $1`, [killed.id]);
    expect(after).toEqual({ result: 'FAILED', inserted: partial });
    expect(rejectsOf(rerun)).toEqual(rejects);
    expect(await dumpTickets()).toBe(tables);
    expect(await stale()).toBe(0);
    expect(JSON.stringify(await rollups())).toBe(figures);
  }, 240_000);

  it('losing its database connection, prints what it wrote and one line with the cause, and exits 1', async () => {
    await emptyHotline();
    const started = (await query<{ now: Date }>(url, 'select now()'))[0]!.now;
    const child = cliImport([bigFile(), '--batch-size', '20', '--json']);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await firstBatch(child);
    // the import's own connections (opened after it started) cut until it gives up, as when the
    // server goes away: an idle one is replaced by the pool, one in a batch's transaction is not
    let ended = false;
    void exited.then(() => (ended = true));
    while (!ended) {
      await query(url, `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_start >= $1`, [started]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const code = await exited;
    const summary = JSON.parse(stdout);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ ok: false, exitCode: 1, error: { code: 'DATABASE_UNAVAILABLE' } });
    expect(summary.total.inserted).toBeGreaterThan(0);
    expect(summary.total.inserted).toBeLessThan(4000);
    // FAILED if the end could still be recorded, else RUNNING; the counts of what it stored either way
    const run = await lastRun();
    expect(['FAILED', 'RUNNING']).toContain(run.result);
    expect(run.inserted).toBe(await count());
    expect(summary.error.message).toMatch(/run the same command again to finish/);
    expect(stderr).toMatch(/^gongkai: hotline import stopped: the database is not reachable.*\(DATABASE_UNAVAILABLE\)$/m);
    expect(stderr).not.toMatch(/terminating connection|\n\s+at /);
  }, 120_000);
});
