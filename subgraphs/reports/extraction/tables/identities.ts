// A template's identities (templates/types.ts) as linear constraints over the cells of the rows
// a document actually prints. An identity that needs a row the document left out is not
// instantiated, except that a subtotal row left out counts as the sum of its parts.
import type { Constraint, Term } from './solveCells.ts';
import type { TableTemplate } from './templates/types.ts';

/** Where a template cell lives among the solver's variables (a wide table is one variable). */
export type CellRef = (row: string, col: number) => { row: string; col: number };

export function instantiate(template: TableTemplate, present: Set<string>, ref: CellRef): Constraint[] {
  const rowsById = new Map(template.rows.map((r) => [r.id, r]));
  const width = (id: string) => rowsById.get(id)!.keys.length;
  const term = (row: string, col: number, coef: number): Term => ({ ...ref(row, col), coef });
  const out: Constraint[] = [];
  const perColumn = (rows: string[], build: (col: number) => Constraint) => {
    const columns = rows.reduce((least, row) => Math.min(least, width(row)), Infinity);
    for (let col = 0; col < columns; col++) out.push(build(col));
  };
  /** A part as printed rows: itself, or its own parts when it is an unprinted subtotal. */
  const resolve = (id: string): string[] | null => {
    if (present.has(id)) return [id];
    const parts = rowsById.get(id)?.parts;
    if (parts && parts.every((p) => present.has(p))) return parts;
    return null;
  };

  for (const spec of template.identities) {
    switch (spec.kind) {
      case 'rowTotal':
        for (const row of template.rows) {
          const n = row.keys.length;
          if (!present.has(row.id) || n < 2) continue;
          out.push({
            terms: [...Array.from({ length: n - 1 }, (_, c) => term(row.id, c, 1)), term(row.id, n - 1, -1)],
            relation: '=',
            label: `${row.labels[0]}: ${template.columns.at(-1)} = the sum of the other columns`,
          });
        }
        break;
      case 'columnAtMost':
        for (const row of template.rows) {
          if (!present.has(row.id)) continue;
          out.push({
            terms: [term(row.id, spec.lower, 1), term(row.id, spec.upper, -1)],
            relation: '<=',
            label: `${row.labels[0]}: ${template.columns[spec.lower]} ≤ ${template.columns[spec.upper]}`,
          });
        }
        break;
      case 'balance': {
        const rows = [...spec.left, ...spec.right];
        if (!rows.every((r) => present.has(r))) break;
        perColumn(rows, (col) => ({
          terms: [...spec.left.map((r) => term(r, col, 1)), ...spec.right.map((r) => term(r, col, -1))],
          relation: '=',
          label: `${spec.left.join(' + ')} = ${spec.right.join(' + ')} (${template.columns[col]})`,
        }));
        break;
      }
      case 'partsSum': {
        const parts = spec.parts.map(resolve);
        if (!present.has(spec.total) || parts.some((p) => p === null)) break;
        const leaves = parts.flat() as string[];
        perColumn([spec.total, ...leaves], (col) => ({
          terms: [term(spec.total, col, -1), ...leaves.map((r) => term(r, col, 1))],
          relation: '=',
          label: `${spec.total} = ${spec.parts.join(' + ')} (${template.columns[col]})`,
        }));
        break;
      }
      case 'partsAtMost': {
        const parts = spec.parts.filter((p) => present.has(p));
        if (!present.has(spec.whole) || parts.length === 0) break;
        perColumn([spec.whole, ...parts], (col) => ({
          terms: [term(spec.whole, col, -1), ...parts.map((r) => term(r, col, 1))],
          relation: '<=',
          label: `${parts.join(' + ')} ≤ ${spec.whole} (${template.columns[col]})`,
        }));
        break;
      }
    }
  }
  // Every printed subtotal is the sum of its printed reasons.
  for (const row of template.rows) {
    if (!row.parts || !present.has(row.id) || !row.parts.every((p) => present.has(p))) continue;
    perColumn([row.id, ...row.parts], (col) => ({
      terms: [term(row.id, col, -1), ...row.parts!.map((p) => term(p, col, 1))],
      relation: '=',
      label: `${row.labels[0]} = the sum of its reasons (${template.columns[col]})`,
    }));
  }
  return out;
}
