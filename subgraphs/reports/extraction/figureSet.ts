// The figures and warnings one report accumulates while its readers run.
import type { ExtractedFigure, ExtractionWarning, FigureSource } from './types.ts';
import type { Line } from './document/lines.ts';

export class FigureSet {
  readonly figures = new Map<string, ExtractedFigure>();
  readonly warnings: ExtractionWarning[] = [];

  /** Sets a figure unless the key already has one (the first statement of a figure wins). */
  add(key: string, value: number, source: FigureSource | null, approx = false): boolean {
    if (this.figures.has(key) || !Number.isFinite(value)) return false;
    this.figures.set(key, { value, approx, source });
    return true;
  }

  warn(code: string, message: string, figureKeys?: string[]): void {
    this.warnings.push(figureKeys ? { code, message, figureKeys } : { code, message });
  }
}

/** The trimmed text of a line (a table row) as a figure's source. */
export function lineSource(line: Line): FigureSource {
  const lead = line.text.length - line.text.trimStart().length;
  const text = line.text.trim();
  return { text, start: line.start + lead, end: line.start + lead + text.length };
}

/** A source spanning several lines (a row whose label wraps), taken from the document text. */
export function spanSource(documentText: string, first: Line, last: Line): FigureSource {
  const raw = documentText.slice(first.start, last.end);
  const lead = raw.length - raw.trimStart().length;
  const text = raw.trim();
  return { text, start: first.start + lead, end: first.start + lead + text.length };
}
