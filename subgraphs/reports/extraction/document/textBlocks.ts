// Plain text (as typed, from pdftotext -layout, an OCR tool's Markdown, or a page dump) → the
// document model's blocks. A line is a table row when it is a Markdown/pipe row or ends in value
// cells that are not the end of a sentence; a long line that holds a flattened table (a page
// dump) is cut into its prose and its rows.
import type { Block, Cell, DocumentForm, DocumentModel, Row } from './model.ts';
import { splitFlattenedTables } from './pageDump.ts';
import { cellsOf, isNumericCell, splitLines, squeeze, type Line, type TableRow } from './lines.ts';

const MARKDOWN_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
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
  const cells = cellsOf(line);
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

/** Label and values of a row: the trailing numeric cells are values, the cells before them the label. */
export function tableRowOf(row: Row): TableRow {
  let i = row.cells.length;
  while (i > 0 && isNumericCell(row.cells[i - 1]!.text.replace(/\s+/g, ''))) i--;
  return { label: row.cells.slice(0, i).map((c) => c.text).join(' '), values: row.cells.slice(i) };
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
    const heading = HEADING.test(cell.text) && squeeze(cell.text).length <= 30 && !/[。；]/.test(cell.text);
    blocks.push({ kind: heading ? 'heading' : 'paragraph', text: cell.text, start: cell.start, end: cell.end });
  };
  for (const line of splitLines(text)) {
    if (line.text.trim() === '' || MARKDOWN_RULE.test(line.text)) continue;
    const row = pipeRow(line) ?? (line.text.length < FLAT_LINE ? spacedRow(line) : null);
    if (row) {
      table.push(row);
      continue;
    }
    const flat = splitFlattenedTables(line.text, line.start);
    if (flat.rows.length === 0) {
      paragraph(trimmed(line));
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
  return { form, text, blocks, warnings: [] };
}

function trimmed(line: Line): Cell {
  const lead = line.text.length - line.text.trimStart().length;
  const body = line.text.trim();
  return { text: body, start: line.start + lead, end: line.start + lead + body.length };
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
