import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { extractDocument } from '../../subgraphs/reports/extraction/index.ts';
import { fixturesDir, projectRoot, sharedDir } from './helpers.ts';

const PDFS = ['huaian-hongzequ-2023', 'huaian-hongzequ-2024', 'huaian-shi-2024'];
const values = (figures: Record<string, { value: number }>) =>
  Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, f.value]));

describe('PDF text layer', () => {
  it.each(PDFS)('%s.pdf extracts to the same report as its pdftotext version', async (name) => {
    const fromPdf = await extractDocument({ fileName: `${name}.pdf`, bytes: new Uint8Array(readFileSync(`${fixturesDir}pdf/${name}.pdf`)) });
    const fromText = await extractDocument({ fileName: `${name}.txt`, bytes: new Uint8Array(readFileSync(`${fixturesDir}${name}.txt`)) });
    expect(fromPdf.reports).toHaveLength(1);
    const [p, t] = [fromPdf.reports[0]!, fromText.reports[0]!];
    const identity = (r: typeof p) => [r.agencyName, r.regionCode, r.level, r.year, r.publishedOn, r.format];
    expect(identity(p)).toEqual(identity(t));
    expect(Object.keys(p.figures).length).toBeGreaterThan(150);
    expect(values(p.figures)).toEqual(values(t.figures));
    for (const f of Object.values(p.figures)) {
      if (f.source) expect(fromPdf.text.slice(f.source.start, f.source.end)).toBe(f.source.text);
    }
  });
});

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', `${projectRoot}bin/gongkai.js`, ...args], {
    encoding: 'utf8',
    cwd: projectRoot,
  });

describe('gongkai extract', () => {
  it('prints exactly one JSON object with --json', () => {
    const run = cli('extract', `${fixturesDir}003_ffc513a89b62c6fb.txt`, '--json');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out)).toEqual(['ok', 'exitCode', 'form', 'reports', 'warnings']);
    expect(out.reports[0]).toMatchObject({ regionCode: null, level: 'CITY', year: null, format: 'PRE2019_PROSE' });
    expect(out.reports[0].figures['hotline.disclosure.calls']).toMatchObject({ value: 4800, approx: true });
    expect(out.reports[0].warnings.map((w: { code: string }) => w.code)).toContain('REGION_UNRESOLVED');
  });

  it('exits 2 with a clear message when nothing can be read', () => {
    const run = cli('extract', `${sharedDir}does-not-exist.txt`, '--json');
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, exitCode: 2, error: { code: 'FILE_NOT_FOUND' } });
    expect(run.stderr.trim()).toMatch(/^gongkai: extract: no such file: .*does-not-exist\.txt; check the path \(FILE_NOT_FOUND\)$/);
  });
});

describe('scorer', () => {
  // CI holds a floor on both fixture sets: the seed reports (text, pdftotext, OCR) and the page dumps.
  it.each([
    ['reports', '0.99', '0.99'],
    ['pagedumps', '0.97', '1.0'],
  ])('holds the figure F1 and identity floors on ../shared/fixtures/%s', (dir, minF1, minIdentity) => {
    const run = spawnSync(
      process.execPath,
      [
        `${sharedDir}tools/score-extraction.mjs`,
        '--fixtures',
        `${sharedDir}fixtures/${dir}`,
        '--min-f1',
        minF1,
        '--min-identity',
        minIdentity,
        '--',
        process.execPath,
        '--experimental-strip-types',
        '--disable-warning=ExperimentalWarning',
        `${projectRoot}bin/gongkai.js`,
        'extract',
        '--json',
      ],
      { encoding: 'utf8', cwd: projectRoot, timeout: 230_000 },
    );
    const last = run.stdout.trim().split('\n').at(-1) ?? '';
    expect(last).toMatch(/unreadable 0;/);
    expect(run.status, last).toBe(0);
  }, 240_000); // one process per fixture: minutes on a loaded machine
});
