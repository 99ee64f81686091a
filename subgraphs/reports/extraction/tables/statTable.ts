// The 2008-era 政府信息公开情况统计表: one value per row (label | unit | value). Rows are aligned
// to the national table's order, which also tells the two 被依法纠错数 rows apart.
import { PRE2019_TABLE_ROWS } from './labels.ts';
import { alignRows, numericRows, type NumericRow } from './matchRows.ts';
import { labelCore, numberOf, trailingNumbers, type Line } from '../document/lines.ts';
import { FigureSet, lineSource } from '../figureSet.ts';
import { findStatTable } from './sections.ts';

interface StatRow extends NumericRow {
  value: number;
}

const UNIT_CELL = /[|\s](条|件|次|篇|个|人|人次|万元|元|项|期)\s*[|\s]*$/;

export function readStatTable(lines: Line[], out: FigureSet): number {
  const range = findStatTable(lines);
  if (!range) return 0;
  const rows = numericRows<StatRow>(lines.slice(range.from, range.to), (line) => {
    const { cells, label } = trailingNumbers(line);
    if (cells.length !== 1 || labelCore(label).length < 2) return null;
    // The unit column is part of the label text; it carries no words of the label.
    return { line, ownLabel: label.replace(UNIT_CELL, ' '), value: numberOf(cells[0]!.text) };
  });
  const aligned = alignRows(rows, PRE2019_TABLE_ROWS);
  let count = 0;
  for (const { row, vocab } of aligned) if (out.add(vocab.key, row.value, lineSource(row.line))) count++;
  return count;
}
