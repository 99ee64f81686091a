// A document in, its reports stored: extract, find each report's agency, keep the original and
// store every report as a version. Each report is all-or-nothing (a savepoint); a document none
// of whose reports could be stored leaves nothing behind, not even the document. What the stored
// reports changed is recorded in the reports' change log as the document's last statement.
import { extname } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { extractDocument, UnreadableDocumentError, type ExtractedReport, type ExtractionLimits, type ExtractionResult, type ExtractionWarning } from '../extraction/index.ts';
import { sql } from '../../../lib/database/sql.ts';
import { recordChanges } from '../../../lib/cache/changeLog.ts';
import type { Change } from '../../../lib/cache/changes.ts';
import { storeDocument } from '../storage/documents.ts';
import { writeReport, type StoreOutcome } from '../storage/storeReport.ts';
import { checkSubmission, figureProblem, selfCheckProblem, type FigureInput, type SelfCheckInput } from '../storage/submission.ts';

/** Finds (or, where the caller may, registers) the agency a report belongs to. */
export type AgencyResolver = (agencyName: string, regionCode: string) => Promise<number>;

/** A refusal to resolve an agency, with a reason for the person ingesting. */
export class AgencyResolutionError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface IngestedReport {
  agencyName: string | null;
  regionCode: string | null;
  year: number | null;
  outcome: StoreOutcome | 'FAILED';
  reportId: number | null;
  failure: { code: string; message: string } | null;
  warnings: ExtractionWarning[];
}

export interface IngestedDocument {
  fileName: string;
  documentId: number | null;
  /** false when the same bytes were stored before */
  documentCreated: boolean;
  /**
   * set when nothing could be read from the document; `setting` names the extraction limit it
   * passed (code DOCUMENT_TOO_COMPLEX: extraction/limits.ts)
   */
  unreadable: { code: string; message: string; setting?: string } | null;
  reports: IngestedReport[];
  warnings: ExtractionWarning[];
}

export interface IngestOptions {
  fileName: string;
  bytes: Uint8Array;
  /** For documents whose text names no region (an agency that says only "市安监局"). */
  regionCode?: string | null;
  /** For documents whose text states no year. */
  year?: number | null;
  resolveAgency: AgencyResolver;
  /** Runs in the document's transaction once its reports are written: what it records commits with them. */
  withinTransaction?: (tx: EntityManager, result: IngestedDocument) => Promise<void>;
}

const MEDIA_TYPES: Record<string, string> = { '.pdf': 'application/pdf', '.html': 'text/html', '.htm': 'text/html' };
export const mediaTypeOf = (fileName: string): string => MEDIA_TYPES[extname(fileName).toLowerCase()] ?? 'text/plain';

function submissionFigures(report: ExtractedReport): { figures: FigureInput[]; warnings: ExtractionWarning[] } {
  const figures: FigureInput[] = [];
  const warnings: ExtractionWarning[] = [];
  for (const [key, figure] of Object.entries(report.figures)) {
    const input = { key, value: figure.value, approx: figure.approx, source: figure.source };
    const problem = figureProblem(input);
    if (problem) warnings.push({ code: 'FIGURE_REJECTED', message: problem.reason, figureKeys: [key] });
    else figures.push(input);
  }
  return { figures, warnings };
}

/**
 * The extractor's self-check as a submission carries it. One the storage would refuse (a share
 * outside 0–1: an extractor bug, not the document's fault) is left out with a
 * SELF_CHECK_REJECTED warning instead of failing the report.
 */
function submissionSelfCheck(report: ExtractedReport): { selfCheck: SelfCheckInput | null; warnings: ExtractionWarning[] } {
  if (!report.selfCheck) return { selfCheck: null, warnings: [] };
  const problem = selfCheckProblem(report.selfCheck);
  if (!problem) return { selfCheck: report.selfCheck, warnings: [] };
  return { selfCheck: null, warnings: [{ code: 'SELF_CHECK_REJECTED', message: `the extractor's self-check was not kept: ${problem.reason}` }] };
}

const failed = (report: ExtractedReport, code: string, message: string, regionCode: string | null = report.regionCode): IngestedReport => ({
  agencyName: report.agencyName,
  regionCode,
  year: report.year,
  outcome: 'FAILED',
  reportId: null,
  failure: { code, message },
  warnings: report.warnings,
});

/** Stores one report of the document; adds what it changed to `changes` once its savepoint is released. */
async function ingestReport(
  tx: EntityManager,
  report: ExtractedReport,
  documentId: number,
  options: IngestOptions,
  changes: Change[],
): Promise<IngestedReport> {
  const regionCode = report.regionCode ?? options.regionCode ?? null;
  const year = report.year ?? options.year ?? null;
  if (!regionCode) return failed(report, 'REGION_UNRESOLVED', 'the text names no region the agency belongs to; give one (--region CODE)', null);
  if (!year) return failed(report, 'YEAR_UNRESOLVED', 'the text states no year; give one (--year YYYY)', regionCode);
  if (!report.agencyName) return failed(report, 'AGENCY_UNRESOLVED', 'the text names no publishing agency', regionCode);
  try {
    const agencyId = await options.resolveAgency(report.agencyName, regionCode);
    const already = await versionFromDocument(tx, agencyId, year, documentId);
    // The same document again changes nothing, even when a later correction replaced what it said.
    if (already !== null) return { agencyName: report.agencyName, regionCode, year, outcome: 'UNCHANGED', reportId: already, failure: null, warnings: report.warnings };
    const { figures, warnings } = submissionFigures(report);
    const { selfCheck, warnings: selfCheckWarnings } = submissionSelfCheck(report);
    const allWarnings = [...report.warnings, ...warnings, ...selfCheckWarnings];
    const stored = await tx.transactional((savepoint) =>
      writeReport(
        savepoint,
        checkSubmission({
          agencyId,
          year,
          regionCode,
          format: report.format,
          publishedOn: report.publishedOn,
          agencyName: report.agencyName,
          figures,
          documentId,
          warnings: allWarnings.map((w) => ({ code: w.code, message: w.message, figureKeys: w.figureKeys ?? [] })),
          selfCheck,
        }),
      ),
    );
    changes.push(...stored.changes);
    return { agencyName: report.agencyName, regionCode, year, outcome: stored.outcome, reportId: stored.reportId, failure: null, warnings: allWarnings };
  } catch (error) {
    if (error instanceof AgencyResolutionError) return failed(report, error.code, error.message, regionCode);
    if (error instanceof GraphQLError) return failed(report, String(error.extensions.code ?? 'REFUSED'), error.message, regionCode);
    throw error;
  }
}

/** The current report of the agency and year, when some version of it was read from this document. */
async function versionFromDocument(tx: EntityManager, agencyId: number, year: number, documentId: number): Promise<number | null> {
  const [row] = await sql<{ id: number }>(
    tx,
    `select current.id from reports.annual_report current
      where current.agency_id = $1 and current.year = $2 and current.superseded_at is null
        and exists (select 1 from reports.annual_report v where v.agency_id = $1 and v.year = $2 and v.document_id = $3)`,
    [agencyId, year, documentId],
  );
  return row?.id ?? null;
}

/** What extraction made of a document: its reports, or why nothing could be read from it. */
export type DocumentReading =
  | { extraction: ExtractionResult }
  | { unreadable: NonNullable<IngestedDocument['unreadable']>; warnings: ExtractionWarning[] };

/**
 * Extracts a document for ingestion, apart from storing it, so that a caller with many documents
 * can read the next ones (in the pool's other workers) while this one is stored. `limits` sizes
 * the pool (the CLI's has a worker per core).
 */
export async function readForIngest(input: { fileName: string; bytes: Uint8Array }, limits?: ExtractionLimits): Promise<DocumentReading> {
  let extraction: ExtractionResult;
  try {
    // In a worker thread, within the extraction limits: a hostile document is refused (DOCUMENT_TOO_COMPLEX), never stalls the caller.
    extraction = await extractDocument(input, limits);
  } catch (error) {
    if (error instanceof UnreadableDocumentError) {
      const { setting } = error as { setting?: unknown };
      return { unreadable: { code: error.code, message: error.message, ...(typeof setting === 'string' ? { setting } : {}) }, warnings: [] };
    }
    throw error;
  }
  if (extraction.reports.length === 0) {
    const message = extraction.warnings.find((w) => w.code === 'NO_REPORT_FOUND')?.message ?? 'no disclosure report was found in the document';
    return { unreadable: { code: 'NO_REPORT_FOUND', message }, warnings: extraction.warnings };
  }
  return { extraction };
}

/** Extracts (unless `reading` is given: the document already read) and stores the document in one transaction. */
export async function ingestDocument(em: EntityManager, options: IngestOptions, reading?: DocumentReading): Promise<IngestedDocument> {
  const base = { fileName: options.fileName, documentId: null, documentCreated: false, reports: [] as IngestedReport[] };
  const read = reading ?? (await readForIngest({ fileName: options.fileName, bytes: options.bytes }));
  if ('unreadable' in read) return { ...base, unreadable: read.unreadable, warnings: read.warnings };
  const { extraction } = read;
  return em.transactional(async (tx) => {
    const document = await storeDocument(tx, {
      fileName: options.fileName,
      mediaType: mediaTypeOf(options.fileName),
      bytes: options.bytes,
      text: extraction.text,
    });
    const reports: IngestedReport[] = [];
    const changes: Change[] = [];
    for (const report of extraction.reports) reports.push(await ingestReport(tx, report, document.id, options, changes));
    const result: IngestedDocument = {
      fileName: options.fileName,
      documentId: document.id,
      documentCreated: document.created,
      unreadable: null,
      reports,
      warnings: extraction.warnings,
    };
    if (reports.every((r) => r.outcome === 'FAILED')) {
      // Roll the document back with the failed reports; the failures are still reported.
      throw new NothingStored(result);
    }
    await options.withinTransaction?.(tx as EntityManager, result);
    await recordChanges(tx as EntityManager, 'reports', changes);
    return result;
  }).catch((error: unknown) => {
    if (error instanceof NothingStored) return { ...error.result, documentId: null, documentCreated: false };
    throw error;
  });
}

class NothingStored extends Error {
  readonly result: IngestedDocument;
  constructor(result: IngestedDocument) {
    super('no report of the document could be stored');
    this.result = result;
  }
}
