// Prose as a stream of sentences. pdftotext wraps sentences at fixed widths and puts spaces
// between Chinese letters and digits ("主动公开政府信息 1136 条"); scraped pages give one
// paragraph per line. The stream joins wrapped lines, drops the spaces and table rows, and
// remembers each character's offset in the document so a sentence can be quoted as a source.
import type { FigureSource } from '../types.ts';
import { cellsOf, isNumericCell, squeeze, trailingNumbers, type Line } from '../document/lines.ts';

export interface ProseStream {
  flat: string;
  /** offsets[i]: document offset of flat[i] */
  offsets: number[];
  documentText: string;
}

export interface Sentence {
  text: string;
  start: number; // in flat
  end: number;
  /** the sentence before it in the same paragraph, if any */
  previous: Sentence | null;
}

export interface NumberHit {
  value: number;
  unit: string;
  approx: boolean;
  /** text between the previous number (or the sentence start) and this one */
  lead: string;
  /** index in the sentence text where the number (with its hedge) starts / ends */
  at: number;
  end: number;
}

const HEADING = /^[#]*\s*([（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．])/;

function isTableLine(line: Line): boolean {
  if (line.text.includes('|') || (line.row?.values.length ?? 0) >= 2) return true;
  // A table row ends in a run of numeric cells; prose with spaced-out numbers does not.
  return trailingNumbers(line).cells.length >= 3 || (cellsOf(line).length > 0 && cellsOf(line).every((c) => isNumericCell(c.text)));
}

const FULL_WIDTH: Record<string, string> = { ',': '，', ';': '；', ':': '：', '(': '（', ')': '）', '!': '！', '?': '？' };

/** Scraped pages mix ASCII punctuation into Chinese text; the rules read the full-width forms. */
function fullWidth(ch: string, before: string | undefined, after: string | undefined): string {
  if (ch === ',' && before && after && /\d/.test(before) && /\d/.test(after)) return ch; // 3,119
  return FULL_WIDTH[ch] ?? ch;
}

/** Length of a line filled to the right margin; a clearly shorter line ends its paragraph. */
function fullLineLength(lines: Line[]): number {
  const lengths = lines.map((l) => squeeze(l.text).length).filter((n) => n > 0).sort((a, b) => a - b);
  return lengths[Math.floor(lengths.length * 0.9)] ?? 0;
}

export function buildStream(documentText: string, lines: Line[]): ProseStream {
  const full = fullLineLength(lines);
  // Built as parts, one per character (a string grown by += and asked for its last character
  // is flattened again at every question).
  const parts: string[] = [];
  const offsets: number[] = [];
  const lineBreak = (at: number) => {
    if (parts.length > 0 && parts[parts.length - 1] !== '\n') {
      parts.push('\n');
      offsets.push(at);
    }
  };
  for (const line of lines) {
    if (isTableLine(line)) {
      lineBreak(line.start);
      continue;
    }
    const squeezed = squeeze(line.text);
    if (squeezed.length === 0) {
      lineBreak(line.start);
      continue;
    }
    const heading =
      (HEADING.test(squeezed) && squeezed.length <= 30 && !/[。；]/.test(squeezed)) ||
      (/(报告|年报|回报)$/.test(squeezed) && squeezed.length <= 60);
    if (heading) lineBreak(line.start);
    for (let i = 0; i < line.text.length; i++) {
      const ch = line.text[i]!;
      if (/\s/.test(ch)) continue;
      parts.push(fullWidth(ch, line.text[i - 1], line.text[i + 1]));
      offsets.push(line.start + i);
    }
    if (heading || /[。！？；：:]$/.test(squeezed) || squeezed.length < 0.6 * full) lineBreak(line.end);
  }
  return { flat: parts.join(''), offsets, documentText };
}

export function sentences(stream: ProseStream): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  let previous: Sentence | null = null;
  const flat = stream.flat;
  for (let i = 0; i <= flat.length; i++) {
    const ch = flat[i];
    if (i < flat.length && !/[。！？；\n]/.test(ch!)) continue;
    if (i > start) {
      const s: Sentence = { text: flat.slice(start, i), start, end: i, previous };
      out.push(s);
      previous = s;
    }
    if (ch === '\n') previous = null;
    start = i + 1;
  }
  return out;
}

export function sentenceSource(stream: ProseStream, sentence: Sentence): FigureSource {
  const start = stream.offsets[sentence.start]!;
  const end = stream.offsets[sentence.end - 1]! + 1;
  return { text: stream.documentText.slice(start, end), start, end };
}

const NUMBER =
  /(近|约|超过|逾|达到|达)?(\d+(?:,\d{3})*(?:\.\d+)?)(万|亿)?(余|多)?(人次|万元|元|条|件|次|篇|个|宗|起|封|例|人|名|场|期|项|家|份|类|册|批|%|％|年|月|日|号|倍)?(左右|以上)?/g;

const HEDGE_BEFORE = /^(近|约|超过|逾)$/;

export function numbersIn(sentence: string): NumberHit[] {
  const hits: NumberHit[] = [];
  let last = 0;
  for (const m of sentence.matchAll(NUMBER)) {
    // Hotline numbers (12345, 12365…) are names, not figures: they do not end a lead.
    if (/^123\d\d$/.test(m[2]!) && !m[5]) continue;
    const hedged = Boolean(m[1] && HEDGE_BEFORE.test(m[1]));
    // 达到/达 belong to the words before the number; a hedge belongs to the number.
    const lead = sentence.slice(last, m.index + (hedged ? 0 : (m[1]?.length ?? 0)));
    last = m.index + m[0].length;
    let value = Number(m[2]!.replace(/,/g, ''));
    let unit = m[5] ?? '';
    if (m[3] === '万' && unit === '元') unit = '万元';
    else if (m[3] === '万') value *= 10_000;
    else if (m[3] === '亿' && unit === '元') {
      value *= 10_000;
      unit = '万元';
    } else if (m[3] === '亿') value *= 100_000_000;
    hits.push({ value, unit, approx: hedged || Boolean(m[4] || m[6]), lead, at: m.index, end: last });
  }
  return hits;
}
