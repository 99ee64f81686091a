// Taking the ranking away, in Chromium: the CSV and Excel buttons of the region page's ranking
// download files whose rows are the table on the screen, and which say what they are (the
// region and year in the file name and the first lines, and when they were exported).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describeInChromium, screenshot, testId, useDashboardHub } from '../support/browser.ts';

const HUNAN = '430000';
const YEAR = 2024;
const RANKING = testId('ranking');

/** The ranking table as shown: rank, name, the region code its link goes to, the raw value. */
async function shownRanking(page: Page): Promise<string[][]> {
  return page.locator(`${RANKING} ${testId('ranking-row')}`).evaluateAll((rows) =>
    rows.map((row) => {
      const link = row.querySelector('[data-test="ranking-name"] a')!.getAttribute('href')!;
      return [
        row.querySelector('td')!.textContent!.trim(),
        row.querySelector('[data-test="ranking-name"]')!.textContent!.trim(),
        /\/region\/(\d{6})/.exec(link)![1]!,
        row.querySelector('[data-test="ranking-value"]')!.getAttribute('data-value')!,
      ];
    }),
  );
}

/** RFC 4180 fields of a CSV text (quotes doubled inside quoted fields). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += c;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows;
}

/** 2024年3月5日 09:07 (China Standard Time), as the dashboard writes the time of export, in ms. */
function exportTime(text: string): number {
  const match = /(\d{4})年(\d{1,2})月(\d{1,2})日\s*(\d{1,2}):(\d{2})/.exec(text);
  if (!match) throw new Error(`no time of export in ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi] = match.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h! - 8, mi!);
}

/** The export's time is the click's, to the minute. */
function expectExportedBetween(text: string, before: number, after: number) {
  const at = exportTime(text);
  expect(at).toBeGreaterThanOrEqual(Math.floor(before / 60_000) * 60_000);
  expect(at).toBeLessThanOrEqual(after);
}

describeInChromium('exporting the ranking', () => {
  const dashboard = useDashboardHub();

  it('downloads the table shown as CSV and as Excel, each naming the region, the year and the time of export', async () => {
    const page = await dashboard.newPage();
    await page.goto(`${dashboard.origin}/region/${HUNAN}?year=${YEAR}`);
    await page.locator(`${RANKING} ${testId('ranking-row')}`).first().waitFor();
    const shown = await shownRanking(page);
    expect(shown.length).toBeGreaterThan(5);
    const shownHeader = (await page.locator(`${RANKING} thead th`).allTextContents()).map((text) => text.trim());
    await screenshot(page, 'export-ranking-430000');

    // CSV: UTF-8 with a byte-order mark
    const beforeCsv = Date.now();
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator(`${RANKING} ${testId('export-csv')}`).click()]);
    const afterCsv = Date.now();
    expect(csvDownload.suggestedFilename()).toBe(`排名_湖南省_${YEAR}.csv`);
    const bytes = readFileSync((await csvDownload.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = parseCsv(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    expect(csv[0]).toEqual(['排名']);
    expect(csv[1]).toEqual(['地区', '湖南省']);
    expect(csv[2]).toEqual(['年度/期间', String(YEAR)]);
    expect(csv[3]![0]).toBe('导出时间');
    expectExportedBetween(csv[3]![1]!, beforeCsv, afterCsv);
    const csvHeader = csv[5]!;
    expect(csvHeader[0]).toBe(shownHeader[0]);
    expect(csvHeader[1]).toBe(shownHeader[1]);
    expect(csvHeader[3]).toContain(shownHeader[2]);
    expect(csv.slice(6)).toEqual(shown);

    // Excel: numbers stay numbers
    const beforeXlsx = Date.now();
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.locator(`${RANKING} ${testId('export-xlsx')}`).click()]);
    const afterXlsx = Date.now();
    expect(xlsxDownload.suggestedFilename()).toBe(`排名_湖南省_${YEAR}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await xlsxDownload.path())!) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const cell = (row: number, column: number) => sheet.getRow(row).getCell(column).value;
    expect(cell(1, 1)).toBe('排名');
    expect([cell(2, 1), cell(2, 2)]).toEqual(['地区', '湖南省']);
    expect([cell(3, 1), cell(3, 2)]).toEqual(['年度/期间', String(YEAR)]);
    expect(cell(4, 1)).toBe('导出时间');
    expectExportedBetween(String(cell(4, 2)), beforeXlsx, afterXlsx);
    expect([1, 2, 3, 4].map((column) => cell(6, column))).toEqual(csvHeader);
    const xlsxRows: unknown[][] = [];
    for (let r = 7; r <= sheet.rowCount; r++) xlsxRows.push([1, 2, 3, 4].map((column) => cell(r, column)));
    expect(xlsxRows).toEqual(shown.map(([rank, name, code, value]) => [Number(rank), name, code, value === '' ? null : Number(value)]));
  });
});
