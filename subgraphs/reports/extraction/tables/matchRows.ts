// Gives each numeric table row its key. pdftotext layout wraps labels onto the lines above and
// below their numbers, left-column group labels interleave, some templates drop rows, and
// labels come truncated or OCR'd. So rows are not looked up one by one: the sequence of numeric
// rows is aligned to the template's row order (a monotone matching, like a diff), scoring each
// pair by label similarity over the row's own text and the free text lines around it.
import { similarity, labelCore, type Cell, type Line } from '../document/lines.ts';

interface Labelled {
  labels: string[];
}

export interface NumericRow {
  line: Line;
  /** label text on the row's own line */
  ownLabel: string;
  /** the row's value cells (each may be a run of several cells' digits) */
  values: Cell[];
  /** text lines without numbers between the previous numeric row and this one */
  before: Line[];
  /** text lines without numbers between this numeric row and the next */
  after: Line[];
}

export interface AlignedRow<R extends NumericRow, V extends Labelled> {
  row: R;
  vocab: V;
  score: number;
}

const MIN_SCORE = 0.34;
const EXTRA_LINE_PENALTY = 0.04;
const TAIL_PENALTY = 0.15;
const MIN_TAIL = 4;

/**
 * Similarity of a template label to a row's text. A page dump runs the table's header (or the
 * section heading) into its first row's label, so the text's tail counts too — but less than the
 * whole: 不同意公开答复数 ends in 同意公开答复数, and the row is the former. A tail shorter than
 * four letters must match exactly (答复数 ends many labels). 其中 (of which) only says the row is a
 * part of the one before.
 */
function labelScore(label: string, text: string): number {
  const want = labelCore(label);
  const core = labelCore(text).replace(/^其中/, '');
  const whole = similarity(want, core);
  if (core.length <= want.length + 2) return whole;
  const tail = core.slice(-want.length);
  const tailScore = want.length < MIN_TAIL ? (tail === want ? 1 : 0) : similarity(want, tail);
  return Math.max(whole, tailScore - TAIL_PENALTY);
}

function contextScore(row: NumericRow, label: string): number {
  const own = row.ownLabel;
  const prev1 = row.before.at(-1)?.text ?? '';
  const prev2 = row.before.at(-2)?.text ?? '';
  const next1 = row.after[0]?.text ?? '';
  const candidates: Array<[string, number]> = [[own, 0]];
  if (prev1) candidates.push([prev1 + own, 1]);
  if (prev1 && prev2) candidates.push([prev2 + prev1 + own, 2]);
  if (next1) candidates.push([own + next1, 1]);
  if (prev1 && next1) candidates.push([prev1 + own + next1, 2]);
  if (prev1 && prev2 && next1) candidates.push([prev2 + prev1 + own + next1, 3]);
  let best = 0;
  for (const [text, extra] of candidates) {
    if (labelCore(text).length === 0) continue;
    const s = labelScore(label, text) - extra * EXTRA_LINE_PENALTY;
    if (s > best) best = s;
  }
  return best;
}

/** Monotone alignment of rows to vocabulary maximising the summed similarity. */
export function alignRows<R extends NumericRow, V extends Labelled>(rows: R[], vocab: V[]): AlignedRow<R, V>[] {
  const n = rows.length;
  const m = vocab.length;
  const score: number[][] = rows.map((row) =>
    vocab.map((v) => v.labels.reduce((best, label) => Math.max(best, contextScore(row, label)), -Infinity)),
  );
  // best[i][j]: best total using rows i.. and vocab j..
  const best: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const s = score[i]![j]!;
      const take = s >= MIN_SCORE ? s + best[i + 1]![j + 1]! : -Infinity;
      best[i]![j] = Math.max(take, best[i + 1]![j]!, best[i]![j + 1]!);
    }
  }
  const out: AlignedRow<R, V>[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const s = score[i]![j]!;
    if (s >= MIN_SCORE && Math.abs(best[i]![j]! - (s + best[i + 1]![j + 1]!)) < 1e-9) {
      out.push({ row: rows[i]!, vocab: vocab[j]!, score: s });
      i++;
      j++;
    } else if (Math.abs(best[i]![j]! - best[i + 1]![j]!) < 1e-9) {
      i++;
    } else {
      j++;
    }
  }
  return out;
}

/** The table rows among `lines` (those with values), each with the text lines around it. */
export function tableRows(lines: Line[]): NumericRow[] {
  const rows: NumericRow[] = [];
  let pending: Line[] = [];
  for (const line of lines) {
    if (line.row && line.row.values.length > 0) {
      const prev = rows.at(-1);
      if (prev) prev.after = pending;
      rows.push({ line, ownLabel: line.row.label, values: line.row.values, before: pending, after: [] });
      pending = [];
    } else if (labelCore(line.text).length > 0) {
      pending.push(line);
    }
  }
  const last = rows.at(-1);
  if (last) last.after = pending;
  return rows;
}
