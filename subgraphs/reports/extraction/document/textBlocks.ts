// Plain text (as typed, from pdftotext -layout, an OCR tool's Markdown, or a page dump) → the
// document model's blocks. A line is a table row when it is a Markdown/pipe row or ends in value
// cells that are not the end of a sentence; a long line that holds a flattened table (a page
// dump) is cut into its prose and its rows.
import type { Block, Cell, DocumentForm, DocumentModel, Row } from './model.ts';
import { splitFlattenedTables } from './pageDump.ts';
import { cellsOf, isNumericCell, splitLines, squeeze, type Line, type TableRow } from './lines.ts';

// (No two runs of blanks side by side in these rules: a long blank line was tried every way of
// sharing it between them, the square of its length.)
const MARKDOWN_RULE = /^\s*(?:\|\s*)?:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*(?:\|\s*)?$/;
const SENTENCE_END = /[。；;！？!?，,]/;
const HEADING = /^[#\s]*([（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．])/;
/** A line this long holding values in mid-text is a page dump's paragraph, tables run in. */
const FLAT_LINE = 200;

function pipeRow(line: Line): Row | null {
  if (!line.text.includes('|')) return null;
  const cells: Cell[] = [];
  for (const m of line.text.matchAll(/[^|]+/g)) {
    const lead = m[0].length - m[0].trimStart().length;
    const text = m[0].trim();
    if (text) cells.push({ text, start: line.start + m.index + lead, end: line.start + m.index + lead + text.length });
  }
  return cells.length > 0 ? { cells, start: cells[0]!.start, end: cells.at(-1)!.end } : null;
}

/** A line that ends in value cells: a table row, unless what precedes them is a sentence. */
function spacedRow(line: Line): Row | null {
  const cells = gluedValue(cellsOf(line));
  let i = cells.length;
  while (i > 0 && isNumericCell(cells[i - 1]!.text)) i--;
  const values = cells.length - i;
  if (values === 0) return null;
  const label = line.text.slice(0, (cells[i]?.start ?? line.end) - line.start);
  if (values === 1 && (SENTENCE_END.test(label.replace(/[（(][^）)]*[)）]/g, '')) || squeeze(label).length > 40)) return null;
  const labelCells = cells.slice(0, i);
  const merged: Cell[] =
    labelCells.length > 0 ? [{ text: line.text.slice(labelCells[0]!.start - line.start, labelCells.at(-1)!.end - line.start), start: labelCells[0]!.start, end: labelCells.at(-1)!.end }] : [];
  const all = [...merged, ...cells.slice(i)];
  return { cells: all, start: all[0]!.start, end: all.at(-1)!.end };
}

/**
 * A page dump that kept one row per line still glues the values to the label
 * (`其中：1.网站公开条4181509`): the digits that end the last cell are then a value cell of their own.
 */
function gluedValue(cells: Cell[]): Cell[] {
  const last = cells.at(-1);
  const m = last && !isNumericCell(last.text) ? /^(.*[\u3400-\u9fff）)])(\d[\d,]*(?:\.\d+)?)$/.exec(last.text) : null;
  if (!last || !m) return cells;
  const cut = last.start + m[1]!.length;
  return [...cells.slice(0, -1), { text: m[1]!, start: last.start, end: cut }, { text: m[2]!, start: cut, end: last.end }];
}

/** Label and values of a row: the trailing numeric cells are values, the cells before them the label. */
export function tableRowOf(row: Row): TableRow {
  const isValue = (c: Cell) => c.text === '' || isNumericCell(c.text.replace(/\s+/g, ''));
  let i = row.cells.length;
  while (i > 0 && isValue(row.cells[i - 1]!)) i--;
  // Blank cells inside the values are cells left empty (an HTML <td></td>); blanks before them are layout.
  while (i < row.cells.length && row.cells[i]!.text === '') i++;
  return { label: row.cells.slice(0, i).map((c) => c.text).filter(Boolean).join(' '), values: row.cells.slice(i) };
}

/** Display width: CJK and full-width forms take two columns, as in a terminal or a fixed layout. */
const displayWidth = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);

/**
 * The width a text was hard-wrapped at (by a converter, a mail client, `fold`), when most of its
 * lines have it; such line breaks fall anywhere, inside words and numbers, and mean nothing.
 */
function wrapWidth(lines: Line[]): { measure: (s: string) => number; width: number } | null {
  const full = lines.filter((l) => l.text.trim() !== '');
  if (full.length < 8) return null;
  let best: { measure: (s: string) => number; width: number; share: number } | null = null;
  for (const measure of [(s: string) => s.length, displayWidth]) {
    const counts = new Map<number, number>();
    for (const l of full) counts.set(measure(l.text), (counts.get(measure(l.text)) ?? 0) + 1);
    const [width, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const share = n / full.length;
    if (width >= 10 && share >= 0.5 && (!best || share > best.share)) best = { measure, width, share };
  }
  return best;
}

interface LogicalLine {
  lines: Line[];
  /** the text with the hard line breaks taken out */
  text: string;
  /** offsets[i]: document offset of text[i] */
  offsets: number[];
}

/** Lines joined where the text was hard-wrapped: a line as wide as the wrap goes on in the next. */
function logicalLines(lines: Line[]): LogicalLine[] {
  const wrap = wrapWidth(lines);
  const out: LogicalLine[] = [];
  let current: Line[] = [];
  const close = () => {
    if (current.length === 0) return;
    const offsets: number[] = [];
    for (const l of current) for (let i = 0; i < l.text.length; i++) offsets.push(l.start + i);
    out.push({ lines: current, text: current.map((l) => l.text).join(''), offsets });
    current = [];
  };
  for (const line of lines) {
    const wrapped = wrap !== null && wrap.measure(line.text) >= wrap.width - 1;
    // A wrap can cut a run of layout spaces into a line of its own: that blank goes on too.
    if (line.text.trim() === '' && !wrapped) {
      close();
      continue;
    }
    current.push(line);
    if (!wrapped) close();
  }
  close();
  return out;
}

/**
 * A numbered section heading (一、) or 报告全文 where a sentence ends: where a section starts.
 * The heading is looked for first: the look back over white space then runs only where one
 * stands (the other way round, every position of a long blank looked back over all of it).
 */
const SECTION_START = /(?=[一二三四五六七八九十]{1,3}[、.．]|报告全文)(?<=[。；！？!?][\s”"]*)/g;

/**
 * A paragraph as long as a page is a page whose line breaks were lost: it is cut where its
 * sections start, as its lines would have been.
 */
function sectionsOf(text: string, cell: Cell): Cell[] {
  if (cell.end - cell.start < 2 * FLAT_LINE) return [cell];
  const raw = text.slice(cell.start, cell.end);
  const cuts = [0, ...[...raw.matchAll(SECTION_START)].map((m) => m.index), raw.length];
  const parts: Cell[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const piece = raw.slice(cuts[k], cuts[k + 1]);
    const lead = piece.length - piece.trimStart().length;
    const body = piece.trim();
    if (body) parts.push({ text: body.replace(/\n/g, ''), start: cell.start + cuts[k]! + lead, end: cell.start + cuts[k]! + lead + body.length });
  }
  return parts;
}

export function readTextBlocks(text: string, form: DocumentForm): DocumentModel {
  const blocks: Block[] = [];
  let table: Row[] = [];
  const closeTable = () => {
    if (table.length > 0) blocks.push({ kind: 'table', rows: table, start: table[0]!.start, end: table.at(-1)!.end });
    table = [];
  };
  const paragraph = (cell: Cell) => {
    closeTable();
    for (const part of sectionsOf(text, cell)) {
      const heading = HEADING.test(part.text) && squeeze(part.text).length <= 30 && !/[。；]/.test(part.text);
      blocks.push({ kind: heading ? 'heading' : 'paragraph', text: part.text, start: part.start, end: part.end });
    }
  };
  let flattened = 0;
  for (const logical of logicalLines(splitLines(text))) {
    const single = logical.lines.length === 1 ? logical.lines[0]! : null;
    if (single && MARKDOWN_RULE.test(single.text)) continue;
    // A line far longer than any row is a whole table (or page) whose line breaks were lost.
    const piped = single && single.text.length < 2 * FLAT_LINE ? pipeRow(single) : null;
    if (piped) {
      table.push(piped);
      continue;
    }
    // A Markdown table whose line breaks were lost: its pipes are only cell boundaries. A line
    // holding a flattened table is that table, even when it ends in values like one row.
    const flat = splitFlattenedTables(logical.text.replace(/\|/g, ' '), (i) => logical.offsets[i]!);
    const row = flat.rows.length === 0 && single && single.text.length < FLAT_LINE ? spacedRow(single) : null;
    if (row) {
      table.push(row);
      continue;
    }
    flattened += flat.rows.length;
    if (flat.rows.length === 0) {
      const lead = logical.text.length - logical.text.trimStart().length;
      const body = logical.text.trim();
      paragraph({ text: body, start: logical.offsets[lead]!, end: logical.offsets[lead + body.length - 1]! + 1 });
      continue;
    }
    // Prose and rows in document order.
    const pieces = [...flat.prose.map((p) => ({ at: p.start, prose: p })), ...flat.rows.map((r) => ({ at: r.start, row: r as Row }))].sort((a, b) => a.at - b.at);
    for (const piece of pieces) {
      if ('row' in piece && piece.row) table.push(piece.row);
      else if ('prose' in piece && piece.prose) paragraph(piece.prose);
    }
  }
  closeTable();
  return { form: form === 'text' ? textForm(text, flattened) : form, text, blocks, warnings: [] };
}

/** What kind of plain text it was, from what the reader found in it. */
function textForm(text: string, flattened: number): DocumentForm {
  if (text.split('\n').some((l) => l.includes('|') && MARKDOWN_RULE.test(l))) return 'markdown';
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const laidOut = lines.filter((l) => /\S {3,}\S/.test(l)).length;
  if (lines.length > 0 && laidOut / lines.length > 0.2) return 'pdftotext';
  return flattened > 0 ? 'pageDump' : 'text';
}

/** The blocks as lines in reading order (tables row by row), the unit the readers work on. */
export function linesOf(model: DocumentModel): Line[] {
  const lines: Line[] = [];
  const push = (start: number, end: number, row?: TableRow) =>
    lines.push({ index: lines.length, text: model.text.slice(start, end), start, end, ...(row ? { row } : {}) });
  for (const block of model.blocks) {
    if (block.kind === 'table') for (const row of block.rows) push(row.start, row.end, tableRowOf(row));
    else push(block.start, block.end);
  }
  return lines;
}
