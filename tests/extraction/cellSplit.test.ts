import { describe, expect, it } from 'vitest';
import { blocksOfFiveHold, rowTotalHolds, splitCells } from '../../subgraphs/reports/extraction/tables/splitCells.ts';
import { extractText } from '../../subgraphs/reports/extraction/index.ts';
import { stdReport } from './helpers.ts';

describe('splitting cells that ran together', () => {
  it('reads 230 000023 as 23,0,0,0,0,0,23 using row total = sum of columns', () => {
    expect(splitCells(['230', '000023'], 7, rowTotalHolds)).toEqual([[23, 0, 0, 0, 0, 0, 23]]);
  });

  it('returns every reading when the identity does not decide', () => {
    expect(splitCells(['110000011'], 7, rowTotalHolds)).toEqual([
      [1, 10, 0, 0, 0, 0, 11],
      [11, 0, 0, 0, 0, 0, 11],
    ]);
  });

  it('never gives a cell a leading zero and keeps decimals whole', () => {
    expect(splitCells(['0012'], 3, () => true)).toEqual([[0, 0, 12]]);
    expect(splitCells(['7730.28'], 1, () => true)).toEqual([[7730.28]]);
  });

  it('splits the review/litigation row into blocks of five', () => {
    const tokens = ['11002', '1000', '1', '2010', '3'];
    expect(splitCells(tokens, 15, blocksOfFiveHold)).toEqual([[1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3]]);
  });

  it('reads a run-together table row in a report', () => {
    const report = extractText(stdReport({ received: '230 000023', granted: '23 0 0 0 0 0 23', total: '23 0 0 0 0 0 23' })).reports[0]!;
    expect(report.figures['applications.received']?.value).toBe(23);
    expect(report.figures['applications.received@naturalPerson']?.value).toBe(23);
    expect(report.figures['applications.received@otherOrg']?.value).toBe(0);
    expect(report.figures['applications.received']?.source?.text).toContain('230 000023');
  });

  it('leaves an ambiguous row out and warns', () => {
    // 本年新收 110000011 = 1,10,0,0,0,0,11 or 11,0,0,0,0,0,11; the rows that would decide are also run together.
    const report = extractText(stdReport({ received: '110000011', granted: '110000011', total: '110000011' })).reports[0]!;
    expect(report.figures['applications.received']).toBeUndefined();
    expect(report.figures['applications.received@naturalPerson']).toBeUndefined();
    const warning = report.warnings.find((w) => w.code === 'AMBIGUOUS_CELL_SPLIT');
    expect(warning?.figureKeys).toContain('applications.received');
    expect(report.figures['applications.carriedOver']?.value).toBe(0);
  });

  it('settles an ambiguous row with the table identity 新收 + 结转 = 总计 + 结转下年度', () => {
    const report = extractText(stdReport({ received: '110000011', granted: '11 0 0 0 0 0 11', total: '11 0 0 0 0 0 11' })).reports[0]!;
    expect(report.figures['applications.received@naturalPerson']?.value).toBe(11);
    expect(report.figures['applications.received@business']?.value).toBe(0);
    expect(report.warnings.map((w) => w.code)).not.toContain('AMBIGUOUS_CELL_SPLIT');
  });
});
