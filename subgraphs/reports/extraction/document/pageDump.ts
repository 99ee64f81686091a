// Flattened tables inside running text. Crawlers and archives that save a page as text lose
// the table markup: a row becomes its label followed by its cells with no separator
// (`（一）予以公开270020130`), and a whole table sits in the middle of a paragraph. A table row is
// told from prose by how its number ends: prose numbers carry a unit and punctuation (`1234条，`),
// row values run straight into the next row's label. Only chains of such rows are read as a
// table; the digits of a run are left unsplit for the table matcher.
import type { Cell, Row } from './model.ts';

export interface FlatRow extends Row {
  /** the label text before the values (its tail is the row's own label) */
  label: Cell;
  /** value tokens in order; each may be a run of several cells' digits */
  values: Cell[];
}

export interface FlatSplit {
  /** text pieces outside the tables, in order */
  prose: Cell[];
  rows: FlatRow[];
}

/** Units that make a number part of a sentence (or a header such as 2013年度) rather than a cell. */
const UNIT = /^(?:个|件|条|次|篇|人|名|家|项|期|场|份|类|册|批|起|宗|例|封|所|座|户|天|日|月|年|周|倍|%|％|万|亿|余|多|余件|小时|分钟|号|号文|届|批次|通|人次|海里|公里|米|亩|岁|元|万元|千|百)/;
/** Sentence punctuation: a label never contains it outside brackets (其中： excepted). */
const SENTENCE = /[。；;！？!?，,：:]/;
const VALUES = /\d[\d,]*(?:\.\d+)?(?:[ \t\u00a0\u3000]+\d[\d,]*(?:\.\d+)?)*/g;
const NUMBERING_AFTER = /^[.．、]\s*(?=[\u3400-\u9fff“"（(])/;
const MAX_LABEL = 160;
/** A chain shorter than this is prose that happens to hold numbers. */
const MIN_ROWS = 3;

/** The text outside brackets and quotes; a bracket a line wrap left open or closed counts too. */
const withoutBrackets = (s: string) => withoutUnclosed(withoutQuoted(s.replace(/[（(][^（()）]*[)）]/g, ''))).replace(/^[^（(]*[)）]/, '');

const QUOTE_OPEN = '“"《';
const QUOTE_CLOSE = '”"》';

/**
 * `s.replace(/[“"《][^”"》]*[”"》]/g, '')` in one pass: the regular expression looked for a
 * closing mark from every opening one again, the square of the length for a text of openings.
 */
function withoutQuoted(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (!QUOTE_OPEN.includes(s[i]!)) continue;
    let close = i + 1;
    while (close < s.length && !QUOTE_CLOSE.includes(s[close]!)) close++;
    // No closing mark after this opening one: none after any later one either.
    if (close === s.length) break;
    out += s.slice(from, i);
    from = close + 1;
    i = close;
  }
  return out + s.slice(from);
}

/** `s.replace(/[（(][^)）]*$/, '')` in one pass: a bracket still open at the end, cut from the first such. */
function withoutUnclosed(s: string): string {
  let lastClose = -1;
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i] === ')' || s[i] === '）') {
      lastClose = i;
      break;
    }
  }
  for (let i = lastClose + 1; i < s.length; i++) if (s[i] === '（' || s[i] === '(') return s.slice(0, i);
  return s;
}

function isLabel(text: string): boolean {
  const core = withoutBrackets(text).replace(/其中[:：]/g, '');
  return !SENTENCE.test(core) && /[\u3400-\u9fff]/.test(text);
}

/** Where the last MAX_LABEL letters of `text` begin: a longer label is a header run into a row. */
function tailStart(text: string): number {
  let letters = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (!/\s/.test(text[i]!) && ++letters > MAX_LABEL) return i + 1;
  }
  return 0;
}

/** The item number of a row's own label (`2.政府公报公开条` → 2), if it has one. */
function itemNumber(label: string): number | null {
  const m = /(\d{1,2})[.．、](?=[^\d]*$)/.exec(label);
  return m ? Number(m[1]) : null;
}

/** A piece of the paragraph in its own indices (offsets into the paragraph string). */
interface Piece {
  text: string;
  start: number;
  end: number;
}

function tokensOf(text: string, start: number): Piece[] {
  const out: Piece[] = [];
  for (const m of text.matchAll(/\S+/g)) out.push({ text: m[0], start: start + m.index, end: start + m.index + m[0].length });
  return out;
}

/**
 * Strips the item number of the next label when it is glued to this row's last value
 * (`00000002.其他…` = values 0000000, then item 2). The number expected is the one after this
 * row's own item number; a list starts again at 1.
 */
function stripNumbering(tokens: Piece[], expected: number): Piece[] {
  const last = tokens.at(-1)!;
  for (const n of [String(expected), '1']) {
    if (last.text === n) return tokens.slice(0, -1);
    if (last.text.length > n.length && last.text.endsWith(n) && !last.text.includes('.')) {
      return [...tokens.slice(0, -1), { text: last.text.slice(0, -n.length), start: last.start, end: last.end - n.length }];
    }
  }
  if (last.text.length === 1) return tokens.slice(0, -1);
  return [...tokens.slice(0, -1), { text: last.text.slice(0, -1), start: last.start, end: last.end - 1 }];
}

interface LocalRow {
  label: Piece;
  values: Piece[];
}

/**
 * Splits one paragraph into prose and the rows of the flattened tables inside it. `offsetOf`
 * maps an index of `text` to its offset in the document (a hard-wrapped paragraph is read with
 * its line breaks taken out).
 */
export function splitFlattenedTables(text: string, offsetOf: (index: number) => number): FlatSplit {
  const rows: LocalRow[] = [];
  let labelStart = 0;
  for (const m of text.matchAll(VALUES)) {
    const at = m.index;
    const after = text.slice(at + m[0].length);
    let tokens = tokensOf(m[0], at);
    // 1234条， 2013年度: part of the words. Several numbers in a row are cells whatever follows.
    if (tokens.length === 1 && UNIT.test(after.replace(/^[ \t]+/, ''))) continue;
    if (NUMBERING_AFTER.test(after)) tokens = stripNumbering(tokens, (itemNumber(text.slice(labelStart, at)) ?? 0) + 1);
    if (tokens.length === 0) continue; // only an item number: the label goes on
    let rawLabel = text.slice(labelStart, at);
    if (!isLabel(rawLabel)) {
      // Prose before the row: its label starts after the last sentence break.
      labelStart += lastSentenceBreak(rawLabel);
      rawLabel = text.slice(labelStart, at);
      if (!isLabel(rawLabel)) {
        labelStart = at + m[0].length;
        continue;
      }
    }
    labelStart += tailStart(rawLabel);
    rows.push({ label: trimmed(text.slice(labelStart, at), labelStart), values: tokens });
    labelStart = tokens.at(-1)!.end;
  }
  return chains(text, rows, offsetOf);
}

function lastSentenceBreak(s: string): number {
  let depth = 0;
  let cut = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '（' || ch === '(') depth++;
    else if ((ch === '）' || ch === ')') && depth > 0) depth--;
    else if (depth === 0 && SENTENCE.test(ch) && !s.endsWith('其中', i)) cut = i + 1;
  }
  return cut;
}

/** Keeps rows that stand in chains of MIN_ROWS or more (each row's label starts where the last row ended). */
function chains(text: string, rows: LocalRow[], offsetOf: (index: number) => number): FlatSplit {
  const kept: LocalRow[] = [];
  let chain: LocalRow[] = [];
  const close = () => {
    if (chain.length >= MIN_ROWS) for (const row of chain) kept.push(row);
    chain = [];
  };
  for (const row of rows) {
    const prev = chain.at(-1);
    if (prev && text.slice(prev.values.at(-1)!.end, row.label.start).trim() !== '') close();
    chain.push(row);
  }
  close();
  const cell = (p: Piece): Cell => ({ text: p.text, start: offsetOf(p.start), end: offsetOf(p.end - 1) + 1 });
  const prose: Cell[] = [];
  let from = 0;
  for (const row of kept) {
    const piece = trimmed(text.slice(from, row.label.start), from);
    if (piece.text) prose.push(cell(piece));
    from = row.values.at(-1)!.end;
  }
  const tail = trimmed(text.slice(from), from);
  if (tail.text) prose.push(cell(tail));
  const flatRows = kept.map((r): FlatRow => {
    const label = cell(r.label);
    const values = r.values.map(cell);
    return { label, values, cells: [label, ...values], start: label.start, end: values.at(-1)!.end };
  });
  return { prose, rows: flatRows };
}

function trimmed(piece: string, start: number): Piece {
  const lead = piece.length - piece.trimStart().length;
  const text = piece.trim();
  return { text, start: start + lead, end: start + lead + text.length };
}
