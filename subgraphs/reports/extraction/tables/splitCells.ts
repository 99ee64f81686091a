// Page dumps often lose the separators between table cells: `230 000023` is 23,0,0,0,0,0,23.
// The whitespace that survives is a real cell boundary; inside a run of digits every cut is
// possible as long as no cell gets a leading zero. The table's own identities (a row total is
// the sum of its columns, a block total the sum of its results) choose among the cuts.

const MAX_SOLUTIONS = 64;

/**
 * Every way to read `tokens` (digit runs, possibly with a decimal part) as exactly `count`
 * numbers that pass `accept`. Stops after MAX_SOLUTIONS: callers treat more than one as ambiguous.
 */
export function splitCells(tokens: string[], count: number, accept: (values: number[]) => boolean): number[][] {
  const solutions: number[][] = [];
  const clean = tokens.map((t) => t.replace(/,/g, '')).filter((t) => t.length > 0);
  const minCells = clean.length;
  const maxCells = clean.reduce((n, t) => n + (t.includes('.') ? 1 : t.length), 0);
  if (count < minCells || count > maxCells) return solutions;

  const values: number[] = [];
  // Cells still to place must fit in the digits still to read.
  const digitsAfter = clean.map((_, i) => clean.slice(i + 1).reduce((n, t) => n + t.length, 0));

  const walk = (tokenIndex: number, pos: number): void => {
    if (solutions.length >= MAX_SOLUTIONS) return;
    if (tokenIndex === clean.length) {
      if (values.length === count && accept(values)) solutions.push([...values]);
      return;
    }
    const token = clean[tokenIndex]!;
    const remainingCells = count - values.length;
    if (remainingCells <= 0) return;
    if (token.includes('.')) {
      // A decimal is never split: the point says where the cell is.
      if (pos !== 0) return;
      values.push(Number(token));
      walk(tokenIndex + 1, 0);
      values.pop();
      return;
    }
    const rest = token.length - pos;
    for (let len = 1; len <= rest; len++) {
      const piece = token.slice(pos, pos + len);
      if (piece.length > 1 && piece.startsWith('0')) break;
      const endOfToken = pos + len === token.length;
      const cellsLeftAfter = remainingCells - 1;
      const digitsLeftAfter = rest - len + digitsAfter[tokenIndex]!;
      if (cellsLeftAfter > digitsLeftAfter) continue;
      if (cellsLeftAfter === 0 && digitsLeftAfter > 0) continue;
      values.push(Number(piece));
      if (endOfToken) walk(tokenIndex + 1, 0);
      else walk(tokenIndex, pos + len);
      values.pop();
    }
  };
  walk(0, 0);
  return solutions;
}

/** Row identity of the applicant tables: the six applicant columns sum to the 总计 column. */
export const rowTotalHolds = (values: number[]): boolean => {
  if (values.length < 2) return false;
  const total = values[values.length - 1]!;
  const sum = values.slice(0, -1).reduce((a, b) => a + b, 0);
  return Math.abs(sum - total) < 1e-9;
};

/** Blocks of five (维持, 纠正, 其他, 尚未审结, 总计): each total is the sum of its four results. */
export const blocksOfFiveHold = (values: number[]): boolean => {
  if (values.length % 5 !== 0) return false;
  for (let i = 0; i < values.length; i += 5) {
    if (!rowTotalHolds(values.slice(i, i + 5))) return false;
  }
  return true;
};
