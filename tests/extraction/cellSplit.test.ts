import { describe, expect, it } from 'vitest';
import { splitCells } from '../../subgraphs/reports/extraction/tables/splitCells.ts';
import { extractText } from '../../subgraphs/reports/extraction/index.ts';
import { stdReport } from './helpers.ts';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const rowTotalHolds = (v: number[]) => sum(v.slice(0, -1)) === v.at(-1);
const blocksOfFiveHold = (v: number[]) => [0, 5, 10].every((i) => rowTotalHolds(v.slice(i, i + 5)));
// These identities judge whole rows; splitCells also asks about prefixes.
const readings = (tokens: string[], count: number, accept: (v: number[]) => boolean = () => true) =>
  splitCells(tokens, count, (v) => v.length < count || accept(v)).readings;

describe('splitting cells that ran together', () => {
  it('reads 230 000023 as 23,0,0,0,0,0,23 using row total = sum of columns', () => {
    expect(readings(['230', '000023'], 7, rowTotalHolds)).toEqual([[23, 0, 0, 0, 0, 0, 23]]);
  });

  it('returns every reading when the identity does not decide', () => {
    expect(readings(['110000011'], 7, rowTotalHolds)).toEqual([
      [1, 10, 0, 0, 0, 0, 11],
      [11, 0, 0, 0, 0, 0, 11],
    ]);
  });

  it('never gives a cell a leading zero and keeps decimals whole', () => {
    expect(readings(['0012'], 3)).toEqual([[0, 0, 12]]);
    expect(readings(['7730.28'], 1)).toEqual([[7730.28]]);
    // A decimal point stays in its cell; the digits before it may still be cut.
    expect(readings(['13575394432.52'], 2, (v) => v[0]! < 1000)).toEqual([[1, 3575394432.52], [13, 575394432.52], [135, 75394432.52]]);
  });

  it('follows no prefix the identities already refuse', () => {
    // 26 digits into 15 cells: far too many cuts, but blocks of five whose total is wrong die early.
    const blockOk = (v: number[]) => [0, 5, 10].every((i) => v.length < i + 5 || rowTotalHolds(v.slice(i, i + 5)));
    const split = splitCells(['72641783735113481261211620'], 15, blockOk);
    expect(split.complete).toBe(true);
    expect(split.readings).toContainEqual([72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]);
  });

  it('gives up rather than list too many readings', () => {
    expect(splitCells(['1'.repeat(40)], 20)).toEqual({ readings: [], complete: false });
  });

  it('splits the review/litigation row into blocks of five', () => {
    const tokens = ['11002', '1000', '1', '2010', '3'];
    expect(readings(tokens, 15, blocksOfFiveHold)).toEqual([[1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3]]);
  });

  it('reads a run-together table row in a report', () => {
    const report = extractText(stdReport({ received: '230 000023', granted: '23 0 0 0 0 0 23', total: '23 0 0 0 0 0 23' })).reports[0]!;
    expect(report.figures['applications.received']?.value).toBe(23);
    expect(report.figures['applications.received@naturalPerson']?.value).toBe(23);
    expect(report.figures['applications.received@otherOrg']?.value).toBe(0);
    expect(report.figures['applications.received']?.source?.text).toContain('230 000023');
  });

  it('leaves the cells an ambiguous row disagrees on out, and warns', () => {
    // 本年新收 110000011 = 1,10,0,0,0,0,11 or 11,0,0,0,0,0,11; the rows that would decide are also run together.
    const report = extractText(stdReport({ received: '110000011', granted: '110000011', total: '110000011' })).reports[0]!;
    expect(report.figures['applications.received@naturalPerson']).toBeUndefined();
    expect(report.figures['applications.received@business']).toBeUndefined();
    // Both readings agree on the 总计 and the last four columns: those are read.
    expect(report.figures['applications.received']?.value).toBe(11);
    expect(report.figures['applications.received@otherOrg']?.value).toBe(0);
    const warning = report.warnings.find((w) => w.code === 'AMBIGUOUS_CELL_SPLIT');
    expect(warning?.figureKeys).toContain('applications.received@naturalPerson');
    expect(warning?.figureKeys).not.toContain('applications.received');
    expect(report.figures['applications.carriedOver']?.value).toBe(0);
  });

  it('settles an ambiguous row with the table identity 新收 + 结转 = 总计 + 结转下年度', () => {
    const report = extractText(stdReport({ received: '110000011', granted: '11 0 0 0 0 0 11', total: '11 0 0 0 0 0 11' })).reports[0]!;
    expect(report.figures['applications.received@naturalPerson']?.value).toBe(11);
    expect(report.figures['applications.received@business']?.value).toBe(0);
    expect(report.warnings.map((w) => w.code)).not.toContain('AMBIGUOUS_CELL_SPLIT');
  });
});
