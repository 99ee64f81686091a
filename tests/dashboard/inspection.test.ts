// An inspector's round in Chromium: sign in with an analyst token of 湖南, open the province's
// flag work list (its counts are the API's), pick a flag's code, open the flag, and find the
// sentence its figure was read from highlighted in the report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { dataValue, describeInChromium, screenshot, signIn, testId, useDashboardHub } from '../support/browser.ts';
import { ADMIN, token } from '../support/auth.ts';
import { createAgency } from '../support/reports.ts';
import { fixturesDir } from '../support/goldReports.ts';

const HUNAN = '430000';
const YEAR = 2024;

describeInChromium('the flag work list in the dashboard', () => {
  const dashboard = useDashboardHub();

  it("shows an analyst of 湖南 the API's flags, and a flag's source sentence highlighted in its report", async () => {
    const analyst = await token({ sub: 'hn-inspector', region: HUNAN, roles: ['analyst'] });

    // A 长沙 agency's report read from its document, so that its figures have their sentences:
    // the sample reports have none. The document is a real report (淮安市洪泽区 2024) with the
    // agency's and places' names changed to 长沙's, and its outcome total (95) changed to 96, which
    // the outcomes no longer add up to (OUTCOME_TOTAL_MISMATCH).
    const agency = '长沙市芙蓉区测试局';
    await createAgency(dashboard.hub, agency, '430102');
    const outcomeTotalRow = /（七）总计(\s+)95(.*?)95/;
    const original = readFileSync(join(fixturesDir, 'huaian-hongzequ-2024.txt'), 'utf8');
    expect(original).toMatch(outcomeTotalRow);
    const text = original
      .replaceAll('淮安市洪泽区人民政府', agency)
      .replaceAll('淮安市洪\n泽区', '长沙市芙\n蓉区')
      .replaceAll('淮安市', '长沙市')
      .replaceAll('洪泽区', '芙蓉区')
      .replace(outcomeTotalRow, (_, gap: string, cells: string) => `（七）总计${gap}96${cells}96`);
    const ingested = await dashboard.hub.query(
      `mutation ($input: IngestDocumentInput!) { ingestReportDocument(input: $input) {
         reports { outcome failure { code message } report { id year flags { id code figures { key } } figures { key source { text } } } }
       } }`,
      { input: { fileName: 'furong-2024.txt', contentBase64: Buffer.from(text).toString('base64') } },
      ADMIN,
    );
    expect(ingested.errors).toBeUndefined();
    const stored = ingested.data.ingestReportDocument.reports[0];
    expect(stored.failure, JSON.stringify(stored.failure)).toBeNull();
    const report = stored.report;
    expect(report.year).toBe(YEAR);
    const sources = new Map<string, string>(
      report.figures.filter((figure: { source: unknown }) => figure.source).map((figure: { key: string; source: { text: string } }) => [figure.key, figure.source.text]),
    );
    const flag = report.flags.find((f: { id: string | null; figures: { key: string }[] }) => f.id && f.figures.some((figure) => sources.has(figure.key)));
    expect(flag, `a flag with a figure read from a sentence: ${JSON.stringify(report.flags)}`).toBeDefined();
    const sourceText = sources.get(flag.figures.find((figure: { key: string }) => sources.has(figure.key)).key)!;

    // the list as the API gives it to this analyst
    const api = await dashboard.hub.query(
      `query ($code: ID!, $year: Int!, $flagCode: String) {
         all: flags(regionCode: $code, year: $year) { totalCount }
         ofCode: flags(regionCode: $code, year: $year, code: $flagCode, first: 500) { totalCount nodes { id code severity report { id } } }
       }`,
      { code: HUNAN, year: YEAR, flagCode: flag.code },
      analyst,
    );
    expect(api.errors).toBeUndefined();
    const ours = api.data.ofCode.nodes.find((node: { id: string | null }) => node.id === flag.id);
    expect(ours).toBeDefined();
    const page = await dashboard.newPage();
    await page.goto(`${dashboard.origin}/`);
    await signIn(page, analyst);
    expect(await page.locator(testId('signed-in-as')).textContent()).toContain('hn-inspector');

    await page.goto(`${dashboard.origin}/region/${HUNAN}/flags?year=${YEAR}`);
    await page.locator(testId('flag-row')).first().waitFor();
    expect(await page.locator(testId('denial')).count()).toBe(0);
    expect(await dataValue(page, testId('flag-total'))).toBe(api.data.all.totalCount);
    await screenshot(page, 'flags-430000');

    // the code's count is the API's; clicking it lists that code alone
    const codeChip = page.locator(testId('flag-count', `[data-code="${flag.code}"]`));
    expect(await dataValue(page, testId('flag-count', `[data-code="${flag.code}"]`))).toBe(api.data.ofCode.totalCount);
    await codeChip.click();
    await expect.poll(() => page.locator(testId('flag-row', `:not([data-code="${flag.code}"])`)).count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.locator(testId('flag-row')).count(), { timeout: 30_000 }).toBe(Math.min(api.data.ofCode.totalCount, 50));
    for (const severity of await page.locator(testId('flag-row')).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-severity')))) {
      expect(['INFO', 'WARNING', 'ERROR']).toContain(severity);
    }

    // open our flag: its report, with the sentence the figure came from marked
    const row = page.locator(testId('flag-row', `[data-flag-id="${flag.id}"]`));
    expect(await row.getAttribute('data-severity')).toBe(ours.severity);
    await row.click();
    await page.waitForURL(new RegExp(`/report/${report.id}`));
    const highlight = page.locator(testId('source-highlight'));
    await highlight.first().waitFor();
    expect(await highlight.evaluateAll((marks) => marks.map((mark) => mark.tagName))).toContain('MARK');
    // a mark is cut where another figure's source begins or ends: the runs together
    expect((await highlight.allTextContents()).join('')).toContain(sourceText);
    await highlight.first().scrollIntoViewIfNeeded();
    await screenshot(page, 'flag-source-highlighted');
  });
});
