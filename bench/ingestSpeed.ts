// Ingest speed (`npm run bench -- ingest`, issue 17): `gongkai ingest` of 1,000 distinct report
// documents on a scratch database with the sample data, in documents per second without the
// process's start. The documents are made at run time from the real reports of
// ../shared/fixtures/reports (never copied into this repository): each fixture's text given to an
// agency of the sample directory and a year — the agency's name in place of the fixture's, the
// years moved by as much as its year —, half of them as plain text and half as an HTML page, so that each
// is a report of its own. The hub's services run (idle) beside the ingest, as they would.
//
//   BENCH_INGEST_DOCUMENTS (1000)   documents ingested
//   BENCH_INGEST_PROFILE            a folder: the first ingest writes CPU profiles there (--cpu-prof, a file per thread)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { databaseUrl } from '../lib/database/urls.ts';
import { NODE_FLAGS } from '../lib/runtime/services.ts';
import { extractDocumentInProcess, extractionLimitsFromEnv } from '../subgraphs/reports/extraction/index.ts';
import { closeExtractionWorkers, extractInWorker } from '../subgraphs/reports/extraction/worker/pool.ts';
import { startScratchHub } from './scratchHub.ts';
import { previousSection, writeSection } from './resultsSection.ts';

const DOCUMENTS = Number(process.env.BENCH_INGEST_DOCUMENTS || 1000);
const GOAL_PER_SECOND = 20;
const SCRATCH = 'gongkai_bench_ingest_speed';
const MARK_START = '<!-- ingest-speed:start -->';
const MARK_END = '<!-- ingest-speed:end -->';
const MARKERS = { start: MARK_START, end: MARK_END };
const root = fileURLToPath(new URL('..', import.meta.url));
const fixturesDir = join(root, '..', 'shared', 'fixtures', 'reports');

export interface IngestSpeedResult {
  documents: number;
  htmlDocuments: number;
  bytes: number;
  templates: string[];
  cores: number;
  poolSize: number;
  /** from the run's reports.ingest_run row: first document to last, without the process's start */
  seconds: number;
  /** the command's own last progress line */
  progressLine: string;
  /** the whole command, process start, migration check and summary included */
  wallSeconds: number;
  exitCode: number | null;
  summary: { stored: number; failed: number; unreadable: number; reports: Record<string, number> } | null;
  failures: string[];
  /** the same documents extracted alone (the same worker pool, nothing stored), in this process */
  extractOnlySeconds: number;
  /** the same command again on the same documents: everything UNCHANGED (extraction and look-ups; each document still commits the run's counter) */
  againSeconds: number;
  /** as many other new documents (earlier years), the command's connections with synchronous_commit off: what waiting for each commit's flush costs */
  noFlushSeconds: number;
  noFlushStored: number;
  /** sample reports in the scratch database before the ingest: the documents of their agencies and years are new versions */
  sampleReports: number;
  label: string;
  /** the 1-minute load average as each measure began: this machine is shared, and the numbers move with it */
  loads: { ingest: number; again: number; noFlush: number; extractOnly: number };
}

/** A fixture with one report whose agency and year the gold file names: what each document is made from. */
interface Template {
  name: string;
  text: string;
  agencyName: string;
  year: number;
}

function templates(): Template[] {
  if (!existsSync(fixturesDir)) throw new Error(`the report fixtures are not at ${fixturesDir}: check out ../shared next to this repository`);
  const out: Template[] = [];
  for (const name of readdirSync(fixturesDir).filter((f) => f.endsWith('.gold.json')).sort()) {
    const gold = JSON.parse(readFileSync(join(fixturesDir, name), 'utf8')) as { file: string; reports: { agencyName: string | null; year: number | null; regionCode: string | null }[] };
    const [report, ...others] = gold.reports;
    // one report, named with its region and year: a report whose agency and year can be swapped
    if (!report || others.length || !report.agencyName || !report.year || !report.regionCode) continue;
    const text = readFileSync(join(fixturesDir, gold.file), 'utf8');
    if (text.includes(report.agencyName)) out.push({ name: gold.file, text, agencyName: report.agencyName, year: report.year });
  }
  if (!out.length) throw new Error(`no fixture under ${fixturesDir} has a single report with its agency, region and year`);
  return out;
}

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The fixture's report as the agency's report of the year: its name and year in place of the fixture's. */
function documentOf(template: Template, agencyName: string, year: number, html: boolean): string {
  // every year in the text moved alike (the statistical year, the day of publication after it, a previous year compared)
  const shift = year - template.year;
  const text = template.text
    .replaceAll(template.agencyName, agencyName)
    .replace(/(?<!\d)(?:19[89]\d|20[0-3]\d)(?!\d)/g, (y) => String(Number(y) + shift));
  if (!html) return text;
  const title = `${agencyName}${year}年政府信息公开工作年度报告`;
  return `<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body><pre>${escapeHtml(text)}</pre></body></html>\n`;
}

/** Writes DOCUMENTS documents into `dir`: agencies of the sample directory × years, newest year first. */
async function writeDocuments(client: pg.Client, dir: string, firstYear = 2024): Promise<{ files: string[]; html: number; bytes: number; templates: string[]; agencies: number }> {
  // agencies that exist in every year used (the reorganised bureaus that ended in 2018 do not)
  const { rows: agencies } = await client.query<{ name: string; region_code: string }>(
    `select name, region_code from directory.agency where data_origin = 'SAMPLE' and active_to is null order by region_code, name`,
  );
  if (!agencies.length) throw new Error('the scratch database has no sample agencies: the hub did not load its sample data');
  // a fixture that names its agency in other ways too (a short form, a second report) would make
  // documents of other agencies than the one given: only those read as one report of it are used
  const probe = agencies[0]!.name;
  const made: Template[] = [];
  for (const template of templates()) {
    const { reports } = await extractDocumentInProcess({ fileName: 'probe.txt', bytes: Buffer.from(documentOf(template, probe, 2024, false)) });
    if (reports.length === 1 && reports[0]!.agencyName === probe && reports[0]!.year === 2024) made.push(template);
  }
  if (!made.length) throw new Error(`no fixture under ${fixturesDir} reads as one report of another agency once its name is replaced`);
  const files: string[] = [];
  let html = 0;
  let bytes = 0;
  for (let i = 0; files.length < DOCUMENTS; i++) {
    const agency = agencies[i % agencies.length]!;
    const year = firstYear - Math.floor(i / agencies.length);
    const template = made[i % made.length]!;
    const asHtml = i % 2 === 1;
    const content = documentOf(template, agency.name, year, asHtml);
    const file = join(dir, `${String(i).padStart(4, '0')}-${agency.region_code}-${year}.${asHtml ? 'html' : 'txt'}`);
    writeFileSync(file, content);
    files.push(file);
    if (asHtml) html++;
    bytes += Buffer.byteLength(content);
  }
  return { files, html, bytes, templates: made.map((t) => t.name), agencies: agencies.length };
}

/** Runs `gongkai ingest` on the documents; its stderr (progress) kept for its own rate. */
function ingest(dir: string, scratch: string, profileDir?: string, pgOptions?: string) {
  const t = performance.now();
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const run = spawnSync(process.execPath, [...NODE_FLAGS, ...profile, join(root, 'bin', 'gongkai.js'), 'ingest', dir, '--json'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: scratch, ...(pgOptions ? { PGOPTIONS: pgOptions } : {}) },
    maxBuffer: 256 << 20,
  });
  return { ...run, wallSeconds: (performance.now() - t) / 1000 };
}

async function lastRunSeconds(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ seconds: number }>(
    `select extract(epoch from finished_at - started_at)::float8 as seconds from reports.ingest_run where finished_at is not null order by started_at desc limit 1`,
  );
  if (!rows.length) throw new Error('the ingest left no finished reports.ingest_run row');
  return rows[0]!.seconds;
}

/** The documents extracted alone, in a pool the size the command uses: extraction's own ceiling. */
async function extractOnly(files: string[], workers: number): Promise<number> {
  const limits = { ...extractionLimitsFromEnv(), workers, queue: files.length };
  const t = performance.now();
  try {
    await Promise.all(files.map((file) => extractInWorker({ fileName: file, bytes: readFileSync(file) }, limits)));
  } finally {
    await closeExtractionWorkers();
  }
  return (performance.now() - t) / 1000;
}

export async function measureIngestSpeed(serverDatabaseUrl: string, options: { basePort: number; log: (line: string) => void; label: string }): Promise<IngestSpeedResult> {
  const { log } = options;
  const hub = await startScratchHub(serverDatabaseUrl, SCRATCH, options.basePort);
  const scratch = databaseUrl(serverDatabaseUrl, SCRATCH);
  const client = new pg.Client({ connectionString: scratch });
  const dir = mkdtempSync(join(os.tmpdir(), 'gongkai-bench-ingest-'));
  try {
    await client.connect();
    const documentsDir = join(dir, 'documents');
    mkdirSync(documentsDir);
    const written = await writeDocuments(client, documentsDir);
    const sampleReports = Number((await client.query(`select count(*) as n from reports.annual_report where data_origin = 'SAMPLE'`)).rows[0].n);
    log(`ingest speed: ${written.files.length} documents (${written.html} HTML, ${(written.bytes / 2 ** 20).toFixed(1)} MiB) from ${written.templates.join(', ')}`);
    const poolSize = process.env.GONGKAI_EXTRACT_WORKERS ? Number(process.env.GONGKAI_EXTRACT_WORKERS) : os.availableParallelism();
    const loads = { ingest: os.loadavg()[0]!, again: 0, noFlush: 0, extractOnly: 0 };
    const run = ingest(documentsDir, scratch, process.env.BENCH_INGEST_PROFILE);
    const seconds = await lastRunSeconds(client);
    if (process.env.BENCH_INGEST_KEEP) writeFileSync(process.env.BENCH_INGEST_KEEP, run.stdout);
    const progressLine = run.stderr.split('\n').filter((l) => l.startsWith('ingest ')).at(-1) ?? '';
    let summary: IngestSpeedResult['summary'] = null;
    let failures: string[] = [];
    try {
      const parsed = JSON.parse(run.stdout) as { summary: IngestSpeedResult['summary'] & { failedDocuments: string[] }; documents: { fileName: string; unreadable: { code: string; message: string } | null; reports: { failure: { code: string; message: string } | null }[] }[] };
      summary = parsed.summary;
      failures = parsed.documents
        .flatMap((d) => [d.unreadable, ...d.reports.map((r) => r.failure)].flatMap((f) => (f ? [`${d.fileName.split('/').pop()}: ${f.message} (${f.code})`] : [])))
        .slice(0, 5);
    } catch {
      failures = [`exit ${run.status}: ${run.stderr.trim().split('\n').at(-1)?.slice(0, 300) ?? ''}`];
    }
    log(`ingest speed: ${written.files.length} documents in ${seconds.toFixed(1)} s (${(written.files.length / seconds).toFixed(1)}/s; ${run.wallSeconds.toFixed(1)} s with process start), exit ${run.status}`);
    loads.again = os.loadavg()[0]!;
    const again = ingest(documentsDir, scratch);
    const againSeconds = await lastRunSeconds(client);
    log(`ingest speed: the same again (all unchanged) in ${againSeconds.toFixed(1)} s, exit ${again.status}`);
    // a diagnostic, not how the command runs: a second set (earlier years), commits not waiting for the WAL flush
    const noFlushDir = join(dir, 'no-flush');
    mkdirSync(noFlushDir);
    const earlier = Math.ceil(written.files.length / Math.max(1, written.agencies));
    await writeDocuments(client, noFlushDir, 2024 - earlier);
    loads.noFlush = os.loadavg()[0]!;
    const noFlush = ingest(noFlushDir, scratch, undefined, '-c synchronous_commit=off');
    const noFlushSeconds = await lastRunSeconds(client);
    let noFlushStored = 0;
    try {
      noFlushStored = (JSON.parse(noFlush.stdout) as { summary: { stored: number } }).summary.stored;
    } catch {}
    log(`ingest speed: other new documents with synchronous_commit off in ${noFlushSeconds.toFixed(1)} s (${noFlushStored} stored), exit ${noFlush.status}`);
    loads.extractOnly = os.loadavg()[0]!;
    const extractOnlySeconds = await extractOnly(written.files, poolSize);
    log(`ingest speed: extraction alone ${extractOnlySeconds.toFixed(1)} s (${(written.files.length / extractOnlySeconds).toFixed(1)}/s, ${poolSize} workers)`);
    return {
      documents: written.files.length,
      htmlDocuments: written.html,
      bytes: written.bytes,
      templates: written.templates,
      cores: os.availableParallelism(),
      poolSize,
      seconds,
      progressLine,
      wallSeconds: run.wallSeconds,
      exitCode: run.status,
      summary,
      failures,
      extractOnlySeconds,
      againSeconds,
      noFlushSeconds,
      noFlushStored,
      sampleReports,
      label: options.label,
      loads,
    };
  } finally {
    await client.end().catch(() => {});
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function ingestSpeedSection(r: IngestSpeedResult): string[] {
  const rate = r.documents / r.seconds;
  const extractRate = r.documents / r.extractOnlySeconds;
  const met = rate >= GOAL_PER_SECOND;
  const reports = r.summary?.reports ?? {};
  // the ingest overlaps extraction with storing: what it does beyond extraction's own time is storing's
  const storeMs = (1000 * Math.max(0, r.seconds - r.extractOnlySeconds)) / r.documents;
  return [
    MARK_START,
    '## 10. Ingest speed',
    '',
    `Written by \`npm run bench -- ingest\` (bench/ingestSpeed.ts) on ${new Date().toISOString()} at ${r.label}; ${r.cores} cores.`,
    `\`gongkai ingest <folder> --json\` of ${r.documents.toLocaleString('en-US')} distinct documents (${r.documents - r.htmlDocuments} plain text, ${r.htmlDocuments} HTML; ${(r.bytes / 2 ** 20).toFixed(1)} MiB) made at run time`,
    `from the fixtures ${r.templates.join(', ')} of ../shared/fixtures/reports, each given an agency of the sample directory and a year`,
    `(2024 back), on a scratch database with the sample data (${r.sampleReports.toLocaleString('en-US')} sample reports) while the hub's services run idle. The time is the run's own`,
    `(reports.ingest_run, first document to last: the process's start, migration check and summary left out). Extraction`,
    `pool: ${r.poolSize} worker threads (one per core; GONGKAI_EXTRACT_WORKERS overrides it), reading ahead while each document is stored in its own transaction.`,
    '',
    '| measure | time | documents/s | load average (1 min) at its start |',
    '|---|---|---|---|',
    `| ingest, new documents | ${r.seconds.toFixed(1)} s | **${rate.toFixed(1)}** | ${r.loads.ingest.toFixed(1)} |`,
    `| the same command with process start | ${r.wallSeconds.toFixed(1)} s | ${(r.documents / r.wallSeconds).toFixed(1)} | |`,
    `| the same documents again (all unchanged: extracted and looked up; each still commits the run's counter) | ${r.againSeconds.toFixed(1)} s | ${(r.documents / r.againSeconds).toFixed(1)} | ${r.loads.again.toFixed(1)} |`,
    `| other new documents (earlier years), the command's connections with \`synchronous_commit=off\` (a diagnostic: commits not waiting for the WAL flush; ${r.noFlushStored} stored) | ${r.noFlushSeconds.toFixed(1)} s | ${(r.documents / r.noFlushSeconds).toFixed(1)} | ${r.loads.noFlush.toFixed(1)} |`,
    `| extraction alone (the same pool of ${r.poolSize} in the benchmark's process, nothing stored) | ${r.extractOnlySeconds.toFixed(1)} s | ${extractRate.toFixed(1)} | ${r.loads.extractOnly.toFixed(1)} |`,
    '',
    `Outcome: exit ${r.exitCode}; ${r.summary ? `stored ${r.summary.stored}, failed ${r.summary.failed} (unreadable ${r.summary.unreadable}); reports new ${reports.created ?? 0}, updated ${reports.updated ?? 0}, unchanged ${reports.unchanged ?? 0}, failed ${reports.failed ?? 0}` : 'no summary'}.` +
      (r.failures.length ? ` First failures: ${r.failures.join('; ')}.` : ''),
    `The command's last progress line: \`${r.progressLine}\`.`,
    r.extractOnlySeconds < r.seconds
      ? `Beyond extraction's own time the run took ${storeMs.toFixed(1)} ms a document: storing (one transaction: the document, the report and its figures, flag checks, the run's counter), which extraction cannot hide.`
      : `Extraction alone took as long as the whole ingest or longer: storing is hidden behind extraction (the load averages say how much the machine's other work weighed on each measure).`,
    '',
    `Goal ≥ ${GOAL_PER_SECOND} documents/s: ${met ? `**met** (${rate.toFixed(1)}/s).` : `**missed** (${rate.toFixed(1)}/s). ${closeMiss(r)}`}`,
    MARK_END,
  ];
}

/** What would close a miss, from where the time went. */
function closeMiss(r: IngestSpeedResult): string {
  if (r.extractOnlySeconds >= 0.8 * r.seconds) {
    return `Extraction alone takes ${((100 * r.extractOnlySeconds) / r.seconds).toFixed(0)} % of the run: more cores, or a cheaper extractor (profile extraction/), would close it.`;
  }
  if (r.noFlushSeconds < 0.6 * r.seconds) {
    return (
      `Waiting for each document's commit to reach the disk is the larger part (${(r.documents / r.noFlushSeconds).toFixed(1)}/s without that wait): ` +
      `storing documents in parallel transactions on a few connections (one's flush overlapping the others' work; agencies registered by one run need care), ` +
      `or the ingest's connections committing without waiting for the flush (synchronous_commit=off: a crash of the database server could lose the last documents reported stored, which running again stores) would close it.`
    );
  }
  return `Storing's statements are the larger part: documents stored in parallel transactions (more than one database connection), or fewer statements per report, would close it.`;
}

export function writeIngestSpeedSection(file: string, result: IngestSpeedResult): void {
  writeSection(file, MARKERS, ingestSpeedSection(result).join('\n'));
}

/** The section as the last `npm run bench -- ingest` wrote it, for the whole benchmark to keep. */
export function previousIngestSpeedSection(file: string): string[] {
  return previousSection(file, MARKERS);
}
