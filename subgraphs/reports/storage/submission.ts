// A report submission as clients send it (the extractor's output, a municipal system's push, a
// correction), checked field by field before anything is stored: every refusal names the field.
import { createHash } from 'node:crypto';
import { idArgument } from '../../../lib/graphql/arguments.ts';
import { invalidArgument } from '../../../lib/graphql/errors.ts';
import { parseFigureKey } from '../figures/vocabulary.ts';
import type { StoredSelfCheck } from '../oversight/selfCheck.ts';

export type ReportFormat = 'PRE2019_TABLE' | 'PRE2019_PROSE' | 'STD2019' | 'STD2021';
export type DataOrigin = 'OFFICIAL' | 'SAMPLE' | 'SYNTHETIC';

export interface FigureSourceInput {
  text: string;
  start: number;
  end: number;
}

export interface FigureInput {
  key: string;
  value: number;
  approx?: boolean | null;
  source?: FigureSourceInput | null;
}

/** A warning of the extractor that read the report (ExtractionWarning). */
export interface ExtractionWarningInput {
  code: string;
  message: string;
  figureKeys?: string[] | null;
}

/** The extractor's self-check of the report it read (SelfCheck of extraction/types.ts). */
export interface SelfCheckInput {
  template: string;
  coverage: number;
  consistency: number;
  identitiesChecked: number;
}

export interface SubmitReportInput {
  agencyId: string | number;
  year: number;
  regionCode?: string | null;
  format?: ReportFormat | null;
  publishedOn?: string | null;
  agencyName?: string | null;
  figures: FigureInput[];
  /** The same figures as the report's prose states them, to be checked against its tables. */
  proseFigures?: FigureInput[] | null;
  documentId?: string | number | null;
  /** What the extractor warned about; those that matter to an inspector become flags. */
  warnings?: ExtractionWarningInput[] | null;
  /**
   * Set by ingestion only, from the extractor: the GraphQL input has no such field, so a report
   * submitted by hand has no self-check (and no NEEDS_REVIEW flag from one).
   */
  selfCheck?: SelfCheckInput | null;
  correctionNote?: string | null;
}

export interface CheckedFigure {
  key: string;
  value: number;
  approx: boolean;
  source: FigureSourceInput | null;
}

export interface CheckedSubmission {
  agencyId: number;
  year: number;
  regionCode: string | null;
  format: ReportFormat | null;
  publishedOn: string | null;
  agencyName: string | null;
  figures: CheckedFigure[];
  proseFigures: CheckedFigure[];
  documentId: number | null;
  warnings: { code: string; message: string; figureKeys: string[] }[];
  selfCheck: StoredSelfCheck | null;
  correctionNote: string | null;
  dataOrigin: DataOrigin;
  /** Identifies the content (identity and figures): submitting it again stores nothing new. */
  contentHash: string;
}

const MAX_FIGURES = 2000;
const MAX_SOURCE = 2000;

/** Why a figure cannot be stored (the field at fault and the reason), or null when it can. */
export function figureProblem(figure: FigureInput): { field: 'key' | 'value' | 'source' | 'source.text'; reason: string } | null {
  const parsed = parseFigureKey(figure.key);
  if (!parsed) return { field: 'key', reason: `'${figure.key}' is not a figure key of the vocabulary (docs/figures.md)` };
  const { value } = figure;
  if (typeof value !== 'number' || !Number.isFinite(value)) return { field: 'value', reason: `${figure.key} must be a number` };
  const unit = parsed.definition.unit;
  if (value < 0) return { field: 'value', reason: `${figure.key} cannot be negative (${value})` };
  if (unit === 'COUNT' && !Number.isInteger(value)) return { field: 'value', reason: `${figure.key} is a count, got ${value}` };
  if (unit === 'PERCENT' && value > 100) return { field: 'value', reason: `${figure.key} is a percentage (0–100), got ${value}` };
  const source = figure.source;
  if (source) {
    if (!Number.isInteger(source.start) || !Number.isInteger(source.end) || source.start < 0 || source.end < source.start) {
      return { field: 'source', reason: 'source offsets must satisfy 0 ≤ start ≤ end' };
    }
    if (source.text.length > MAX_SOURCE) return { field: 'source.text', reason: `a source snippet is limited to ${MAX_SOURCE} characters` };
  }
  return null;
}

// the ids of the templates matched, joined by '+' (STD2021_ART20+STD2021_APPLICATIONS+STD_REVIEW)
const MAX_TEMPLATE = 200;
const isShare = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;

/** Why a self-check cannot be stored (the field at fault and the reason), or null when it can. */
export function selfCheckProblem(selfCheck: SelfCheckInput): { field: keyof SelfCheckInput; reason: string } | null {
  const { template, coverage, consistency, identitiesChecked } = selfCheck;
  if (typeof template !== 'string' || !template.trim() || template.length > MAX_TEMPLATE) {
    return { field: 'template', reason: `template must be a template id of 1–${MAX_TEMPLATE} characters` };
  }
  if (!isShare(coverage)) return { field: 'coverage', reason: `coverage is a share between 0 and 1, got ${coverage}` };
  if (!Number.isSafeInteger(identitiesChecked) || identitiesChecked < 0) {
    return { field: 'identitiesChecked', reason: `identitiesChecked is a count, got ${identitiesChecked}` };
  }
  // With no identity checked, consistency is a share of nothing: whatever it says is dropped.
  if (identitiesChecked > 0 && !isShare(consistency)) {
    return { field: 'consistency', reason: `consistency is a share between 0 and 1, got ${consistency}` };
  }
  return null;
}

function checkSelfCheck(selfCheck: SelfCheckInput | null | undefined): StoredSelfCheck | null {
  if (!selfCheck) return null;
  const problem = selfCheckProblem(selfCheck);
  if (problem) throw invalidArgument(`input.selfCheck.${problem.field}`, problem.reason);
  return {
    template: selfCheck.template.trim(),
    coverage: selfCheck.coverage,
    consistency: selfCheck.identitiesChecked > 0 ? selfCheck.consistency : null,
    identitiesChecked: selfCheck.identitiesChecked,
  };
}

function checkFigures(argument: string, figures: FigureInput[]): CheckedFigure[] {
  if (figures.length > MAX_FIGURES) throw invalidArgument(argument, `at most ${MAX_FIGURES} figures per report`);
  const seen = new Set<string>();
  return figures.map((figure, i) => {
    const at = `${argument}[${i}]`;
    const problem = figureProblem(figure);
    if (problem) throw invalidArgument(`${at}.${problem.field}`, problem.reason);
    if (seen.has(figure.key)) throw invalidArgument(`${at}.key`, `'${figure.key}' is given twice`);
    seen.add(figure.key);
    return { key: figure.key, value: figure.value, approx: figure.approx ?? false, source: figure.source ?? null };
  });
}

function checkDate(argument: string, date: string, year: number, today: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const parsed = match ? new Date(`${date}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw invalidArgument(argument, `'${date}' is not a date (YYYY-MM-DD)`);
  }
  if (date > today) throw invalidArgument(argument, `${date} is in the future`);
  if (date < `${year}-01-01`) throw invalidArgument(argument, `a report on ${year} cannot be published on ${date}`);
  return date;
}

function optionalId(argument: string, id: string | number | null | undefined): number | null {
  if (id === null || id === undefined) return null;
  return idArgument(argument, id);
}

function hashOf(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

export function checkSubmission(input: SubmitReportInput, dataOrigin: DataOrigin = 'OFFICIAL', now = new Date()): CheckedSubmission {
  const agencyId = optionalId('input.agencyId', input.agencyId);
  if (agencyId === null) throw invalidArgument('input.agencyId', 'agencyId is required');
  const today = now.toISOString().slice(0, 10);
  const currentYear = now.getUTCFullYear();
  if (!Number.isInteger(input.year) || input.year < 2007 || input.year > currentYear) {
    throw invalidArgument('input.year', `year must be between 2007 and ${currentYear}, got ${input.year}`);
  }
  const figures = checkFigures('input.figures', input.figures);
  const proseFigures = checkFigures('input.proseFigures', input.proseFigures ?? []);
  const checked = {
    agencyId,
    year: input.year,
    regionCode: input.regionCode?.trim() || null,
    format: input.format ?? null,
    publishedOn: input.publishedOn ? checkDate('input.publishedOn', input.publishedOn, input.year, today) : null,
    agencyName: input.agencyName?.trim() || null,
    figures: [...figures].sort((a, b) => (a.key < b.key ? -1 : 1)),
    proseFigures: [...proseFigures].sort((a, b) => (a.key < b.key ? -1 : 1)),
    documentId: optionalId('input.documentId', input.documentId),
    warnings: (input.warnings ?? []).map((w) => ({ code: w.code, message: w.message, figureKeys: w.figureKeys ?? [] })),
    selfCheck: checkSelfCheck(input.selfCheck),
    correctionNote: input.correctionNote?.trim() || null,
    dataOrigin,
  };
  // The content a version stands for: identity and figures. Where and how well they were read
  // (document, source offsets, extraction warnings, the extractor's self-check) and why (the
  // correction note) do not make a new version: the same report read from its PDF and from its
  // web page is one version.
  const content = {
    ...checked,
    figures: checked.figures.map(({ key, value, approx }) => ({ key, value, approx })),
    proseFigures: checked.proseFigures.map(({ key, value, approx }) => ({ key, value, approx })),
    documentId: undefined,
    warnings: undefined,
    selfCheck: undefined,
    correctionNote: undefined,
  };
  return { ...checked, contentHash: hashOf(content) };
}
