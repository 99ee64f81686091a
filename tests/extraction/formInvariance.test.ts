// Form invariance: the same report gives the same figures whatever form its text takes — as
// published, with every line break removed (a page saved as one line), re-wrapped at 40
// characters (a converter's hard wrap, which cuts numbers and labels anywhere), rendered as an
// HTML page with its tables as <table>s, and that page's body shipped in a script's string (as
// sites that fill the page by JavaScript do). Every fixture, labelled or not.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { extractDocument, extractText, type ExtractionResult } from '../../subgraphs/reports/extraction/index.ts';
import { readTextBlocks } from '../../subgraphs/reports/extraction/document/textBlocks.ts';
import { renderHtmlPage } from '../../subgraphs/reports/extraction/document/renderHtml.ts';
import { sharedDir } from './helpers.ts';

const dirs = ['fixtures/reports/', 'fixtures/pagedumps/', 'fixtures/pagedumps/unlabelled/'];
const fixtures = dirs.flatMap((d) => readdirSync(`${sharedDir}${d}`).filter((f) => f.endsWith('.txt')).map((f) => `${d}${f}`));

/**
 * Where a transformation destroys what tells reports apart, not a way of printing them: this
 * scrape runs four reports together, and the only boundary between two of them is a line break
 * in mid-sentence (…战略性新兴 / 一、政府信息公开概况). Without it no reader can see a new report.
 */
const LINE_BREAKS_CARRY_MEANING = new Set(['fixtures/reports/002_661ba67caf8b678d.txt']);

const figures = (result: ExtractionResult) =>
  result.reports.flatMap((r) => Object.entries(r.figures).map(([key, f]) => `${key}=${f.value}`)).sort();

const rewrap = (text: string, width: number) => {
  const flat = text.replace(/\r?\n/g, '');
  const lines: string[] = [];
  for (let i = 0; i < flat.length; i += width) lines.push(flat.slice(i, i + width));
  return lines.join('\n');
};

describe.each(fixtures)('%s', (fixture) => {
  const text = readFileSync(`${sharedDir}${fixture}`, 'utf8');
  const base = figures(extractText(text));

  it('reads figures at all', () => {
    expect(base.length).toBeGreaterThan(5);
  });

  it.skipIf(LINE_BREAKS_CARRY_MEANING.has(fixture))('gives the same figures with every line break removed', () => {
    expect(figures(extractText(text.replace(/\r?\n/g, '')))).toEqual(base);
  });

  it.skipIf(LINE_BREAKS_CARRY_MEANING.has(fixture))('gives the same figures re-wrapped at 40 characters', () => {
    expect(figures(extractText(rewrap(text, 40)))).toEqual(base);
  });

  const page = renderHtmlPage(readTextBlocks(text, 'text'));
  const read = async (fileName: string, html: string) => figures(await extractDocument({ fileName, bytes: new TextEncoder().encode(html) }));

  it('gives the same figures rendered as an HTML table page', async () => {
    expect(await read('report.html', page)).toEqual(base);
  });

  it('gives the same figures from a page whose body is a string in its script', async () => {
    const body = page.replace(/^[\s\S]*<body>/, '').replace(/<\/body>[\s\S]*$/, '');
    const literal = JSON.stringify(body).replace(/\//g, '\\/');
    const scripted = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="content"></div>
<script>var content = ${literal};document.getElementById('content').innerHTML = content;</script></body></html>`;
    expect(await read('report.html', scripted)).toEqual(base);
    expect(await read('report.txt', scripted)).toEqual(base);
  });
});
