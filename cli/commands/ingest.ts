// `gongkai ingest PATH…`: every report document under the paths extracted and stored through
// the reports subgraph's code, agencies found in (or registered into) the directory through the
// agencies subgraph's. An agency registered here has only the name the extractor read: it is
// PENDING_REVIEW, its reports left out of the rollups, until an editor confirms it
// (Mutation.confirmAgency). Idempotent: the same document again changes nothing, and each
// document is stored in one transaction, so a run that was stopped (Ctrl-C, kill -9, a lost
// database) and run again ends with the same reports as one that was not.
// Exit code (cli/outcome.ts), where an item is a document: 0 every document stored (or already
// there), 1 some documents failed (unreadable, or a report of theirs not stored) or the run was
// stopped after some were stored, 2 none could be stored.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { GraphQLError } from 'graphql';
import type { Command } from '../command.ts';
import { CliError, describeFailure } from '../errors.ts';
import { EXIT, exitCodeOf, printJson, type ExitCode } from '../outcome.ts';
import { createProgress } from '../../lib/cli/progress.ts';
import { listenForInterruption } from '../../lib/cli/interruption.ts';
import { isDatabaseUnavailable } from '../../lib/database/availability.ts';
import { isRegionCode } from '../../lib/regions/codes.ts';
import { withSubgraphDatabase } from '../../lib/runtime/subgraphDatabase.ts';
import { agenciesSubgraph } from '../../subgraphs/agencies/subgraph.ts';
import { createAgency } from '../../subgraphs/agencies/directory/agencyWrites.ts';
import { sectorOfName } from '../../subgraphs/agencies/directory/sectorOfName.ts';
import { reportsSubgraph } from '../../subgraphs/reports/subgraph.ts';
import { findDirectoryAgency } from '../../subgraphs/reports/ingestion/directoryAgency.ts';
import { lookupName } from '../../lib/text/names.ts';
import { AgencyResolutionError, ingestDocument, readForIngest, type AgencyResolver, type DocumentReading, type IngestedDocument } from '../../subgraphs/reports/ingestion/ingestDocument.ts';
import { extractionLimitsFromEnv } from '../../subgraphs/reports/extraction/limits.ts';
import { closeExtractionWorkers } from '../../subgraphs/reports/extraction/worker/pool.ts';
import { countIngestedDocument, finishIngestRun, outcomeOf, startIngestRun } from '../../subgraphs/reports/ingestion/ingestRun.ts';

const DOCUMENT_EXTENSIONS = new Set(['.txt', '.html', '.htm', '.pdf']);

interface Options {
  paths: string[];
  regionCode: string | null;
  year: number | null;
  register: boolean;
  json: boolean;
}

function parseOptions(args: string[]): Options {
  const options: Options = { paths: [], regionCode: null, year: null, register: true, json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--region') options.regionCode = args[++i] ?? '';
    else if (arg === '--year') options.year = Number(args[++i]);
    else if (arg === '--no-register') options.register = false;
    else if (arg === '--json') options.json = true;
    else if (arg.startsWith('-')) throw new CliError('USAGE', `ingest: unknown option ${arg}; the options are --region, --year, --no-register, --json`);
    else options.paths.push(arg);
  }
  if (!options.paths.length) throw new CliError('USAGE', 'ingest needs at least one file or folder: gongkai ingest PATH…');
  if (options.regionCode !== null && !isRegionCode(options.regionCode)) throw new CliError('USAGE', `ingest: --region needs a 6-digit region code such as 320800, got '${options.regionCode}'`);
  if (options.year !== null && !Number.isInteger(options.year)) throw new CliError('USAGE', 'ingest: --year needs a year such as 2024');
  return options;
}

/** Files named on the command line are all tried; folders contribute their report documents. */
function documentsUnder(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (error) {
      throw new CliError('FILE_UNREADABLE', `ingest: cannot list the folder ${dir} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}): give this user read access to it`);
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      const path = join(dir, entry);
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) walk(path);
      else if (DOCUMENT_EXTENSIONS.has(extname(entry).toLowerCase())) files.push(path);
    }
  };
  for (const path of paths) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new CliError('FILE_NOT_FOUND', `ingest: no such file or folder: ${path}; check the path`);
    if (stat.isDirectory()) walk(path);
    else files.push(path);
  }
  return files;
}

/** A file that could not even be read is a document that failed, like one the extractor refused. */
function unreadableFile(fileName: string, error: unknown): IngestedDocument {
  const errno = (error as NodeJS.ErrnoException).code ?? 'unreadable';
  return {
    fileName,
    documentId: null,
    documentCreated: false,
    unreadable: { code: 'FILE_UNREADABLE', message: `the file cannot be read (${errno}): give this user read access to it` },
    reports: [],
    warnings: [],
  };
}

/** An agency this run registered in the directory, awaiting an editor's confirmation. */
interface RegisteredAgency {
  id: number;
  name: string;
  regionCode: string;
}

/** Why a run ended before its last document: a lost database, Ctrl-C, or a failure it did not expect. */
interface Stop {
  code: string;
  message: string;
}

const documentFailed = (result: IngestedDocument): boolean => result.unreadable !== null || result.reports.some((r) => r.outcome === 'FAILED');

function summaryOf(files: string[], results: IngestedDocument[]) {
  const reports = results.flatMap((r) => r.reports);
  const count = (outcome: string) => reports.filter((r) => r.outcome === outcome).length;
  const failedDocuments = results.filter(documentFailed).map((r) => r.fileName);
  return {
    documents: files.length,
    stored: results.length - failedDocuments.length,
    failed: failedDocuments.length,
    unreadable: results.filter((r) => r.unreadable).length,
    notStarted: files.length - results.length,
    failedDocuments,
    reports: { created: count('CREATED'), updated: count('NEW_VERSION'), unchanged: count('UNCHANGED'), failed: count('FAILED') },
  };
}

function summaryLines(results: IngestedDocument[], registered: RegisteredAgency[], summary: ReturnType<typeof summaryOf>): string[] {
  const lines: string[] = [];
  for (const result of results) {
    if (result.unreadable) lines.push(`${result.fileName}: not read: ${result.unreadable.message} (${result.unreadable.code})`);
    for (const report of result.reports.filter((r) => r.failure)) {
      lines.push(`${result.fileName}: ${report.agencyName ?? 'unknown agency'} ${report.year ?? ''}: not stored: ${report.failure!.message} (${report.failure!.code})`);
    }
  }
  for (const agency of registered) {
    lines.push(`registered ${agency.name} (${agency.regionCode}, id ${agency.id}): PENDING_REVIEW until an editor confirms it (confirmAgency)`);
  }
  const { reports } = summary;
  lines.push(
    `documents ${results.length} (unreadable ${summary.unreadable}); reports new ${reports.created}, updated ${reports.updated}, ` +
      `unchanged ${reports.unchanged}, failed ${reports.failed}`,
  );
  return lines;
}

const progressNote = (done: number, total: number): string =>
  `${done} of ${total} documents were worked through, each stored whole or not at all; the other ${total - done} were not started: run the same command again to finish`;

function stopOf(reason: 'INTERRUPTED' | unknown, done: number, total: number): Stop {
  if (reason === 'INTERRUPTED') return { code: 'INTERRUPTED', message: `interrupted: ${progressNote(done, total)}` };
  if (isDatabaseUnavailable(reason)) {
    return { code: 'DATABASE_UNAVAILABLE', message: `the database became unreachable during the run: ${progressNote(done, total)} once it answers (start the hub, or check DATABASE_URL)` };
  }
  // Not a document's fault (those are reported with the document): stop rather than go on blindly.
  const failure = describeFailure(reason);
  return { code: failure.code, message: `${failure.message}; ${progressNote(done, total)}` };
}

/** A document read from disk and being extracted, or the reason its file could not be read. */
type AheadDocument =
  | { readError: unknown }
  | { bytes: Buffer; reading: Promise<{ value: DocumentReading } | { error: unknown }> };

/**
 * Extraction runs ahead of storing: while one document is stored (one transaction each, in the
 * order of the files), the next ones are read in the extraction pool's other workers, a worker
 * per core (GONGKAI_EXTRACT_WORKERS overrides it) — a CLI run has the machine to itself, unlike
 * the server, whose one worker keeps queries served. Documents read ahead of a stopped run are
 * dropped unstored: running again reads them again.
 */
function readAhead(files: string[]) {
  const limits = extractionLimitsFromEnv();
  if (!process.env.GONGKAI_EXTRACT_WORKERS) limits.workers = availableParallelism();
  // every worker busy and as many documents again waiting, within the pool's queue
  const window = limits.workers + Math.min(limits.workers, limits.queue);
  const started = new Map<number, AheadDocument>();
  let next = 0;
  const start = (index: number): AheadDocument => {
    const file = files[index]!;
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (readError) {
      return { readError };
    }
    // settled here, so that a document read ahead of a run that stopped is no unhandled rejection
    const reading = readForIngest({ fileName: file, bytes }, limits).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    return { bytes, reading };
  };
  return {
    /** The document at `index`, taken in order; starts reading the ones after it. */
    take(index: number): AheadDocument {
      while (next < files.length && next < index + window) started.set(next, start(next++));
      const document = started.get(index)!;
      started.delete(index);
      return document;
    },
  };
}

const command: Command = {
  usage:
    'gongkai ingest PATH… [--region CODE] [--year YYYY] [--no-register] [--json]\n\n' +
    'Reads .txt, .html, .htm and .pdf files (folders recursively) and stores their reports.\n' +
    '  --region CODE   region for documents whose text names none\n' +
    '  --year YYYY     statistical year for documents whose text states none\n' +
    '  --no-register   do not add agencies missing from the directory (their reports fail);\n' +
    '                  without it they are added PENDING_REVIEW: their reports stay out of the\n' +
    '                  rollups until an editor confirms them (Mutation.confirmAgency)\n' +
    '  --json          print one JSON summary on stdout: {ok, exitCode, documents, registeredAgencies, summary}\n' +
    'Exit code: 0 every document stored, 1 some failed (named in the summary) or the run was stopped,\n' +
    '2 none could be stored. Ctrl-C stops after the document in hand; running again finishes the job.\n' +
    'Uses DATABASE_URL, or the embedded Postgres of the running hub (or starts it).',
  async run(args) {
    const options = parseOptions(args);
    const files = documentsUnder(options.paths);
    if (!files.length) throw new CliError('NO_DOCUMENTS', `ingest: no report documents (.txt, .html, .htm, .pdf) under ${options.paths.join(', ')}; name the files or the folder that holds them`);

    const registered: RegisteredAgency[] = [];
    const results: IngestedDocument[] = [];
    let stop: Stop | null = null;
    const stored = () => results.filter((r) => !documentFailed(r)).length;
    const interruption = listenForInterruption(
      'stopping after the document in hand (Ctrl-C again to stop at once)',
      () => (stored() > 0 ? EXIT.someFailed : EXIT.nothingDone),
    );
    try {
      await withSubgraphDatabase(agenciesSubgraph, (agencies) =>
        withSubgraphDatabase(reportsSubgraph, async (reports) => {
          const em = reports.em.fork();
          const resolveAgency: AgencyResolver = async (agencyName, regionCode) => {
            const found = await findDirectoryAgency(em, regionCode, agencyName);
            if (found !== null) return found;
            if (!options.register) throw new AgencyResolutionError('AGENCY_NOT_REGISTERED', `'${agencyName}' is not in the directory of ${regionCode}`);
            try {
              // The name is what the extractor read: an editor confirms it before the agency counts.
              const agency = await createAgency(
                agencies.em.fork(),
                // without the invisible characters a document may carry, which createAgency refuses
                { name: lookupName(agencyName), regionCode, sector: sectorOfName(agencyName) },
                { reviewStatus: 'PENDING_REVIEW' },
              );
              registered.push({ id: agency.id, name: agency.name, regionCode: agency.regionCode });
              return agency.id;
            } catch (error) {
              if (error instanceof GraphQLError) throw new AgencyResolutionError(String(error.extensions.code ?? 'AGENCY_REFUSED'), error.message);
              throw error;
            }
          };
          // reports.ingest_run, for /metrics: each document counted as it is stored
          const runId = await startIngestRun(em, files.length);
          const progress = createProgress('ingest', files.length);
          const ahead = readAhead(files);
          for (const [index, file] of files.entries()) {
            if (interruption.requested) {
              stop = stopOf('INTERRUPTED', results.length, files.length);
              break;
            }
            const document = ahead.take(index);
            if ('readError' in document) {
              results.push(unreadableFile(file, document.readError));
              try {
                await countIngestedDocument(em, runId, 'failed');
              } catch (countError) {
                stop = stopOf(countError, results.length, files.length);
                break;
              }
              progress.tick(1, file);
              continue;
            }
            try {
              const reading = await document.reading;
              if ('error' in reading) throw reading.error;
              let counted = false;
              const result = await ingestDocument(
                em.fork(),
                {
                  fileName: file,
                  bytes: document.bytes,
                  regionCode: options.regionCode,
                  year: options.year,
                  resolveAgency,
                  withinTransaction: async (tx, stored) => {
                    await countIngestedDocument(tx, runId, outcomeOf(stored));
                    counted = true;
                  },
                },
                reading.value,
              );
              results.push(result);
              // nothing of it stored (unreadable, every report refused): no transaction to count it in
              if (!counted) await countIngestedDocument(em, runId, outcomeOf(result));
            } catch (error) {
              // The document's transaction was rolled back (with its connection, when the database went).
              if (process.env.GONGKAI_DEBUG === '1') console.error(error);
              stop = stopOf(error, results.length, files.length);
              break;
            }
            progress.tick(1, file);
          }
          progress.done();
          if (stop) await finishIngestRun(em, runId, 'FAILED').catch(() => {}); // the database may be gone: then it stays RUNNING
          else await finishIngestRun(em, runId, 'DONE');
        }),
      );
    } catch (error) {
      // Before the first document (no database at all, say): the one-line error of every command.
      if (results.length === 0 && stop === null) throw error;
      // While closing after the run: what was stored stays stored, and the summary says what it was.
      stop ??= stopOf(error, results.length, files.length);
    } finally {
      // documents read ahead of a stopped run: their workers need not finish them
      await closeExtractionWorkers();
      interruption.dispose();
    }

    const summary = summaryOf(files, results);
    const exitCode: ExitCode = stop ? (summary.stored > 0 ? EXIT.someFailed : EXIT.nothingDone) : exitCodeOf(summary.stored, summary.failed);
    const lines = summaryLines(results, registered, summary);
    const finalStop = stop as Stop | null;
    if (options.json) {
      printJson({
        ok: exitCode === EXIT.ok,
        exitCode,
        ...(finalStop ? { error: finalStop } : {}),
        documents: results,
        registeredAgencies: registered.map((agency) => ({ ...agency, reviewStatus: 'PENDING_REVIEW' })),
        summary,
      });
      console.error(lines.at(-1));
    } else {
      for (const line of lines) console.log(line);
    }
    if (finalStop) console.error(`gongkai: ${finalStop.message} (${finalStop.code})`);
    return exitCode;
  },
};

export default command;
