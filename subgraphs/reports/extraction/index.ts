// The report extractor: a document (.txt, .html, .pdf) → the reports it holds, each with its
// identity and figures under the keys of docs/figures.md, every figure with its source snippet.
import type { Division } from '../../../lib/regions/divisions.ts';
import type { ExtractedReport, ExtractionResult, ExtractionWarning, FormatEra, Level } from './types.ts';
import { readDocument } from './document/readDocument.ts';
import { splitLines, squeeze } from './document/lines.ts';
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
import { readStdTables, type StdTablesFound } from './tables/std2021Tables.ts';
import { readStatTable } from './tables/statTable.ts';
import { buildStream } from './prose/proseStream.ts';
import { readProseFigures } from './prose/proseFigures.ts';
import { readHotlineProse } from './prose/hotlineProse.ts';

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

export async function extractDocument(input: { fileName: string; bytes: Uint8Array }): Promise<ExtractionResult> {
  const doc = await readDocument(input.fileName, input.bytes);
  const result = extractText(doc.text);
  result.warnings.unshift(...doc.warnings);
  return result;
}

/** The extractor on text already read (what extractDocument does after reading the file). */
export function extractText(text: string): ExtractionResult {
  const lines = splitLines(text);
  const reports: ExtractedReport[] = [];
  const warnings: ExtractionWarning[] = [];
  for (const segment of segmentReports(text, lines)) {
    const report = extractReport(text, segment);
    if (report) reports.push(report);
  }
  if (reports.length === 0) {
    warnings.push({ code: 'NO_REPORT_FOUND', message: 'the document reads, but no disclosure report (title, table or figure) was found in it' });
  }
  return { text, reports, warnings };
}

function extractReport(text: string, segment: Segment): ExtractedReport | null {
  const { lines, title } = segment;
  const figures = new FigureSet();
  const std = readStdTables(text, lines, figures);
  const statRows = std.applicationRows === 0 ? readStatTable(lines, figures) : 0;
  const stream = buildStream(text, lines);
  readProseFigures(stream, figures);
  readHotlineProse(stream, figures);
  if (!title && figures.figures.size === 0) return null;

  const segmentText = text.slice(lines[0]?.start ?? 0, lines.at(-1)?.end ?? 0);
  const warnings: ExtractionWarning[] = [];
  let agency = title?.agency ?? inferAgency(segmentText, segment.region);
  let division: Division | null = null;
  if (title?.agency || !segment.region) {
    const resolved = resolveRegion(agency, segmentText, text);
    division = resolved.division;
    if (resolved.correctedAgency) agency = resolved.correctedAgency;
    warnings.push(...resolved.warnings);
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
  const format = formatOf(std, statRows, year, segmentText);

  return {
    agencyName: agency,
    regionCode: division?.code ?? null,
    level,
    year,
    publishedOn: publishedOn(lines),
    format,
    selfCheck: null,
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

const STD2019_HEADERS = /本年新制作|本年新公开|对外公开总数量|本年增|本年减/;
const STD2021_HEADERS = /本年制发|本年废止|现行有效/;

function formatOf(std: StdTablesFound, statRows: number, year: number | null, text: string): FormatEra | null {
  if (std.applicationRows > 0 || std.art20Rows > 0 || std.reviewBlocks > 0) {
    if (std.art20Headers.some((h) => STD2019_HEADERS.test(h))) return 'STD2019';
    if (std.art20Headers.some((h) => STD2021_HEADERS.test(h)) || /〔2021〕30号|\[2021\]30号/.test(squeeze(text))) return 'STD2021';
    if (year !== null) return year >= 2021 ? 'STD2021' : 'STD2019';
    return null;
  }
  if (statRows >= 5) return 'PRE2019_TABLE';
  if (year === null || year < 2019) return 'PRE2019_PROSE';
  return year >= 2021 ? 'STD2021' : 'STD2019';
}

