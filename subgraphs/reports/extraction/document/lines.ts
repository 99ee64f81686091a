// Low-level text helpers shared by the table and prose readers: lines with absolute offsets,
// numeric cells, and the fuzzy label similarity that tolerates wrapped, truncated or OCR'd labels.

export interface Line {
  index: number;
  text: string;
  /** absolute offset of the line's first character in the document text */
  start: number;
  end: number;
  /** set when the line is a table row: its label and its value cells (a cell may be a digit run) */
  row?: TableRow;
}

export interface TableRow {
  label: string;
  values: Cell[];
}

export function splitLines(text: string, offset = 0): Line[] {
  const lines: Line[] = [];
  let start = 0;
  let index = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    const body = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    lines.push({ index: index++, text: body, start: offset + start, end: offset + start + body.length });
    if (end === text.length) break;
    start = end + 1;
  }
  return lines;
}

/** A whitespace- or pipe-separated cell of a table line, with absolute offsets. */
export interface Cell {
  text: string;
  start: number;
  end: number;
}

export function cellsOf(line: Line): Cell[] {
  const cells: Cell[] = [];
  for (const m of line.text.matchAll(/[^\s|]+/g)) {
    cells.push({ text: m[0], start: line.start + m.index, end: line.start + m.index + m[0].length });
  }
  return cells;
}

const NUMERIC_CELL = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;
export const isNumericCell = (s: string): boolean => NUMERIC_CELL.test(s);
export const numberOf = (s: string): number => Number(s.replace(/,/g, ''));

/** The numeric cells that end a line (a table row's figures) and the label text before them. */
export function trailingNumbers(line: Line): { cells: Cell[]; label: string } {
  const cells = cellsOf(line);
  let i = cells.length;
  while (i > 0 && isNumericCell(cells[i - 1]!.text)) i--;
  const numeric = cells.slice(i);
  const labelEnd = numeric.length > 0 ? numeric[0]!.start - line.start : line.text.length;
  return { cells: numeric, label: line.text.slice(0, labelEnd) };
}

export const hasCjk = (s: string): boolean => /[\u3400-\u9fff]/.test(s);

/**
 * A function of a string, remembered: the table matcher asks for the same labels' cores and
 * bigrams once per pair of a row and a template label (and a row's context may be a whole
 * flattened page). The memory is bounded: forgotten when it holds too many strings or letters.
 */
function remembered<T>(compute: (s: string) => T): (s: string) => T {
  const known = new Map<string, T>();
  let letters = 0;
  return (s) => {
    let value = known.get(s);
    if (value === undefined) {
      if (known.size >= 20_000 || letters >= 4_000_000) {
        known.clear();
        letters = 0;
      }
      value = compute(s);
      known.set(s, value);
      letters += s.length;
    }
    return value;
  };
}

/** Only the Chinese letters of a label, numbering like （三） 1. 一、 removed. */
export const labelCore = remembered((s: string): string =>
  s
    .replace(/[（(]\s*[一二三四五六七八九十\d]+\s*[）)]/g, '')
    .replace(/(^|[^\u3400-\u9fff])[一二三四五六七八九十]+\s*[、.．]/g, '$1')
    .replace(/[^\u3400-\u9fff]/g, ''),
);

/** The bigrams of a string (a set: callers only read it). */
const bigrams = remembered((s: string): Set<string> => {
  const out = new Set<string>();
  if (s.length === 1) out.add(s);
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
});

/** Dice coefficient on character bigrams of the Chinese letters of both strings. */
export function similarity(a: string, b: string): number {
  const x = bigrams(labelCore(a));
  const y = bigrams(labelCore(b));
  if (x.size === 0 || y.size === 0) return 0;
  let common = 0;
  for (const g of x) if (y.has(g)) common++;
  return (2 * common) / (x.size + y.size);
}

/** Collapses the spaces pdftotext and OCR put between Chinese letters and digits. */
export function squeeze(s: string): string {
  return s.replace(/\s+/g, '');
}
