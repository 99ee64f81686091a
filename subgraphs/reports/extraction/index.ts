// The report extractor: a document (.txt, .html, .pdf) → the reports it holds, each with its
// identity and figures under the keys of docs/figures.md, every figure with its source snippet.
import type { Division } from '../../../lib/regions/divisions.ts';
import type { ExtractedReport, ExtractionResult, ExtractionWarning, FormatEra, Level } from './types.ts';
import { readDocument } from './document/readDocument.ts';
import { squeeze } from './document/lines.ts';
import { segmentReports, type Segment } from './identity/segments.ts';
import {
  expandAbbreviation,
  fullAgencyForm,
  levelHint,
  publishedOn,
  resolveRegion,
  statisticalYear,
} from './identity/reportIdentity.ts';
import { FigureSet } from './figureSet.ts';
import { readTables } from './tables/readTables.ts';
import { readTableAnchors } from './prose/tableAnchors.ts';
import { linesOf, readTextBlocks } from './document/textBlocks.ts';
import type { DocumentModel } from './document/model.ts';
import { buildStream } from './prose/proseStream.ts';
import { readProseFigures } from './prose/proseFigures.ts';
import { readHotlineProse } from './prose/hotlineProse.ts';
import { extractionLimitsFromEnv, ReadBudget, type ExtractionLimits } from './limits.ts';
import { extractInWorker } from './worker/pool.ts';

export type {
  ExtractedFigure,
  ExtractedReport,
  ExtractionResult,
  ExtractionWarning,
  FigureSource,
  FormatEra,
  Level,
  SelfCheck,
} from './types.ts';
export { UnreadableDocumentError } from './types.ts';
export { DocumentTooComplexError, extractionLimitsFromEnv, type ExtractionLimits } from './limits.ts';

/**
 * The extractor on a document (.txt, .html, .pdf), in a worker thread (worker/pool.ts): the
 * caller's event loop goes on serving while it reads, and the document is held to every limit
 * of limits.ts — time and memory too. A document past one is refused with a
 * DocumentTooComplexError (code DOCUMENT_TOO_COMPLEX); one that cannot be read at all with an
 * UnreadableDocumentError.
 */
export function extractDocument(input: { fileName: string; bytes: Uint8Array }, limits?: ExtractionLimits): Promise<ExtractionResult> {
  return extractInWorker(input, limits);
}

/**
 * The same in the calling thread (what the worker runs): the read budget's limits hold, but
 * nothing stops it after a time or bounds its memory. For callers that are a worker already.
 */
export async function extractDocumentInProcess(input: { fileName: string; bytes: Uint8Array }, limits: ExtractionLimits = extractionLimitsFromEnv()): Promise<ExtractionResult> {
  const model = await readDocument(input.fileName, input.bytes, new ReadBudget(limits, input.fileName));
  const result = extractModel(model);
  result.warnings = [...model.warnings, ...result.warnings];
  return result;
}

/** The extractor on text already read (plain text, pdftotext output, Markdown or a page dump). */
export function extractText(text: string): ExtractionResult {
  return extractModel(readTextBlocks(text, 'text'));
}

/** The extractor on a document model, whatever reader made it. */
export function extractModel(model: DocumentModel): ExtractionResult {
  const text = model.text;
  const lines = linesOf(model);
  const reports: ExtractedReport[] = [];
  const warnings: ExtractionWarning[] = [];
  for (const segment of segmentReports(text, lines)) {
    const report = extractReport(text, segment);
    if (report) reports.push(report);
  }
  if (reports.length === 0) {
    warnings.push({ code: 'NO_REPORT_FOUND', message: 'the document reads, but no disclosure report (title, table or figure) was found in it' });
  }
  return { text, form: model.form, reports, warnings };
}

function extractReport(text: string, segment: Segment): ExtractedReport | null {
  const { lines, title } = segment;
  const stream = buildStream(text, lines);
  const prose = new FigureSet();
  readProseFigures(stream, prose);
  readHotlineProse(stream, prose);
  const anchors = readTableAnchors(stream);
  for (const [key, f] of prose.figures) if (!f.approx) anchors.set(key, f.value);
  // The tables win over the prose: what a table prints is read first.
  const figures = new FigureSet();
  const tables = readTables(text, lines, anchors, figures);
  for (const [key, f] of prose.figures) figures.add(key, f.value, f.source, f.approx);
  for (const w of prose.warnings) figures.warnings.push(w);
  if (!title && figures.figures.size === 0) return null;

  const segmentText = text.slice(lines[0]?.start ?? 0, lines.at(-1)?.end ?? 0);
  const warnings: ExtractionWarning[] = [];
  let agency = title?.agency ?? inferAgency(segmentText, segment.region);
  let division: Division | null = null;
  if (title?.agency || !segment.region) {
    const resolved = resolveRegion(agency, segmentText, text);
    division = resolved.division;
    if (resolved.correctedAgency) agency = resolved.correctedAgency;
    for (const w of resolved.warnings) warnings.push(w);
  } else {
    division = segment.region;
  }
  if (agency) {
    agency = expandAbbreviation(agency);
    agency = fullAgencyForm(agency, text);
    if (division && !agency.includes(division.name) && levelHint(agency)) agency = division.name + agency.replace(/^(省|市|县|区)/, '');
  }
  const level: Level | null = division?.level ?? (agency ? levelHint(agency) : null);
  const year = statisticalYear(title, segmentText);
  if (year === null) warnings.push({ code: 'YEAR_UNRESOLVED', message: 'the text does not state the year the report covers' });
  const format = tables.era ?? formatFromText(year, segmentText);

  return {
    agencyName: agency,
    regionCode: division?.code ?? null,
    level,
    year,
    publishedOn: publishedOn(lines, year),
    format,
    selfCheck: tables.selfCheck,
    figures: Object.fromEntries(figures.figures),
    warnings: [...warnings, ...figures.warnings],
  };
}

/** An untitled report: the agency of its region that the text speaks for. */
function inferAgency(segmentText: string, region: Division | null): string | null {
  if (!region) return null;
  const flat = squeeze(segmentText);
  const asBureau = (flat.match(/我局|本局/g) ?? []).length;
  const asGovernment = (flat.match(/我(市|县|区|省)|全(市|县|区|省)|本(市|县|区|省)|(市|县|区|省)政府/g) ?? []).length;
  if (asBureau > asGovernment) {
    const names = new Map<string, number>();
    for (const m of flat.matchAll(new RegExp(`${region.name}[\\u4e00-\\u9fa5]{1,10}?(局|厅)`, 'g'))) {
      names.set(m[0], (names.get(m[0]) ?? 0) + 1);
    }
    const best = [...names.entries()].sort((a, b) => b[1] - a[1])[0];
    if (best) return best[0];
  }
  return `${region.name}人民政府`;
}

/** Without a table to tell, the era follows the circular the text cites, or else its year. */
function formatFromText(year: number | null, text: string): FormatEra | null {
  if (/〔2021〕30号|\[2021\]30号/.test(squeeze(text))) return 'STD2021';
  if (year === null || year < 2019) return 'PRE2019_PROSE';
  return year >= 2021 ? 'STD2021' : 'STD2019';
}
