// Page dumps lose the separators between table cells: `230 000023` is 23,0,0,0,0,0,23. The
// whitespace that survives is a real cell boundary; inside a run of digits every cut is
// possible as long as no cell gets a leading zero or more than 15 digits, and a decimal point
// stays in its cell. This lists every reading; the table's identities choose among them
// (solveCells.ts).

/** Readings beyond this many are not listed: the row is then left unread, never guessed. */
const MAX_READINGS = 20_000;
/**
 * Cuts tried beyond this many: the row is left unread too. A run of thousands of digits (a
 * hostile page dump) has astronomically many cuts, most of them refused by `accept` before any
 * reading is complete, which MAX_READINGS alone does not bound.
 */
const MAX_CUTS = 1_000_000;
/** A cell is a count or an amount: no cell has more integer digits (nor is a longer number exact). */
const MAX_CELL_DIGITS = 15;

export interface Readings {
  readings: number[][];
  /** false when there were more readings than MAX_READINGS (the list is then useless) */
  complete: boolean;
}

/**
 * Every way to read `tokens` (digit runs, possibly with a decimal part) as exactly `count`
 * numbers that pass `accept`. `accept` must judge a prefix by the cells it has: a constraint on
 * cells not read yet holds for now.
 */
export function splitCells(tokens: string[], count: number, accept: (values: number[]) => boolean = () => true): Readings {
  // `accept` is asked about every prefix too: a prefix it refuses (a block whose total is
  // already wrong) is not followed further.
  const readings: number[][] = [];
  const clean = tokens.map((t) => t.replace(/,/g, '')).filter((t) => t.length > 0);
  const cuttable = clean.map((t) => (t.includes('.') ? t.indexOf('.') : t.length));
  const maxCells = cuttable.reduce((n, digits) => n + digits, 0);
  if (count < clean.length || count > maxCells) return { readings, complete: true };
  const cellsAfter = cuttable.map((_, i) => cuttable.slice(i + 1).reduce((n, d) => n + d, 0));
  let visited = 0;
  let cuts = 0;
  let complete = true;
  const values: number[] = [];

  const walk = (tokenIndex: number, pos: number): void => {
    if (!complete) return;
    if (tokenIndex === clean.length) {
      if (++visited > MAX_READINGS) {
        complete = false;
        return;
      }
      if (values.length === count && accept(values)) readings.push([...values]);
      return;
    }
    const token = clean[tokenIndex]!;
    const integerDigits = cuttable[tokenIndex]!;
    const remainingCells = count - values.length;
    if (remainingCells <= 0) return;
    // The last cell takes what is left of the last token: no shorter cut of it ends a reading.
    const firstLen = remainingCells > 1 ? 1 : tokenIndex === clean.length - 1 ? Math.max(1, integerDigits - pos) : Infinity;
    for (let len = firstLen; pos + len <= integerDigits; len++) {
      if (++cuts > MAX_CUTS) {
        complete = false;
        return;
      }
      if (len > MAX_CELL_DIGITS) break;
      const last = pos + len === integerDigits;
      const piece = last ? token.slice(pos) : token.slice(pos, pos + len);
      if (len > 1 && piece.startsWith('0')) break;
      const cellsLeft = remainingCells - 1;
      const digitsLeft = integerDigits - pos - len + cellsAfter[tokenIndex]!;
      if (cellsLeft > digitsLeft) break;
      if (digitsLeft > cellsLeft * MAX_CELL_DIGITS) continue;
      if (last && cellsLeft < clean.length - tokenIndex - 1) continue;
      values.push(Number(piece));
      if (values.length === count || accept(values)) {
        if (last) walk(tokenIndex + 1, 0);
        else walk(tokenIndex, pos + len);
      }
      values.pop();
    }
  };
  walk(0, 0);
  return complete ? { readings, complete } : { readings: [], complete };
}
