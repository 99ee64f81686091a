// `gongkai hotline import`: streams export files into hotline.ticket in batches, reports every
// rejected row with its line and reason (and copies it to a rejects file), and sums up.
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { subtreePrefix } from '../../../lib/regions/codes.ts';
import { csvField } from './csv.ts';
import { isTicketField, planHeader, fieldOfColumn, type ColumnMapping, type HeaderPlan, type TicketField } from './fields.ts';
import { normaliseRow, Rejection, type NormalisedTicket, type RawRow, type ReferenceData } from './normalise.ts';
import { readSource, ImportFileError, type SourceEncoding, type SourceFormat, type SourceInfo, type SourceRow } from './readSource.ts';
import { upsertTickets, type DataOrigin, type ResolvedTicket, type UpsertCounts } from './upsertTickets.ts';
import { CHINA_STANDARD_TIME, CodeTable } from './values.ts';
import { personalDataKeys } from '../personalData/keys.ts';
import { refreshYearRollups, type RefreshProgress, type RefreshSummary } from '../rollups/yearRollup.ts';

export interface ImportOptions {
  mapping?: ColumnMapping;
  /** The line of every row that has no line column or an empty one. */
  defaultLine?: string | null;
  format?: SourceFormat | null;
  encoding?: SourceEncoding | 'auto' | null;
  /** Where rejects files go; by default next to each input file. */
  rejectsDir?: string | null;
  batchSize?: number;
  /** The zone of times written without an offset, and of the times in reasons: minutes east of UTC (default +08:00). */
  zoneMinutes?: number;
  dataOrigin?: DataOrigin;
  onProgress?: (progress: ImportProgress) => void;
  onNotice?: (line: string) => void;
  /** The refresh of the year rollup after the files (rollups/yearRollup.ts). */
  onRollupProgress?: (progress: RefreshProgress) => void;
  onRollupSummary?: (summary: RefreshSummary) => void;
}

export interface ImportProgress {
  file: string;
  bytesRead: number;
  bytesTotal: number;
  rows: number;
  rejected: number;
  done: boolean;
}

export interface Rejected {
  line: number;
  reason: string;
}

export interface ImportSummary {
  file: string;
  format: SourceFormat | null;
  encoding: SourceEncoding | null;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first 1000 rejections; every one is in the rejects file. */
  rejections: Rejected[];
  rejectsFile: string | null;
  ignoredColumns: string[];
  /** Set when the file as a whole could not be read (empty, binary, no id column…). */
  error: string | null;
}

export class DirectoryMissingError extends Error {}

/**
 * The import stopped part-way (the database went away, say): the summaries of the files so far,
 * the one in hand included. Every batch it wrote is whole; running it again finishes the work.
 */
export class ImportInterrupted extends Error {
  readonly summaries: ImportSummary[];
  constructor(cause: unknown, summaries: ImportSummary[]) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.summaries = summaries;
  }
}

/** Reference data every row is checked against: lines, categories, channels, region codes. */
export async function loadReferenceData(em: EntityManager): Promise<ReferenceData> {
  const table = (name: string) =>
    sql<{ code: string; name: string; aliases: string[] }>(em, `select code, name, "aliases" from hotline.${name} order by position, code`);
  let regions: { code: string }[];
  try {
    regions = await sql<{ code: string }>(em, `select code from directory.region`);
  } catch (error) {
    throw new DirectoryMissingError(
      `the region directory (directory.region, published by the agencies subgraph) is not in this database: start the hub once (gongkai start) so that the agencies subgraph creates it (${(error as Error).message})`,
    );
  }
  if (regions.length === 0) throw new DirectoryMissingError('directory.region is empty: start the hub once so that the agencies subgraph loads the region registry');
  return {
    lines: new CodeTable('line', await table('line')),
    categories: new CodeTable('category', await table('category')),
    channels: new CodeTable('channel', await table('channel')),
    regions: new Set(regions.map((r) => r.code)),
  };
}

/**
 * hotline.import_run: the counts of a file's import as its committed batches left them, each
 * written in the batch's own transaction; RUNNING until the file ends (DONE) or cannot be finished
 * (FAILED). A killed import leaves its row RUNNING, with the counts of what it stored, until an
 * import of a file of the same name is done: that one finished its work, so the earlier run counts
 * as FAILED (an alert on runs RUNNING for hours then clears without a hand-written UPDATE). Should
 * that earlier run still be alive (the same file imported twice at once), its own end sets its
 * result again.
 */
const START_RUN = `insert into hotline.import_run (file) values ($1) returning id::text as id`;
const RECORD_RUN = `update hotline.import_run set format = $2, rows_read = $3, inserted = $4, updated = $5, unchanged = $6, rejected = $7 where id = $1`;
const FINISH_RUN = `update hotline.import_run set result = $2, finished_at = now() where id = $1`;
const SUPERSEDE_RUNS = `update hotline.import_run set result = 'FAILED', finished_at = now() where file = $2 and result = 'RUNNING' and id < $1`;

interface Pending {
  ticket: NormalisedTicket;
  source: SourceRow;
}

class RejectsWriter {
  private stream: WriteStream | undefined;
  readonly path: string;
  private readonly header: string[] | null;
  constructor(path: string, header: string[] | null) {
    this.path = path;
    this.header = header;
  }
  async write(source: SourceRow, reason: string): Promise<void> {
    if (!this.stream) {
      // The rows are copies of the export, personal data included: readable by the owner only.
      this.stream = createWriteStream(this.path, { mode: 0o600 });
      if (source.kind === 'csv') this.stream.write(`${[...(this.header ?? []), '_line', '_reason'].map(csvField).join(',')}\n`);
    }
    const text =
      source.kind === 'csv'
        ? `${this.csvCells(source.fields, source.line, reason).map(csvField).join(',')}\n`
        : `${JSON.stringify(
            source.value !== null && typeof source.value === 'object' && !Array.isArray(source.value)
              ? { ...(source.value as object), _line: source.line, _reason: reason }
              : { _line: source.line, _reason: reason, _raw: source.raw },
          )}\n`;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
  /**
   * `_line` and `_reason` stay in their columns: a short row is padded with empty cells, and the
   * cells of a long row beyond the header follow `_reason`.
   */
  private csvCells(fields: readonly string[], line: number, reason: string): string[] {
    const width = this.header?.length ?? fields.length;
    const cells = [...fields.slice(0, width)];
    while (cells.length < width) cells.push('');
    return [...cells, String(line), reason, ...fields.slice(width)];
  }
  get used(): boolean {
    return this.stream !== undefined;
  }
  async close(): Promise<void> {
    if (!this.stream) return;
    const stream = this.stream;
    await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

function rawFromCsv(fields: readonly string[], plan: HeaderPlan): RawRow {
  const raw: RawRow = {};
  plan.fields.forEach((field, i) => {
    if (field !== null) raw[field] = fields[i];
  });
  return raw;
}

function rawFromJson(value: unknown, mapping: ColumnMapping): RawRow {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Rejection('a JSON Lines row must be an object');
  const raw: RawRow = {};
  const entries = Object.entries(value as Record<string, unknown>);
  // A key that is a field's own name wins over an alias of that field.
  for (const [key, v] of entries) if (isTicketField(key) && !mapping.has(key.toLowerCase())) raw[key] = v;
  for (const [key, v] of entries) {
    const field = fieldOfColumn(key, mapping);
    if (field !== null && raw[field] === undefined) raw[field] = v;
  }
  return raw;
}

const REQUIRED_COLUMNS: TicketField[] = ['platformId', 'regionCode', 'receivedAt'];

/** Resolves agency ids and names of a batch through directory.agency: one statement. */
async function resolveAgencies(em: EntityManager, batch: Pending[]): Promise<Map<Pending, string | Rejection | null>> {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const { ticket } of batch) {
    if (ticket.agencyId) ids.add(ticket.agencyId);
    else if (ticket.agencyName) names.add(ticket.agencyName);
  }
  const result = new Map<Pending, string | Rejection | null>();
  if (ids.size === 0 && names.size === 0) {
    for (const p of batch) result.set(p, null);
    return result;
  }
  const rows = await sql<{ id: string; name: string; aliases: string[]; region_code: string }>(
    em,
    `select id::text as id, name, "aliases", region_code from directory.agency
      where id = any($1::bigint[]) or name = any($2::text[]) or "aliases" && $2::text[]`,
    [[...ids], [...names]],
  );
  const byId = new Set(rows.map((r) => r.id));
  const byName = new Map<string, typeof rows>();
  for (const row of rows) {
    for (const label of new Set([row.name, ...row.aliases])) {
      if (!names.has(label)) continue;
      byName.set(label, [...(byName.get(label) ?? []), row]);
    }
  }
  for (const p of batch) {
    const { agencyId, agencyName, regionCode } = p.ticket;
    if (agencyId) {
      result.set(p, byId.has(agencyId) ? agencyId : new Rejection(`unknown agency id ${agencyId} (not in directory.agency)`));
      continue;
    }
    if (!agencyName) {
      result.set(p, null);
      continue;
    }
    let candidates = byName.get(agencyName) ?? [];
    if (candidates.length > 1) {
      // The same name in several regions: the one whose jurisdiction contains the ticket's region.
      const containing = candidates.filter((c) => regionCode.startsWith(subtreePrefix(c.region_code)));
      const deepest = Math.max(...containing.map((c) => subtreePrefix(c.region_code).length));
      candidates = containing.filter((c) => subtreePrefix(c.region_code).length === deepest);
    }
    if (candidates.length === 1) result.set(p, candidates[0]!.id);
    else if (candidates.length === 0) result.set(p, new Rejection(`unknown agency '${agencyName}' (not in directory.agency)`));
    else result.set(p, new Rejection(`agency name '${agencyName}' is ambiguous (ids ${candidates.map((c) => c.id).join(', ')}); give agencyId`));
  }
  return result;
}

export async function importFile(em: EntityManager, file: string, ref: ReferenceData, options: ImportOptions = {}): Promise<ImportSummary> {
  const mapping: ColumnMapping = options.mapping ?? new Map();
  const batchSize = options.batchSize ?? 5000;
  const zoneMinutes = options.zoneMinutes ?? CHINA_STANDARD_TIME;
  const summary: ImportSummary = {
    file,
    format: null,
    encoding: null,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    rejections: [],
    rejectsFile: null,
    ignoredColumns: [],
    error: null,
  };
  let plan: HeaderPlan | null = null;
  let rejects: RejectsWriter | null = null;
  let header: string[] | null = null;
  let bytesRead = 0;
  let bytesTotal = 0;
  const progress = (done = false) =>
    options.onProgress?.({ file, bytesRead, bytesTotal, rows: summary.rows, rejected: summary.rejected, done });
  const rejectsPath = (format: SourceFormat) =>
    join(options.rejectsDir ?? dirname(file), `${basename(file)}.rejects.${format === 'csv' ? 'csv' : 'jsonl'}`);

  const reject = async (source: SourceRow, reason: string) => {
    summary.rejected++;
    if (summary.rejections.length < 1000) summary.rejections.push({ line: source.line, reason });
    rejects ??= new RejectsWriter(rejectsPath(source.kind), header);
    await rejects.write(source, reason);
  };

  let runId: string | null = null;
  /** The run's counts once `counts` (the batch in hand's) are stored too. */
  const recordRun = async (tx: EntityManager, counts: UpsertCounts): Promise<void> => {
    await sql(tx, RECORD_RUN, [
      runId,
      summary.format,
      summary.rows,
      summary.inserted + counts.inserted,
      summary.updated + counts.updated,
      summary.unchanged + counts.unchanged,
      summary.rejected + counts.refused.length,
    ]);
  };
  const finishRun = async (result: 'DONE' | 'FAILED') => {
    if (runId === null) return;
    if (result === 'DONE') await recordRun(em, { inserted: 0, updated: 0, unchanged: 0, events: 0, refused: [] });
    await sql(em, FINISH_RUN, [runId, result]);
    if (result === 'DONE') await sql(em, SUPERSEDE_RUNS, [runId, basename(file)]);
  };

  let batch: Pending[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const pending = batch;
    batch = [];
    const resolved = await resolveAgencies(em, pending);
    const good: ResolvedTicket[] = [];
    const sourceOf = new Map<number, SourceRow>();
    for (const p of pending) {
      const agency = resolved.get(p)!;
      if (agency instanceof Rejection) await reject(p.source, agency.message);
      else {
        const { agencyName: _name, ...ticket } = p.ticket;
        good.push({ ...ticket, agencyId: agency });
        sourceOf.set(p.source.line, p.source);
      }
    }
    const counts = await upsertTickets(em, good, {
      dataOrigin: options.dataOrigin ?? 'OFFICIAL',
      source: basename(file),
      zoneMinutes,
      withinBatch: recordRun,
    });
    // nothing to store: the rejected rows are recorded on their own
    if (good.length === 0) await recordRun(em, counts);
    summary.inserted += counts.inserted;
    summary.updated += counts.updated;
    summary.unchanged += counts.unchanged;
    for (const { row, reason } of counts.refused.sort((a, b) => a.row.sourceLine - b.row.sourceLine)) await reject(sourceOf.get(row.sourceLine)!, reason);
  };

  try {
    runId = (await sql<{ id: string }>(em, START_RUN, [basename(file)]))[0]!.id;
    const rows = readSource(file, {
      format: options.format ?? null,
      encoding: options.encoding ?? 'auto',
      onBytes: (read, size) => {
        bytesRead = read;
        bytesTotal = size;
        progress();
      },
      onInfo: (info: SourceInfo) => {
        summary.format = info.format;
        summary.encoding = info.encoding;
        if (info.format === 'csv') {
          header = info.header!;
          try {
            plan = planHeader(header, mapping);
          } catch (error) {
            throw new ImportFileError((error as Error).message);
          }
          summary.ignoredColumns = plan.ignored;
          const missing = REQUIRED_COLUMNS.filter((field) => !plan!.fields.includes(field));
          if (!plan.fields.includes('line') && !options.defaultLine) missing.push('line');
          if (missing.length > 0) {
            throw new ImportFileError(
              `no column for ${missing.join(', ')} in the header (${header.slice(0, 12).join(', ')}${header.length > 12 ? ', …' : ''}); ` +
                `map one with --map 'COLUMN=${missing[0]}'${missing.includes('line') ? ' or give --line' : ''} (docs/hotline.md lists the columns)`,
            );
          }
          if (plan.ignored.length > 0) options.onNotice?.(`${file}: ignoring columns ${plan.ignored.join(', ')}`);
        }
      },
    });
    for await (const source of rows) {
      summary.rows++;
      let ticket: NormalisedTicket;
      try {
        const undecodable = encodingProblem(source, summary.encoding!, (options.encoding ?? 'auto') !== 'auto');
        if (undecodable) throw new Rejection(undecodable);
        if (source.kind === 'jsonl' && source.error) throw new Rejection(source.error);
        if (source.kind === 'csv' && source.fields.length !== header!.length) {
          throw new Rejection(`${source.fields.length} fields where the header has ${header!.length}`);
        }
        const raw = source.kind === 'csv' ? rawFromCsv(source.fields, plan!) : rawFromJson(source.value, mapping);
        ticket = normaliseRow(raw, source.line, ref, { defaultLine: options.defaultLine ?? null, zoneMinutes });
      } catch (error) {
        if (!(error instanceof Rejection)) throw error;
        await reject(source, error.message);
        continue;
      }
      // Rows of one ticket may share a batch or not: the merge gives the same ticket either way.
      batch.push({ ticket, source });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } catch (error) {
    if (!(error instanceof ImportFileError)) {
      // the database is likely gone too: then the run stays RUNNING, as a killed one does
      await finishRun('FAILED').catch(() => {});
      throw new ImportInterrupted(error, [summary]);
    }
    summary.error = error.message;
  } finally {
    const writer = rejects as RejectsWriter | null;
    if (writer) {
      await writer.close();
      summary.rejectsFile = writer.path;
    } else if (summary.format && !summary.error) {
      // a rejects file of an earlier run of this file would describe rows that are fine now
      await rm(rejectsPath(summary.format), { force: true });
    }
  }
  try {
    await finishRun(summary.error ? 'FAILED' : 'DONE');
  } catch (error) {
    throw new ImportInterrupted(error, [summary]);
  }
  if (!summary.error) progress(true);
  return summary;
}

/**
 * A line the decoder could not read (replacement characters) or that holds a NUL: the file is
 * not in the encoding it was read in, and the reason says how to choose another.
 */
function encodingProblem(source: SourceRow, encoding: SourceEncoding, forced: boolean): string | null {
  const text = source.kind === 'csv' ? source.fields.join('') : source.raw;
  if (text.includes('\u0000')) return 'encoding problem: a NUL character (binary data, or a UTF-16 file?); save the file as CSV UTF-8 and import it again';
  if (!text.includes('\uFFFD')) return null;
  const name = encoding === 'utf8' ? 'UTF-8' : 'GB18030';
  if (forced) {
    return `encoding problem: bytes that are not ${name}, the encoding --encoding asked for; try --encoding ${encoding === 'utf8' ? 'gb18030' : 'utf8'}, or save the file as CSV UTF-8`;
  }
  return encoding === 'utf8'
    ? 'encoding problem: bytes that are not UTF-8 (the file was read as UTF-8, as its start is); if it was saved as GBK/GB18030 (Excel in China), import it with --encoding gb18030, or save it as CSV UTF-8'
    : 'encoding problem: bytes that are not GB18030 (the file was read as GB18030 because its start is not UTF-8); save it as CSV UTF-8, or give --encoding utf8 if it is UTF-8';
}

export async function importFiles(em: EntityManager, files: readonly string[], options: ImportOptions = {}): Promise<ImportSummary[]> {
  personalDataKeys(); // a missing or malformed key stops the import before any row is read
  const ref = await loadReferenceData(em);
  if (options.defaultLine) {
    const parsed = ref.lines.parse(options.defaultLine);
    if (!parsed.ok) throw new ImportFileError(`--line: ${parsed.reason}`);
    options = { ...options, defaultLine: parsed.value };
  }
  const summaries: ImportSummary[] = [];
  try {
    for (const file of files) summaries.push(await importFile(em, file, ref, options));
    // The years the import touched are stale now (read from the tickets until refreshed): refresh them.
    const rollups = await refreshYearRollups(em, { onProgress: options.onRollupProgress });
    options.onRollupSummary?.(rollups);
  } catch (error) {
    if (error instanceof ImportInterrupted) throw new ImportInterrupted(error.cause, [...summaries, ...error.summaries]);
    throw new ImportInterrupted(error, summaries);
  }
  return summaries;
}
