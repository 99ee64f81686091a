// The report page marks a figure's source by its offsets in the document text
// (dashboard/src/components/report/highlight.ts): the runs must give back the text unchanged,
// and a mark must hold exactly text.slice(start, end), also past characters outside the BMP.
import { describe, expect, it } from 'vitest';
import { textRuns } from '../../dashboard/src/components/report/highlight.ts';

const joined = (runs: ReturnType<typeof textRuns>) => runs.map((run) => run.text).join('');
const marked = (runs: ReturnType<typeof textRuns>) => runs.filter((run) => run.keys.length > 0).map((run) => [run.text, run.keys.join(' ')]);

describe('source highlight runs', () => {
  const text = '一、总体情况\n2023 年，全年主动公开政府信息 1136 条。\n（二）依申请公开 21 件。';

  it('marks one source exactly and keeps the rest of the text as it is', () => {
    const start = text.indexOf('全年');
    const end = text.indexOf('条') + 1;
    const runs = textRuns(text, [{ start, end, key: 'proactive.total' }]);
    expect(joined(runs)).toBe(text);
    expect(marked(runs)).toEqual([['全年主动公开政府信息 1136 条', 'proactive.total']]);
  });

  it('splits overlapping sources into runs that each name the figures covering them', () => {
    const runs = textRuns(text, [
      { start: 0, end: 10, key: 'a' },
      { start: 5, end: 15, key: 'b' },
    ]);
    expect(joined(runs)).toBe(text);
    expect(marked(runs)).toEqual([
      [text.slice(0, 5), 'a'],
      [text.slice(5, 10), 'a b'],
      [text.slice(10, 15), 'b'],
    ]);
  });

  it('counts offsets in UTF-16 code units, as the extractor slices the same string', () => {
    const withAstral = '𠀀𠀁 申请 95 件';
    const start = withAstral.indexOf('申请');
    const runs = textRuns(withAstral, [{ start, end: withAstral.length, key: 'applications.received' }]);
    expect(marked(runs)).toEqual([['申请 95 件', 'applications.received']]);
  });

  it('ignores empty sources and clamps offsets past the end of the text', () => {
    const runs = textRuns(text, [
      { start: 3, end: 3, key: 'empty' },
      { start: text.length - 3, end: text.length + 50, key: 'tail' },
    ]);
    expect(joined(runs)).toBe(text);
    expect(marked(runs)).toEqual([[text.slice(-3), 'tail']]);
  });
});
