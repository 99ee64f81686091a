// Reads one official table out of a section's rows: aligns the rows to the template's rows
// (matchRows.ts), lists the readings of each row's value cells (splitCells.ts), narrows them with
// the template's identities and the figures the prose states (solveCells.ts), and gives every
// cell that is settled its figure key. What is not settled is left out with its candidates.
import type { FigureSource } from '../types.ts';
import { hasCjk, numberOf } from '../document/lines.ts';
import { lineSource, spanSource } from '../figureSet.ts';
import { alignRows, type AlignedRow, type NumericRow } from './matchRows.ts';
import { splitCells } from './splitCells.ts';
import { holds, solveCells, type Constraint, type Reading } from './solveCells.ts';
import { instantiate, type CellRef } from './identities.ts';
import type { TableTemplate, TemplateRow } from './templates/types.ts';

export interface TemplateMatch {
  template: TableTemplate;
  aligned: Array<AlignedRow<NumericRow, TemplateRow>>;
  /** how well the rows fit the template: summed label similarity plus header evidence */
  score: number;
}

export interface TableFigure {
  key: string;
  value: number;
  source: FigureSource;
}

export interface TableWarning {
  code: string;
  message: string;
  figureKeys?: string[];
}

export interface TableRead {
  template: TableTemplate;
  figures: TableFigure[];
  warnings: TableWarning[];
  /** cells of the template (rows it requires, and optional rows that were printed) */
  cellsExpected: number;
  cellsFound: number;
  identitiesChecked: number;
  identitiesHeld: number;
  /** every identity checked on settled cells, for the report's self-check */
  checks: Array<{ label: string; holds: boolean; keys: string[] }>;
}

const WIDE = '*';

export function matchTemplate(template: TableTemplate, rows: NumericRow[], sectionText: string): TemplateMatch {
  if (template.wide) {
    const score = rows.length > 0 ? 1 : 0;
    return { template, aligned: [], score: score + (template.headerWords?.test(sectionText) ? 2 : 0) };
  }
  const aligned = alignRows(rows, template.rows);
  const required = template.rows.filter((r) => !r.optional);
  const found = new Set(aligned.map((a) => a.vocab.id));
  const coverage = required.length === 0 ? 0 : required.filter((r) => found.has(r.id)).length / required.length;
  const score = aligned.reduce((s, a) => s + a.score, 0) + (template.headerWords?.test(sectionText) ? 2 : 0) + coverage;
  return { template, aligned, score };
}

interface Variable {
  rows: NumericRow[];
  tokens: string[];
  width: number;
}

export function readMatch(match: TemplateMatch, rows: NumericRow[], anchors: Map<string, number>, documentText: string): TableRead {
  const { template } = match;
  const warnings: TableWarning[] = [];
  const byId = new Map(template.rows.map((r) => [r.id, r]));
  const variables = new Map<string, Variable>();
  let ref: CellRef;
  const present = new Set<string>();
  if (template.wide) {
    const width = template.rows.reduce((n, r) => n + r.keys.length, 0);
    variables.set(WIDE, { rows, tokens: rows.flatMap((r) => r.values.map((v) => v.text)).filter(Boolean), width });
    const base = new Map<string, number>();
    let at = 0;
    for (const r of template.rows) {
      base.set(r.id, at);
      at += r.keys.length;
      present.add(r.id);
    }
    ref = (row, col) => ({ row: WIDE, col: base.get(row)! + col });
  } else {
    for (const { row, vocab } of match.aligned) {
      const tokens = row.values.map((v) => v.text);
      // Blank cells only count where every cell is accounted for; elsewhere they are spacing.
      variables.set(vocab.id, { rows: [row], tokens: tokens.length === vocab.keys.length ? tokens : tokens.filter(Boolean), width: vocab.keys.length });
      present.add(vocab.id);
    }
    ref = (row, col) => ({ row, col });
  }
  const constraints = rows.length === 0 ? [] : instantiate(template, present, ref);
  const keysOf = (variable: string): Array<string | null> =>
    variable === WIDE ? template.rows.flatMap((r) => r.keys) : byId.get(variable)!.keys;

  // Readings of each row, narrowed by the identities that concern that row alone.
  const initial = new Map<string, Reading[]>();
  for (const [id, v] of variables) {
    const own = constraints.filter((c) => c.terms.every((t) => t.row === id));
    // On a prefix of the cells, a constraint that needs a cell not read yet is undecided (null).
    const accept = (values: number[]) => own.every((c) => holds(c, new Map([[id, values]])) !== false);
    let readings: Reading[];
    if (v.tokens.length > v.width) {
      // Which consecutive values are the row's is for the identities to say.
      warnings.push({ code: 'EXTRA_TABLE_CELLS', message: `row "${label(v)}" has ${v.tokens.length} values; the template has ${v.width}`, figureKeys: keyList(keysOf(id)) });
      readings = Array.from({ length: v.tokens.length - v.width + 1 }, (_, k) => v.tokens.slice(k, k + v.width).map(numberOf)).filter(accept);
    } else if (v.tokens.length === v.width) {
      readings = [v.tokens.map((t) => (t === '' ? null : numberOf(t)))];
    } else {
      const split = splitCells(v.tokens, v.width, accept);
      if (!split.complete) {
        warnings.push({ code: 'AMBIGUOUS_CELL_SPLIT', message: `"${v.tokens.join(' ')}" can be cut into ${v.width} cells too many ways; left out`, figureKeys: keyList(keysOf(id)) });
        continue;
      }
      readings = split.readings;
    }
    if (readings.length === 0 && v.tokens.every((t) => t.replace(/\D/g, '').length === 1)) {
      readings = withBlanks(v.tokens.map(numberOf), v.width, own);
      if (readings.length > 0) warnings.push({ code: 'BLANK_TABLE_CELLS', message: `row "${label(v)}" prints ${v.tokens.length} of its ${v.width} cells; the blank ones are left out`, figureKeys: keyList(keysOf(id)) });
    }
    if (readings.length === 0) {
      warnings.push({ code: 'UNREADABLE_TABLE_ROW', message: `"${v.tokens.join(' ')}" cannot be read as the ${v.width} cells of "${label(v)}"`, figureKeys: keyList(keysOf(id)) });
      continue;
    }
    initial.set(id, readings);
  }
  const usable = constraints.filter((c) => c.terms.every((t) => initial.has(t.row)));
  let solved = solveCells(initial, usable);
  // The prose's own figures choose among readings the identities leave open.
  let anchored = false;
  // Each figure the prose states is taken alone: one the table contradicts is passed over.
  for (const [id, readings] of solved.options) {
    let left = readings;
    keysOf(id).forEach((key, col) => {
      if (key === null || !anchors.has(key) || left.length < 2) return;
      const agree = left.filter((r) => r[col] === anchors.get(key));
      if (agree.length > 0) left = agree;
    });
    if (left.length < readings.length) {
      solved.options.set(id, left);
      anchored = true;
    }
  }
  if (anchored) solved = solveCells(solved.options, usable, solved.broken);

  // Settled cells: those every remaining reading agrees on.
  const settled = new Map<string, Reading>();
  const figures: TableFigure[] = [];
  const sums = new Map<string, { value: number; sources: FigureSource[]; missing: boolean }>();
  let cellsFound = 0;
  for (const [id, readings] of solved.options) {
    const v = variables.get(id)!;
    const keys = keysOf(id);
    const cells: Reading = keys.map((_, col) => (readings.every((r) => r[col] === readings[0]![col]) ? readings[0]![col]! : null));
    settled.set(id, cells);
    cellsFound += cells.filter((c) => c !== null).length;
    if (readings.length > 1) {
      const open = keys.filter((k, col) => k !== null && cells[col] === null) as string[];
      const shown = readings.slice(0, 4).map((r) => r.join(',')).join(' | ');
      warnings.push({
        code: 'AMBIGUOUS_CELL_SPLIT',
        message: `"${v.tokens.join(' ')}" (${label(v)}) reads ${readings.length} ways that all satisfy the table's identities (${shown}${readings.length > 4 ? ' | …' : ''}); the cells they disagree on are left out`,
        figureKeys: open,
      });
    }
    const source = sourceOf(v, documentText);
    keys.forEach((key, col) => {
      const value = cells[col];
      if (key === null) return;
      const entry = sums.get(key) ?? { value: 0, sources: [], missing: false };
      if (value === null || value === undefined) entry.missing = true;
      else entry.value += value;
      entry.sources.push(source);
      sums.set(key, entry);
    });
  }
  for (const [key, entry] of sums) {
    if (entry.missing) continue;
    figures.push({ key, value: round(entry.value), source: joinSources(entry.sources, documentText) });
  }

  const checks: TableRead['checks'] = [];
  for (const c of constraints) {
    const ok = holds(c, settled);
    if (ok === null) continue;
    const keys = [...new Set(c.terms.map((t) => keysOf(t.row)[t.col]).filter((k): k is string => Boolean(k)))];
    checks.push({ label: c.label, holds: ok, keys });
    if (!ok) warnings.push({ code: 'TABLE_IDENTITY_MISMATCH', message: `${template.title}: ${c.label} does not hold on the printed figures`, figureKeys: keys });
  }
  const expectedRows = template.rows.filter((r) => !r.optional || present.has(r.id));
  return {
    template,
    figures,
    warnings,
    cellsExpected: expectedRows.reduce((n, r) => n + r.keys.length, 0),
    cellsFound,
    identitiesChecked: checks.length,
    identitiesHeld: checks.filter((c) => c.holds).length,
    checks,
  };
}

/**
 * A row that prints fewer cells than the template has: every placement of its values, the other
 * cells blank. A blank that the row's own identities bound by 0 (本年 ≤ 历年累计 = 0) is 0,
 * since no count is negative.
 */
function withBlanks(values: number[], width: number, own: Constraint[]): Reading[] {
  const out: Reading[] = [];
  const place = (at: number, next: number, reading: Reading) => {
    if (next === values.length) {
      out.push(fillZeros([...reading, ...Array.from({ length: width - reading.length }, () => null)], own));
      return;
    }
    for (let col = at; col <= width - (values.length - next); col++) {
      place(col + 1, next + 1, [...reading, ...Array.from({ length: col - reading.length }, () => null), values[next]!]);
    }
  };
  place(0, 0, []);
  return out;
}

function fillZeros(reading: Reading, own: Constraint[]): Reading {
  const out = [...reading];
  for (const c of own) {
    if (c.relation !== '<=' || c.terms.length !== 2) continue;
    const lower = c.terms.find((t) => t.coef > 0);
    const upper = c.terms.find((t) => t.coef < 0);
    if (lower && upper && out[lower.col] === null && out[upper.col] === 0) out[lower.col] = 0;
  }
  return out;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const keyList = (keys: Array<string | null>) => keys.filter((k): k is string => k !== null);
const label = (v: Variable) => v.rows.map((r) => r.ownLabel.trim()).join(' ').slice(-40);

/** The row's line, with the line above when the label stands there (a wrapped or bare row). */
function sourceOf(v: Variable, documentText: string): FigureSource {
  const first = v.rows[0]!;
  const last = v.rows.at(-1)!;
  const from = !hasCjk(first.ownLabel) && first.before.length > 0 ? first.before.at(-1)! : first.line;
  return from === last.line ? lineSource(last.line) : spanSource(documentText, from, last.line);
}

function joinSources(sources: FigureSource[], documentText: string): FigureSource {
  if (sources.length === 1) return sources[0]!;
  let start = Infinity;
  let end = -Infinity;
  for (const s of sources) {
    start = Math.min(start, s.start);
    end = Math.max(end, s.end);
  }
  return { text: documentText.slice(start, end), start, end };
}

export type { Constraint };
