// The standard tables of the 2019 trial and 2021 formats: article-20 tables (section 二), the
// application table with its applicant columns (section 三) and the review/litigation table
// (section 四). Works on text lines, so pdftotext layout, PDF layout, HTML tables (rendered as
// `| a | b |` rows) and Markdown from OCR all go through the same code.
import {
  APPLICANT_SUFFIXES,
  ART20_COLUMNS,
  ART20_ROWS,
  REVIEW_BLOCKS,
  REVIEW_COLUMNS,
  STD_APPLICATION_ROWS,
} from './labels.ts';
import { alignRows, numericRows, type NumericRow } from './matchRows.ts';
import { blocksOfFiveHold, rowTotalHolds, splitCells } from './splitCells.ts';
import { cellsOf, hasCjk, isNumericCell, numberOf, trailingNumbers, type Line } from '../document/lines.ts';
import { FigureSet, lineSource, spanSource } from '../figureSet.ts';
import { findStdSections, type SectionRange } from './sections.ts';

const COLUMNS = APPLICANT_SUFFIXES.length + 1;

export interface StdTablesFound {
  art20Rows: number;
  applicationRows: number;
  reviewBlocks: number;
  /** header words seen in the article-20 tables, for telling STD2019 from STD2021 */
  art20Headers: string[];
}

interface AppRow extends NumericRow {
  tokens: string[];
}

export function readStdTables(documentText: string, lines: Line[], out: FigureSet): StdTablesFound {
  const sections = findStdSections(lines);
  const found: StdTablesFound = { art20Rows: 0, applicationRows: 0, reviewBlocks: 0, art20Headers: [] };
  if (sections.art20) readArt20(lines, sections.art20, out, found);
  if (sections.applications) found.applicationRows = readApplications(documentText, lines, sections.applications, out);
  if (sections.review) found.reviewBlocks = readReview(documentText, lines, sections.review, out);
  return found;
}

// ---------------------------------------------------------------- article 20

function readArt20(lines: Line[], range: SectionRange, out: FigureSet, found: StdTablesFound): void {
  let columns: string[] | null = null;
  for (let i = range.from; i < range.to; i++) {
    const line = lines[i]!;
    const header = ART20_COLUMNS.map(([re, suffix]) => ({ at: line.text.search(re), suffix, re }))
      .filter((h) => h.at >= 0)
      .sort((a, b) => a.at - b.at);
    const { cells, label } = trailingNumbers(line);
    if (header.length > 0 && cells.length === 0) {
      columns = header.map((h) => h.suffix);
      found.art20Headers.push(...header.map((h) => line.text.slice(h.at).match(h.re)![0]));
      continue;
    }
    if (cells.length === 0) continue;
    const row = ART20_ROWS.find((r) => r.label.test(label.replace(/\s+/g, '')));
    if (!row) continue;
    // A label that is mostly other words is prose that happens to end in a number.
    if (label.replace(/[\s|#]/g, '').length > 16) continue;
    const names = columns && columns.length === cells.length ? columns : row.defaults.length === cells.length ? row.defaults : null;
    if (!names) {
      out.warn('ART20_COLUMNS_UNKNOWN', `article-20 row "${label.trim()}" has ${cells.length} numbers; expected ${row.defaults.length}`);
      continue;
    }
    names.forEach((suffix, k) => {
      const key = suffix ? `${row.key}.${suffix}` : row.key;
      if (out.add(key, numberOf(cells[k]!.text), lineSource(line))) found.art20Rows++;
    });
  }
}

// ---------------------------------------------------------------- application table

function digitsIn(tokens: string[]): number {
  return tokens.reduce((n, t) => n + t.replace(/\D/g, '').length, 0);
}

function readApplications(documentText: string, lines: Line[], range: SectionRange, out: FigureSet): number {
  const rows = numericRows<AppRow>(lines.slice(range.from, range.to), (line) => {
    const { cells, label } = trailingNumbers(line);
    const tokens = cells.map((c) => c.text);
    if (tokens.length === 0 || (tokens.length < COLUMNS && digitsIn(tokens) < COLUMNS)) return null;
    return { line, ownLabel: label, tokens };
  });
  const aligned = alignRows(rows, STD_APPLICATION_ROWS);
  const unlabelled = rows.length - aligned.length;
  if (unlabelled > 0) out.warn('UNLABELLED_TABLE_ROWS', `${unlabelled} numeric row(s) of the application table matched no label`);

  // Candidate readings of each row; more than one means the cells ran together ambiguously.
  const readings = new Map<string, { row: AppRow; options: number[][] }>();
  for (const { row, vocab } of aligned) {
    let options: number[][];
    if (row.tokens.length === COLUMNS) options = [row.tokens.map(numberOf)];
    else if (row.tokens.length > COLUMNS) {
      options = [row.tokens.slice(-COLUMNS).map(numberOf)];
      out.warn('EXTRA_TABLE_CELLS', `row "${row.ownLabel.trim()}" has ${row.tokens.length} numbers; the last ${COLUMNS} are read`, [vocab.key]);
    } else options = splitCells(row.tokens, COLUMNS, rowTotalHolds);
    if (options.length === 0) {
      out.warn('UNREADABLE_TABLE_ROW', `cannot read ${COLUMNS} columns from "${row.tokens.join(' ')}"`, [vocab.key]);
      continue;
    }
    readings.set(vocab.key, { row, options });
  }
  disambiguate(readings);

  let count = 0;
  for (const [key, { row, options }] of readings) {
    const keys = [...APPLICANT_SUFFIXES.map((s) => `${key}@${s}`), key];
    if (options.length !== 1) {
      out.warn(
        'AMBIGUOUS_CELL_SPLIT',
        `the cells "${row.tokens.join(' ')}" can be split ${options.length} ways that all satisfy the table's identities; left out`,
        keys,
      );
      continue;
    }
    const values = options[0]!;
    if (!rowTotalHolds(values)) out.warn('ROW_TOTAL_MISMATCH', `applicant columns of ${key} do not sum to its 总计`, [key]);
    const first = row.before.length > 0 && row.ownLabel.trim() === '' ? row.before.at(-1)! : row.line;
    const source = first === row.line ? lineSource(row.line) : spanSource(documentText, first, row.line);
    keys.forEach((k, i) => out.add(k, values[i]!, source));
    count++;
  }
  checkBalance(out);
  return count;
}

/** Table identities used to choose among the readings of run-together rows. */
function identities(keys: Set<string>): Array<{ left: string[]; right: string[] }> {
  const ids = [{ left: ['applications.received', 'applications.carriedOver'], right: ['applications.outcome.total', 'applications.carriedForward'] }];
  const leaves = STD_APPLICATION_ROWS.map((r) => r.key).filter(
    (k) =>
      keys.has(k) &&
      /outcome\.(granted|partial)$|\.denied\.|\.unavailable\.|\.notProcessed\.|\.otherHandling\./.test(k),
  );
  if (keys.has('applications.outcome.otherHandling') && !leaves.some((k) => k.includes('.otherHandling.'))) {
    leaves.push('applications.outcome.otherHandling');
  }
  if (leaves.length > 0) ids.push({ left: leaves, right: ['applications.outcome.total'] });
  return ids;
}

function disambiguate(readings: Map<string, { options: number[][] }>): void {
  const ids = identities(new Set(readings.keys()));
  let changed = true;
  while (changed) {
    changed = false;
    for (const { left, right } of ids) {
      const involved = [...left, ...right];
      if (!involved.every((k) => readings.has(k))) continue;
      const open = involved.filter((k) => readings.get(k)!.options.length > 1);
      if (open.length !== 1) continue;
      const key = open[0]!;
      const reading = readings.get(key)!;
      const kept = reading.options.filter((candidate) => {
        const valueOf = (k: string, col: number) => (k === key ? candidate[col]! : readings.get(k)!.options[0]![col]!);
        for (let col = 0; col < COLUMNS; col++) {
          const l = left.reduce((s, k) => s + valueOf(k, col), 0);
          const r = right.reduce((s, k) => s + valueOf(k, col), 0);
          if (Math.abs(l - r) > 1e-9) return false;
        }
        return true;
      });
      if (kept.length > 0 && kept.length < reading.options.length) {
        reading.options = kept;
        changed = true;
      }
    }
  }
}

function checkBalance(out: FigureSet): void {
  const suffixes = ['', ...APPLICANT_SUFFIXES.map((s) => `@${s}`)];
  const v = (key: string) => out.figures.get(key)?.value;
  for (const s of suffixes) {
    const [a, b, c, d] = ['received', 'carriedOver', 'outcome.total', 'carriedForward'].map((k) => v(`applications.${k}${s}`));
    if (a === undefined || b === undefined || c === undefined || d === undefined) continue;
    if (Math.abs(a + b - (c + d)) > 1e-9) {
      out.warn('TABLE_IDENTITY_MISMATCH', `新收 + 上年结转 ≠ 办理结果总计 + 结转下年度 in column ${s || '总计'}`, [
        `applications.received${s}`,
        `applications.outcome.total${s}`,
      ]);
    }
  }
}

// ---------------------------------------------------------------- review / litigation

function readReview(documentText: string, lines: Line[], range: SectionRange, out: FigureSet): number {
  const tokens: string[] = [];
  const tokenLines: Line[] = [];
  for (let i = range.from; i < range.to; i++) {
    const line = lines[i]!;
    if (hasCjk(line.text)) continue;
    const cells = cellsOf(line).map((c) => c.text);
    if (cells.length === 0 || !cells.every(isNumericCell)) continue;
    tokens.push(...cells);
    for (const _ of cells) tokenLines.push(line);
  }
  if (tokens.length === 0) return 0;
  const want = REVIEW_BLOCKS.length * REVIEW_COLUMNS.length;
  const keys = REVIEW_BLOCKS.flatMap((b) => REVIEW_COLUMNS.map((c) => `${b}.${c}`));
  let options: number[][];
  if (tokens.length === want) options = [tokens.map(numberOf)];
  else options = splitCells(tokens, want, blocksOfFiveHold);
  if (options.length !== 1) {
    out.warn(
      options.length === 0 ? 'UNREADABLE_TABLE_ROW' : 'AMBIGUOUS_CELL_SPLIT',
      `the review/litigation table reads as "${tokens.join(' ')}": ${options.length} readings of ${want} cells`,
      keys,
    );
    return 0;
  }
  const values = options[0]!;
  // When the cells were read as printed, each block's source is the line(s) its cells are on.
  const blockSource = (b: number) => {
    const from = tokens.length === want ? tokenLines[b * 5]! : tokenLines[0]!;
    const to = tokens.length === want ? tokenLines[b * 5 + 4]! : tokenLines.at(-1)!;
    return from === to ? lineSource(from) : spanSource(documentText, from, to);
  };
  const blockOk: boolean[] = [];
  REVIEW_BLOCKS.forEach((block, b) => {
    const blockValues = values.slice(b * 5, b * 5 + 5);
    const ok = rowTotalHolds(blockValues);
    blockOk.push(ok);
    if (!ok) out.warn('TABLE_IDENTITY_MISMATCH', `${block}: 总计 is not 维持 + 纠正 + 其他 + 尚未审结`, REVIEW_COLUMNS.map((c) => `${block}.${c}`));
    REVIEW_COLUMNS.forEach((c, k) => out.add(`${block}.${c}`, blockValues[k]!, blockSource(b)));
  });
  // figures.md: litigation.* in the STD tables is direct + after review.
  if (blockOk[1] && blockOk[2]) {
    const from = blockSource(1);
    const to = blockSource(2);
    const source = { text: documentText.slice(from.start, Math.max(from.end, to.end)), start: from.start, end: Math.max(from.end, to.end) };
    REVIEW_COLUMNS.forEach((c, k) => out.add(`litigation.${c}`, values[5 + k]! + values[10 + k]!, source));
  }
  return REVIEW_BLOCKS.length;
}
