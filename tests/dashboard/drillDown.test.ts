// Drilling down in Chromium: 湖南省 → 长沙市 → 芙蓉区 by clicking the child regions, the
// breadcrumb following the path, and at every level each KPI on the page equal to the API's answer
// to the same question (sent here to /graphql), and the ranking table equal to Query.ranking's.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInChromium, screenshot, testId, useDashboardHub, type DashboardHub } from '../support/browser.ts';

/** What the page's KPIs show: the disclosure rollup and the hotline figures of the year. */
const KPI_QUERY = `query ($code: ID!, $year: Int!) {
  region(code: $code) {
    name
    children { code name }
    disclosure(year: $year) {
      agencies filed missing late flagged
      totals { proactiveTotal applicationsReceived granted partial denied reconsiderations reconsiderationsCorrected lawsuits lawsuitsCorrected feesAmount }
      rates { denialRate correctionRate filingRate lateRate }
    }
    hotline(year: $year) { received resolved overdue onTimeRate satisfactionRate medianHandlingHours }
    agencyConnection(first: 20) { nodes { id name } }
  }
}`;

/** The ranking the page shows first: children by filing rate, highest first (a county: its own agencies). */
const RANKING_QUERY = `query ($code: ID!, $year: Int!, $level: RegionLevel) {
  ranking(regionCode: $code, year: $year, metric: FILING_RATE, level: $level, ascending: false, first: 20) {
    rank value region { code name } agency { id name }
  }
}`;

type Numbers = Record<string, number | null>;

/** A rollup's figures by field name, its totals' and rates' included (no name is in two of them). */
function flatten(object: Record<string, unknown>): Numbers {
  const flat: Numbers = {};
  for (const [key, value] of Object.entries(object)) {
    if (value !== null && typeof value === 'object') Object.assign(flat, flatten(value as Record<string, unknown>));
    else if (typeof value === 'number' || value === null) flat[key] = value;
  }
  return flat;
}

/** Every KPI card inside `panel`: its field (kpi-<field>) and its data-value. */
async function kpisIn(page: Page, panel: string): Promise<Numbers> {
  const cards = await page.locator(`${testId(panel)} [data-test^="kpi-"][data-value]`).evaluateAll((elements) =>
    elements.map((element) => [element.getAttribute('data-test')!.slice('kpi-'.length), element.getAttribute('data-value')!] as const),
  );
  return Object.fromEntries(cards.map(([field, raw]) => [field, raw === '' ? null : Number(raw)]));
}

/** The page at `code` shows what the API answers for the region, the year and the ranking. */
async function expectLevel(dashboard: DashboardHub, page: Page, code: string, path: string[]) {
  const year = Number(new URL(page.url()).searchParams.get('year'));
  expect(year, `the year in ${page.url()}`).toBeGreaterThan(2000);
  const answer = await dashboard.hub.query(KPI_QUERY, { code, year });
  expect(answer.errors).toBeUndefined();
  const region = answer.data.region;
  await expect.poll(() => page.locator(testId('region-name')).textContent(), { timeout: 30_000 }).toBe(region.name);
  await page.locator(testId('disclosure-kpis')).waitFor();
  await page.locator(testId('hotline')).waitFor();

  const breadcrumb = await page.locator(`${testId('breadcrumb')} .el-breadcrumb__inner`).allTextContents();
  expect(breadcrumb.map((text) => text.trim())).toEqual(['全国', ...path]);

  const disclosure = flatten(region.disclosure);
  const shownDisclosure = await kpisIn(page, 'disclosure-kpis');
  expect(Object.keys(shownDisclosure).length).toBeGreaterThanOrEqual(5);
  for (const [field, value] of Object.entries(shownDisclosure)) {
    expect(field in disclosure, `kpi-${field} is no field of Region.disclosure`).toBe(true);
    expect(value, `${region.name} ${year} kpi-${field}`).toBe(disclosure[field]);
  }
  const hotline = region.hotline as Numbers;
  const shownHotline = await kpisIn(page, 'hotline');
  expect(Object.keys(shownHotline).length).toBeGreaterThanOrEqual(3);
  for (const [field, value] of Object.entries(shownHotline)) {
    expect(field in hotline, `kpi-${field} is no field of Region.hotline`).toBe(true);
    expect(value, `${region.name} ${year} hotline kpi-${field}`).toBe(hotline[field]);
  }

  const level = region.children.length === 0 ? 'COUNTY' : null;
  const ranking = await dashboard.hub.query(RANKING_QUERY, { code, year, level });
  expect(ranking.errors).toBeUndefined();
  const expected = (ranking.data.ranking as { value: number | null; region: { name: string } | null; agency: { name: string } | null }[]).map((entry) => ({
    name: entry.region?.name ?? entry.agency!.name,
    value: entry.value,
  }));
  expect(expected.length, `${region.name} has something to rank`).toBeGreaterThan(0);
  const rows = page.locator(testId('ranking-row'));
  await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(expected.length);
  const shown = await rows.evaluateAll((elements) =>
    elements.map((row) => {
      const raw = row.querySelector('[data-test="ranking-value"]')!.getAttribute('data-value')!;
      return { name: row.querySelector('[data-test="ranking-name"]')!.textContent!.trim(), value: raw === '' ? null : Number(raw) };
    }),
  );
  expect(shown).toEqual(expected);

  // the region's own agencies, the first page of 20 as the API orders them
  const agencies = await page.locator(testId('agency-link')).evaluateAll((links) => links.map((link) => ({ id: link.getAttribute('data-id'), name: link.textContent!.trim() })));
  expect(agencies).toEqual(region.agencyConnection.nodes);
  return { year, region };
}

describeInChromium('drilling down from a province to a county', () => {
  const dashboard = useDashboardHub();

  it('shows at each level the KPIs and the ranking the API gives, with the path in the breadcrumb', async () => {
    const page = await dashboard.newPage();
    await page.goto(`${dashboard.origin}/region/430000`);
    // without ?year= the page picks the latest year with reports and says so in the address
    await page.waitForURL(/[?&]year=\d{4}/);
    const province = await expectLevel(dashboard, page, '430000', ['湖南省']);
    await screenshot(page, 'drill-1-province-430000');

    await page.locator(testId('child-region', '[data-code="430100"]')).click();
    await page.waitForURL(/\/region\/430100\?/);
    const city = await expectLevel(dashboard, page, '430100', ['湖南省', '长沙市']);
    expect(city.year).toBe(province.year);
    await screenshot(page, 'drill-2-city-430100');

    const county = city.region.children[0] as { code: string; name: string };
    await page.locator(testId('child-region', `[data-code="${county.code}"]`)).click();
    await page.waitForURL(new RegExp(`/region/${county.code}\\?`));
    await expectLevel(dashboard, page, county.code, ['湖南省', '长沙市', county.name]);
    expect(await page.locator(testId('child-region')).count()).toBe(0);
    await screenshot(page, `drill-3-county-${county.code}`);

    // and back up through the breadcrumb
    await page.locator(`${testId('breadcrumb')} .el-breadcrumb__inner`, { hasText: '长沙市' }).click();
    await page.waitForURL(/\/region\/430100\?/);
    await expectLevel(dashboard, page, '430100', ['湖南省', '长沙市']);
  });
});
