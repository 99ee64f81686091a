// A property test of the cell splitter through the whole pipeline (extractText). For each official
// table it generates random tables that satisfy every identity of that table, with skewed values
// like real reports (mostly 0, some 1–9, some 10–999, a few larger), prints them the way a
// website's page dump does (cells run together, sometimes some of the spaces kept, the whole table
// on one line inside the report's text), extracts them and compares with the truth:
//   - a cell read with a wrong value is a failure: there must be none;
//   - a cell left out must be named by a warning (AMBIGUOUS_CELL_SPLIT, UNREADABLE_TABLE_ROW or
//     BLANK_TABLE_CELLS);
//   - the share of cells read is reported, with a floor, so that reporting nothing cannot pass.
// Seeds are fixed; SPLITTER_PROPERTY_SCALE (a multiplier on the number of tables) and
// SPLITTER_PROPERTY_SEED (the first seed) explore further without editing the test.
import { describe, expect, it } from 'vitest';
import { extractText } from '../../subgraphs/reports/extraction/index.ts';
import { nationalPage, provincialPage, scoreTable, standardPage, type GeneratedPage } from './generateTables.ts';

const SCALE = Number(process.env.SPLITTER_PROPERTY_SCALE ?? 1);
const FIRST_SEED = Number(process.env.SPLITTER_PROPERTY_SEED ?? 1);
/** Pages per run: the whole pipeline costs 20–90 ms a page, the file must stay well under a minute. */
const pages = (n: number) => Math.max(1, Math.round(n * SCALE));

interface Tally {
  tables: number;
  cells: number;
  recovered: number;
  leftOut: number;
  wrong: number;
  /** cells left out that no warning names, in tables the extractor read */
  silent: number;
  /** tables of which nothing at all was reported, with no warning: left out whole */
  droppedWhole: number;
  droppedCells: number;
  invented: number;
  /** pages read as other than exactly one report */
  notOneReport: number;
  examples: string[];
}

const tallies = new Map<string, Tally>();
const tally = (id: string): Tally => {
  let t = tallies.get(id);
  if (!t) {
    t = { tables: 0, cells: 0, recovered: 0, leftOut: 0, wrong: 0, silent: 0, droppedWhole: 0, droppedCells: 0, invented: 0, notOneReport: 0, examples: [] };
    tallies.set(id, t);
  }
  return t;
};

function run(name: string, count: number, page: (seed: number) => GeneratedPage): void {
  for (let i = 0; i < count; i++) {
    const seed = FIRST_SEED + i;
    const generated = page(seed);
    const reports = extractText(generated.text).reports;
    const report = reports[0];
    for (const table of generated.tables) {
      const t = tally(table.templateId);
      const score = scoreTable(table, report);
      t.tables++;
      if (reports.length !== 1) t.notOneReport++;
      t.cells += table.printed.size;
      t.recovered += score.recovered;
      t.leftOut += score.leftOut;
      t.wrong += score.wrong.length;
      t.invented += score.invented.length;
      const example = (what: string, detail: unknown) => {
        if (t.examples.length < 5) t.examples.push(`${name} seed ${seed}: ${what} ${JSON.stringify(detail)}\n${generated.text}`);
      };
      if (score.wrong.length > 0) example('wrong', score.wrong);
      if (score.invented.length > 0) example('invented', score.invented);
      if (score.silent.length === 0) continue;
      if (score.silent.length === table.printed.size) {
        t.droppedWhole++;
        t.droppedCells += score.silent.length;
      } else {
        t.silent += score.silent.length;
        example('left out without a warning', score.silent);
      }
    }
  }
}

/** Each page set is generated and read once, by whichever test needs it first. */
const once = (f: () => void) => {
  let done = false;
  return () => {
    if (!done) f();
    done = true;
  };
};
const runStd2021 = once(() => run('STD2021', pages(350), (seed) => standardPage(seed, 2021)));
const runStd2019 = once(() => run('STD2019', pages(350), (seed) => standardPage(seed, 2019)));
const runProvincial = once(() => run('provincial', pages(700), (seed) => provincialPage(seed)));
const runNational = once(() => run('national', pages(80), (seed) => nationalPage(seed)));

function summary(id: string): string {
  const t = tally(id);
  const share = (n: number) => `${((100 * n) / Math.max(1, t.cells)).toFixed(1)}%`;
  return (
    `${id}: ${t.tables} tables, ${t.cells} cells: ${t.recovered} recovered (${share(t.recovered)}), ` +
    `${t.leftOut} left out with a warning (${share(t.leftOut)}), ${t.wrong} wrong, ` +
    `${t.silent} left out silently in tables read, ${t.droppedWhole} tables (${t.droppedCells} cells) dropped whole without a warning`
  );
}

/** No cell read wrong (nor under a key the page does not print), and enough cells read. */
function expectRight(id: string, floor: number): void {
  const t = tally(id);
  console.log(summary(id));
  expect(t.tables).toBeGreaterThan(0);
  expect(t.notOneReport, 'pages not read as exactly one report').toBe(0);
  expect(t.wrong, t.examples.join('\n\n')).toBe(0);
  expect(t.invented, t.examples.join('\n\n')).toBe(0);
  expect(t.recovered / t.cells).toBeGreaterThan(floor);
}

/** Every cell left out is named by a warning, in tables read and in tables left out whole. */
function expectNamed(id: string): void {
  const t = tally(id);
  expect(t.tables).toBeGreaterThan(0);
  expect(t.silent, t.examples.join('\n\n')).toBe(0);
  expect(t.droppedWhole, `${t.droppedWhole} tables (${t.droppedCells} cells) of which nothing was reported, and no warning named a cell`).toBe(0);
}

const CASES: Array<{ name: string; template: string; floor: number; run: () => void }> = [
  { name: 'STD2021 application table', template: 'STD2021_APPLICATIONS', floor: 0.9, run: () => runStd2021() },
  { name: 'STD2019 application table', template: 'STD2019_APPLICATIONS', floor: 0.9, run: () => runStd2019() },
  {
    name: 'review/litigation table (复议 / 直接起诉 / 复议后起诉 × 维持 纠正 其他 尚未审结 总计), under both',
    template: 'STD_REVIEW',
    floor: 0.8,
    run: () => {
      runStd2021();
      runStd2019();
    },
  },
  { name: '2008-era provincial table (本年度 / 历年累计)', template: 'PRE2019_PROVINCIAL', floor: 0.6, run: () => runProvincial() },
  { name: '2008-era national table (统计数)', template: 'PRE2019_NATIONAL', floor: 0.95, run: () => runNational() },
];

describe('splitting run-together cells: random consistent tables through the whole pipeline', () => {
  for (const c of CASES) {
    it(`${c.name}: no cell read wrong; the share read is reported`, () => {
      c.run();
      expectRight(c.template, c.floor);
    });
    it(`${c.name}: every cell left out is named by a warning`, () => {
      c.run();
      expectNamed(c.template);
    });
  }
});
