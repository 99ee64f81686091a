// `gongkai hotline import FILE…`: loads 12345-style ticket exports (CSV or JSON Lines) into the
// hotline subgraph's tables, whether or not the hub is running. docs/hotline.md has the columns.
import { readFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { CliError, describeFailure } from '../errors.ts';
import { EXIT, exitCodeOf, printJson, wantsJson, type ExitCode } from '../outcome.ts';
import { progressBar, progressLine } from '../../lib/cli/progress.ts';
import { withSubgraphDatabase } from '../../lib/runtime/subgraphDatabase.ts';
import { hotlineSubgraph } from '../../subgraphs/hotline/subgraph.ts';
import { parseMappingEntries, parseMappingFile, type TicketField } from '../../subgraphs/hotline/import/fields.ts';
import { DirectoryMissingError, ImportInterrupted, importFiles, type ImportProgress, type ImportSummary } from '../../subgraphs/hotline/import/importTickets.ts';
import { CHINA_STANDARD_TIME, parseZone } from '../../subgraphs/hotline/import/values.ts';
import { PersonalDataKeyError } from '../../subgraphs/hotline/personalData/keys.ts';
import { refreshYearRollups, type RefreshProgress, type RefreshSummary } from '../../subgraphs/hotline/rollups/yearRollup.ts';
import { ImportFileError, type SourceEncoding, type SourceFormat } from '../../subgraphs/hotline/import/readSource.ts';

const USAGE = `gongkai hotline import FILE… [options]
gongkai hotline refresh-rollups [--all] [--json]

  Streams ticket exports (CSV with a header row, or JSON Lines) into the hotline subgraph.
  Idempotent by (line, platformId): the rows of a ticket are merged by fixed rules, whatever
  their order or file (docs/hotline.md), so importing a file again changes nothing. Bad rows are
  reported with their line and saved to FILE.rejects.csv / .jsonl next to the input (mode 0600:
  they hold personal data).

  --map COLUMN=field     map a column (or JSON key) to a ticket field; repeatable; field '-' ignores it
  --map-file FILE        the same from a file: a JSON object, or one COLUMN=field per line
  --line CODE            the line of rows that name none (e.g. 12345)
  --format csv|jsonl     instead of guessing from the name and content
  --encoding auto|utf8|gb18030   (auto: UTF-8 unless the file is not, then GB18030/GBK)
  --rejects DIR          write the rejects files into DIR
  --zone ±HH:MM          the zone of times written without an offset, and of the times in
                         reasons (default +08:00, China Standard Time)
  --batch-size N         rows per bulk statement and transaction (default 5000)
  --json                 print the summary as JSON on stdout

  Exit code: 0 every row imported, 1 some rows (or files) rejected, 2 nothing imported (usage,
  no database, every row rejected). A run that stops part-way keeps every batch it wrote:
  run it again to finish.

  Fields: platformId, line, channel, category, topic, regionCode, agencyId, agencyName,
  dispatchMode, receivedAt, dispatchedAt, dueAt, resolvedAt, closedAt, status, statusAt,
  satisfaction, callerName, callerPhone, text, statusHistory (docs/hotline.md).
  After the files, the year rollup of the (province, year)s the import touched is refreshed.

  refresh-rollups: recomputes the hotline figures of every (province, year) whose tickets changed
  since it was last computed (whole past calendar years are read from it; docs/performance.md);
  --all recomputes every one (after agencies moved between levels: byLevel depends on them).

  Environment: DATABASE_URL (unset: the hub's embedded Postgres), GONGKAI_PII_KEY.`;

interface Options {
  files: string[];
  mapping: Map<string, TicketField | null>;
  line: string | null;
  format: SourceFormat | null;
  encoding: SourceEncoding | 'auto';
  rejectsDir: string | null;
  batchSize: number;
  zoneMinutes: number;
  json: boolean;
}

function parseArgs(args: string[]): Options {
  const options: Options = { files: [], mapping: new Map(), line: null, format: null, encoding: 'auto', rejectsDir: null, batchSize: 5000, zoneMinutes: CHINA_STANDARD_TIME, json: false };
  const value = (i: number, name: string): string => {
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new CliError('USAGE', `hotline import: ${name} needs a value`);
    return v;
  };
  const addMapping = (entries: Map<string, TicketField | null>) => {
    for (const [column, field] of entries) options.mapping.set(column, field);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') && !arg.startsWith('--map=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = (name: string) => (inline !== undefined ? inline : value(i++, name));
    try {
      switch (flag) {
        case '--map':
          addMapping(parseMappingEntries([value(i++, '--map')], '--map'));
          break;
        case '--map-file': {
          const file = take('--map-file');
          let text: string;
          try {
            text = readFileSync(file, 'utf8');
          } catch (error) {
            throw new CliError('USAGE', `hotline import: cannot read --map-file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
          }
          addMapping(parseMappingFile(text, file));
          break;
        }
        case '--line':
          options.line = take('--line');
          break;
        case '--format': {
          const format = take('--format');
          if (format !== 'csv' && format !== 'jsonl') throw new CliError('USAGE', `hotline import: --format is csv or jsonl, not '${format}'`);
          options.format = format;
          break;
        }
        case '--encoding': {
          const encoding = take('--encoding').toLowerCase().replace('-', '');
          const known: Record<string, SourceEncoding | 'auto'> = { auto: 'auto', utf8: 'utf8', gb18030: 'gb18030', gbk: 'gb18030', gb2312: 'gb18030' };
          if (!known[encoding]) throw new CliError('USAGE', `hotline import: --encoding is auto, utf8 or gb18030 (gbk)`);
          options.encoding = known[encoding]!;
          break;
        }
        case '--rejects':
          options.rejectsDir = take('--rejects');
          break;
        case '--batch-size': {
          const n = Number(take('--batch-size'));
          if (!Number.isInteger(n) || n < 1 || n > 20000) throw new CliError('USAGE', 'hotline import: --batch-size is 1–20000');
          options.batchSize = n;
          break;
        }
        case '--zone': {
          const zone = take('--zone');
          const minutes = parseZone(zone);
          if (minutes === null) throw new CliError('USAGE', `hotline import: --zone is an offset such as +08:00 or Z, not '${zone}'`);
          options.zoneMinutes = minutes;
          break;
        }
        case '--json':
          options.json = true;
          break;
        default:
          if (arg.startsWith('--map=')) addMapping(parseMappingEntries([arg.slice('--map='.length)], '--map'));
          else if (arg.startsWith('-') && arg !== '-') throw new CliError('USAGE', `hotline import: unknown option ${arg}`);
          else options.files.push(arg);
      }
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError('USAGE', `hotline import: ${(error as Error).message}`);
    }
  }
  if (options.files.length === 0) throw new CliError('USAGE', 'hotline import: give at least one FILE (gongkai hotline import FILE… ; --help for options)');
  return options;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Rows per second, with the share of the file's bytes read as the bar. */
function progressReporter() {
  const line = progressLine();
  let started = Date.now();
  let currentFile = '';
  return (p: ImportProgress) => {
    if (p.file !== currentFile) {
      currentFile = p.file;
      started = Date.now();
    }
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const share = p.bytesTotal > 0 ? p.bytesRead / p.bytesTotal : 0;
    const rejected = p.rejected > 0 ? `, ${fmt(p.rejected)} rejected` : '';
    line.draw(
      `${p.file} ${progressBar(line, share)}${String(Math.round(share * 100)).padStart(3)}% ${fmt(p.rows)} rows ${fmt(Math.round(p.rows / seconds))} rows/s${rejected}${p.done ? ', done' : ''}`,
      p.done,
    );
    if (p.done) line.end();
  };
}

function printSummary(summaries: ImportSummary[]): void {
  const out: string[] = [];
  for (const s of summaries) {
    if (s.error) {
      out.push(`${s.file}: not imported: ${s.error}`);
      continue;
    }
    out.push(
      `${s.file}: ${fmt(s.rows)} rows (${s.format}, ${s.encoding}): ${fmt(s.inserted)} inserted, ${fmt(s.updated)} updated, ` +
        `${fmt(s.unchanged)} unchanged, ${fmt(s.rejected)} rejected`,
    );
    for (const r of s.rejections.slice(0, 20)) out.push(`  line ${r.line}: ${r.reason}`);
    if (s.rejected > 20) out.push(`  … and ${fmt(s.rejected - 20)} more`);
    if (s.rejectsFile) out.push(`  rejected rows saved to ${s.rejectsFile} (holds personal data: delete it when done)`);
  }
  const t = totals(summaries);
  out.push(`total: ${fmt(t.inserted)} inserted, ${fmt(t.updated)} updated, ${fmt(t.unchanged)} unchanged, ${fmt(t.rejected)} rejected`);
  console.log(out.join('\n'));
}

function totals(summaries: ImportSummary[]) {
  const sum = (key: 'rows' | 'inserted' | 'updated' | 'unchanged' | 'rejected') => summaries.reduce((n, s) => n + s[key], 0);
  return { read: sum('rows'), inserted: sum('inserted'), updated: sum('updated'), unchanged: sum('unchanged'), rejected: sum('rejected'), filesNotImported: summaries.filter((s) => s.error).length };
}

/** 0 every row imported, 1 some rows or files rejected, 2 nothing imported (cli/outcome.ts). */
function importExitCode(summaries: ImportSummary[]): ExitCode {
  const t = totals(summaries);
  return exitCodeOf(t.inserted + t.updated + t.unchanged, t.rejected + t.filesNotImported);
}

const fileJson = (s: ImportSummary) => ({
  file: s.file,
  format: s.format,
  encoding: s.encoding,
  read: s.rows,
  inserted: s.inserted,
  updated: s.updated,
  unchanged: s.unchanged,
  rejected: s.rejected,
  rejectsFile: s.rejectsFile,
  rejections: s.rejections,
  ignoredColumns: s.ignoredColumns,
  error: s.error,
});

/** Shows the year rollup's refresh, one (province, year) at a time. */
function rollupProgressReporter() {
  const line = progressLine();
  return (p: RefreshProgress) => {
    const done = p.done === p.total;
    line.draw(
      `year rollup ${progressBar(line, p.total > 0 ? p.done / p.total : 1)}${p.done}/${p.total} (province, year)${done ? ', done' : ` — ${p.province}0000 ${p.year}`}`,
      done,
    );
    if (done) line.end();
  };
}

async function refreshRollups(args: string[]): Promise<number> {
  const json = wantsJson(args);
  const unknown = args.filter((arg) => arg !== '--all' && arg !== '--json');
  if (unknown.length > 0) throw new CliError('USAGE', `hotline refresh-rollups: unknown argument ${unknown[0]} (only --all, --json)`);
  const summary = await withSubgraphDatabase(
    hotlineSubgraph,
    (orm) => refreshYearRollups(orm.em.fork(), { all: args.includes('--all'), onProgress: rollupProgressReporter() }),
    (line) => process.stderr.write(`${line}\n`),
  );
  const exitCode = exitCodeOf(summary.refreshed, summary.skipped);
  if (json) printJson({ ok: exitCode === EXIT.ok, exitCode, ...summary });
  else console.log(rollupLine(summary));
  return exitCode;
}

const rollupLine = (summary: RefreshSummary): string =>
  `year rollup: ${fmt(summary.refreshed)} (province, year) refreshed in ${summary.seconds} s` +
  (summary.skipped > 0 ? `; ${fmt(summary.skipped)} kept changing while refreshed and stay stale (computed from the tickets): run again` : '');

async function importCommand(rest: string[]): Promise<number> {
  const options = parseArgs(rest);
  let summaries: ImportSummary[];
  let rollups: RefreshSummary | null = null;
  try {
    summaries = await withSubgraphDatabase(
      hotlineSubgraph,
      (orm) =>
        importFiles(orm.em.fork(), options.files, {
          mapping: options.mapping,
          defaultLine: options.line,
          format: options.format,
          encoding: options.encoding,
          rejectsDir: options.rejectsDir,
          batchSize: options.batchSize,
          zoneMinutes: options.zoneMinutes,
          onProgress: progressReporter(),
          onRollupProgress: rollupProgressReporter(),
          onRollupSummary: (summary) => (rollups = summary),
          onNotice: (line) => process.stderr.write(`${line}\n`),
        }),
      (line) => process.stderr.write(`${line}\n`),
    );
  } catch (error) {
    if (error instanceof DirectoryMissingError || error instanceof ImportFileError || error instanceof PersonalDataKeyError) {
      throw new CliError('IMPORT_REFUSED', `hotline import: ${error.message}`);
    }
    if (!(error instanceof ImportInterrupted)) throw error;
    // Stopped part-way: what was written is whole (one transaction per batch); say so, then why.
    const failure = describeFailure(error.cause);
    const t = totals(error.summaries);
    const written = t.inserted + t.updated + t.unchanged;
    const exitCode = written > 0 ? EXIT.someFailed : EXIT.nothingDone;
    const message = `hotline import stopped: ${failure.message}${written > 0 ? `; ${fmt(written)} rows were imported before it stopped: run the same command again to finish (imported rows are merged, not duplicated)` : ''}`;
    if (options.json) printJson({ ok: false, exitCode, error: { code: failure.code, message }, files: error.summaries.map(fileJson), total: t });
    else printSummary(error.summaries);
    console.error(`gongkai: ${message} (${failure.code})`);
    return exitCode;
  }
  const exitCode = importExitCode(summaries);
  if (options.json) printJson({ ok: exitCode === EXIT.ok, exitCode, files: summaries.map(fileJson), total: totals(summaries), rollups });
  else {
    printSummary(summaries);
    if (rollups) console.log(rollupLine(rollups));
  }
  return exitCode;
}

const command: Command = {
  usage: USAGE,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'refresh-rollups') return refreshRollups(rest);
    if (sub !== 'import') {
      throw new CliError('USAGE', 
        sub
          ? `hotline: unknown subcommand '${sub}' (gongkai hotline import FILE… | gongkai hotline refresh-rollups)`
          : 'hotline: give a subcommand: gongkai hotline import FILE… | gongkai hotline refresh-rollups',
      );
    }
    return importCommand(rest);
  },
};

export default command;
