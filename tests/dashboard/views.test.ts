// The dashboard's other views in Chromium on the sample data, each against the API's answer:
// the country's provinces, the missing and late filers, an agency's reports, and the region page
// at a tablet's width. Screenshots of each in test-artifacts/.
import { expect, it } from 'vitest';
import { describeInChromium, screenshot, testId, useDashboardHub } from '../support/browser.ts';

/** The latest year in which the province has filed reports: the one the pages show without ?year=. */
async function latestYear(dashboard: ReturnType<typeof useDashboardHub>, code: string): Promise<number> {
  const answer = await dashboard.hub.query(`query ($code: ID!) { region(code: $code) { disclosureTrend(from: 2015, to: 2030) { year filed } } }`, { code });
  const years = answer.data.region.disclosureTrend.filter((entry: { filed: number }) => entry.filed > 0).map((entry: { year: number }) => entry.year);
  return Math.max(...years);
}

describeInChromium('the other views', () => {
  const dashboard = useDashboardHub();

  it("home: every province, each with the filing rate the API gives for the latest year", async () => {
    const year = await latestYear(dashboard, '430000');
    const page = await dashboard.newPage();
    await page.goto(`${dashboard.origin}/`);
    await expect.poll(() => page.locator(testId('province')).count(), { timeout: 30_000 }).toBe(31);
    const answer = await dashboard.hub.query(`query ($year: Int!) { region(code: "430000") { disclosure(year: $year) { rates { filingRate } } } }`, { year });
    const shown = page.locator(testId('province', '[data-code="430000"]')).locator(testId('province-filing-rate'));
    await expect.poll(() => shown.getAttribute('data-value'), { timeout: 30_000 }).toBe(String(answer.data.region.disclosure.rates.filingRate));
    await screenshot(page, 'home');
  });

  it('filers: the missing and late agencies of 湖南省 are as many as its rollup counts', async () => {
    const year = await latestYear(dashboard, '430000');
    const answer = await dashboard.hub.query(`query ($year: Int!) { region(code: "430000") { disclosure(year: $year) { missing late } } }`, { year });
    const { missing, late } = answer.data.region.disclosure;
    expect(missing + late).toBeGreaterThan(0);
    const page = await dashboard.newPage();
    await page.goto(`${dashboard.origin}/region/430000/filers?year=${year}`);
    await expect.poll(() => page.locator(testId('filer-row')).count(), { timeout: 30_000 }).toBe(missing + late);
    expect(await page.locator(testId('filer-row', '[data-status="MISSING"]')).count()).toBe(missing);
    expect(await page.locator(testId('filer-row', '[data-status="LATE"]')).count()).toBe(late);
    await expect(page.locator(testId('filers-incomplete')).count()).resolves.toBe(0);
    await screenshot(page, `filers-430000-${year}`);
  });

  it("agency: its reports as the API lists them, and its hotline figures refused to the public with the API's message", async () => {
    const answer = await dashboard.hub.query(
      `{ agencies(regionCode: "430100", first: 1) { nodes { id name reports { id year } } } }`,
    );
    const agency = answer.data.agencies.nodes[0];
    expect(agency.reports.length).toBeGreaterThan(0);
    const page = await dashboard.newPage();
    await page.goto(`${dashboard.origin}/agency/${agency.id}`);
    await expect.poll(() => page.locator(testId('agency-name')).textContent(), { timeout: 30_000 }).toBe(agency.name);
    await expect.poll(() => page.locator(testId('report-row')).count()).toBe(agency.reports.length);
    const years = await page.locator(testId('report-row')).evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-year'))));
    expect(years.sort()).toEqual(agency.reports.map((report: { year: number }) => report.year).sort());
    await expect.poll(() => page.locator(testId('denial')).textContent()).toMatch(/needs a signed-in user/);
    await screenshot(page, `agency-${agency.id}`);
  });

  it("region page at a tablet's width: nothing wider than the screen", async () => {
    const page = await dashboard.newPage();
    await page.setViewportSize({ width: 800, height: 1180 });
    await page.goto(`${dashboard.origin}/region/430100`);
    await page.locator(testId('disclosure-kpis')).waitFor({ timeout: 30_000 });
    await page.locator(testId('ranking-row')).first().waitFor();
    // an expression run in the page (the tests are compiled without the DOM's types)
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'tablet-region-430100');
  });
});
