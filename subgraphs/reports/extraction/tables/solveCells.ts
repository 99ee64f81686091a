// Chooses among the readings of run-together rows with the table's own identities. Each row is a
// variable whose values are its readings; each identity is a linear constraint over cells
// (Σ coef·cell = 0, or ≤ 0). A reading is dropped when no readings of the other rows of some
// identity can make that identity hold (generalised arc consistency), until nothing changes.
// That never drops the document's true reading while the identities hold on it; an identity
// that would leave a row with no reading at all does not hold on this document, and is set
// aside rather than trusted. What is left with one reading is read; the rest is not guessed.

export interface Term {
  row: string;
  col: number;
  coef: number;
}

export interface Constraint {
  terms: Term[];
  relation: '=' | '<=';
  /** what the identity says, for warnings */
  label: string;
}

export type Reading = Array<number | null>;

export interface SolveResult {
  /** the readings left for each row */
  options: Map<string, Reading[]>;
  /** identities set aside because no reading satisfied them */
  broken: Set<Constraint>;
}

/** Sums are compared on a fixed grid so that 0.1 + 0.2 = 0.3 holds. */
const SCALE = 1_000_000;
const scaled = (x: number) => Math.round(x * SCALE);
/** Sets of partial sums larger than this make an identity too costly to use for choosing. */
const MAX_SUMS = 50_000;

function contribution(constraint: Constraint, row: string, reading: Reading): number | null {
  let sum = 0;
  for (const t of constraint.terms) {
    if (t.row !== row) continue;
    const v = reading[t.col];
    if (v === null || v === undefined) return null;
    sum += t.coef * scaled(v);
  }
  return sum;
}

/** Which readings of each row some readings of the others support; null when it can't be told. */
function supported(constraint: Constraint, options: Map<string, Reading[]>): Map<string, boolean[]> | null {
  const rows = [...new Set(constraint.terms.map((t) => t.row))];
  const contributions: number[][] = [];
  for (const row of rows) {
    const list: number[] = [];
    for (const reading of options.get(row) ?? []) {
      const c = contribution(constraint, row, reading);
      if (c === null) return null;
      list.push(c);
    }
    if (list.length === 0) return null;
    contributions.push(list);
  }
  const result = new Map<string, boolean[]>();
  if (constraint.relation === '<=') {
    const mins = contributions.map((list) => list.reduce((least, c) => Math.min(least, c), Infinity));
    const total = mins.reduce((a, b) => a + b, 0);
    rows.forEach((row, i) => result.set(row, contributions[i]!.map((c) => total - mins[i]! + c <= 0)));
    return result;
  }
  // prefix[i]: the sums the rows before i can make; suffix[i]: the rows from i on.
  const sumsOf = (from: Set<number>, list: number[]): Set<number> | null => {
    const out = new Set<number>();
    for (const a of from) for (const b of new Set(list)) out.add(a + b);
    return out.size > MAX_SUMS ? null : out;
  };
  const prefix: Array<Set<number>> = [new Set([0])];
  for (let i = 0; i < rows.length; i++) {
    const next = sumsOf(prefix[i]!, contributions[i]!);
    if (!next) return null;
    prefix.push(next);
  }
  const suffix: Array<Set<number>> = new Array(rows.length + 1);
  suffix[rows.length] = new Set([0]);
  for (let i = rows.length - 1; i >= 0; i--) {
    const next = sumsOf(suffix[i + 1]!, contributions[i]!);
    if (!next) return null;
    suffix[i] = next;
  }
  rows.forEach((row, i) => {
    const before = prefix[i]!;
    const after = suffix[i + 1]!;
    const [small, large] = before.size <= after.size ? [before, after] : [after, before];
    result.set(
      row,
      contributions[i]!.map((c) => {
        for (const a of small) if (large.has(-c - a)) return true;
        return false;
      }),
    );
  });
  return result;
}

/** Narrows the readings of every row by the constraints, to a fixed point. */
export function solveCells(initial: Map<string, Reading[]>, constraints: Constraint[], alreadyBroken = new Set<Constraint>()): SolveResult {
  const options = new Map([...initial].map(([row, list]) => [row, [...list]]));
  const broken = new Set(alreadyBroken);
  let changed = true;
  while (changed) {
    changed = false;
    for (const constraint of constraints) {
      if (broken.has(constraint)) continue;
      const support = supported(constraint, options);
      if (!support) continue;
      if ([...support.values()].some((flags) => !flags.some(Boolean))) {
        broken.add(constraint);
        continue;
      }
      for (const [row, flags] of support) {
        if (flags.every(Boolean)) continue;
        options.set(row, options.get(row)!.filter((_, i) => flags[i]));
        changed = true;
      }
    }
  }
  return { options, broken };
}

/** Whether a constraint holds on readings that are each settled; null when some cell is not. */
export function holds(constraint: Constraint, settled: Map<string, Reading>): boolean | null {
  let sum = 0;
  for (const t of constraint.terms) {
    const v = settled.get(t.row)?.[t.col];
    if (v === null || v === undefined) return null;
    sum += t.coef * scaled(v);
  }
  return constraint.relation === '=' ? sum === 0 : sum <= 0;
}
