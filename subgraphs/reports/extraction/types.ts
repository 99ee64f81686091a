// Public shapes of the extractor. Keys of `figures` are the canonical keys of docs/figures.md.
export type Level = 'PROVINCE' | 'CITY' | 'COUNTY';

/** What the document was: decides its reader, and is reported (the scorer groups by it). */
export type DocumentForm = 'text' | 'pdftotext' | 'markdown' | 'pageDump' | 'html' | 'pdf';
export type FormatEra = 'PRE2019_TABLE' | 'PRE2019_PROSE' | 'STD2019' | 'STD2021';

/** A snippet of the document text (the sentence or table row a figure came from) and its offsets. */
export interface FigureSource {
  text: string;
  start: number;
  end: number;
}

export interface ExtractedFigure {
  value: number;
  approx: boolean;
  source: FigureSource | null;
}

/** Stable UPPER_SNAKE codes, e.g. REGION_UNRESOLVED, AMBIGUOUS_CELL_SPLIT, NO_REPORT_FOUND. */
export interface ExtractionWarning {
  code: string;
  message: string;
  figureKeys?: string[];
}

export interface ExtractedReport {
  agencyName: string | null;
  regionCode: string | null;
  level: Level | null;
  year: number | null;
  publishedOn: string | null;
  format: FormatEra | null;
  figures: Record<string, ExtractedFigure>;
  /** How well the report's tables were read; null when no official table was found. */
  selfCheck: SelfCheck | null;
  warnings: ExtractionWarning[];
}

/**
 * The extractor's own measure of a report it read against the official template it matched:
 * coverage = share of the template's cells found, consistency = share of the template's
 * identities that hold on what was read (among those whose cells were all found).
 */
export interface SelfCheck {
  /** the template's id, e.g. STD2021, PRE2019_PROVINCIAL */
  template: string;
  coverage: number;
  consistency: number;
  /** identities whose cells were all read (the denominator of consistency) */
  identitiesChecked: number;
}

export interface ExtractionResult {
  /** The document as text; every FigureSource offset points into it. */
  text: string;
  /** the form the document came in (decides its reader) */
  form: DocumentForm;
  reports: ExtractedReport[];
  /** Warnings about the document as a whole (per-report warnings sit on each report). */
  warnings: ExtractionWarning[];
}

/** Thrown when nothing at all can be read from the input; `code` says why. */
export class UnreadableDocumentError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'UnreadableDocumentError';
    this.code = code;
  }
}
