// The dashboard's weight and speed as a browser sees them: Debian's Chromium (playwright-core,
// headless) against the benchmark's gateway, which serves dashboard/dist as `gongkai start` does.
//
//   (a) initial JavaScript: the gzip size of every script the browser loads for `/` and for
//       /region/<province> until the page is idle (the route's lazy chunks included);
//   (b) first view: a cold browser (new context, empty cache) navigating to /region/<province>
//       until its KPIs are on screen ([data-test="kpi-filed"]), timed inside the page from the
//       navigation's start;
//   (c) a drill-down step: a click on a child region (province → city → county) or the back
//       button (county → city → province) until the new region's name and KPIs are shown.
//
// Called by bench/run.ts (the whole benchmark, or `npm run bench -- dashboard` for this part alone).
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { writeSection } from './resultsSection.ts';
import { quantile } from './statistics.ts';

const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1366, height: 768 };
const KPI = '[data-test="kpi-filed"]';

export const DASHBOARD_GOALS = { initialJsGzipKb: 500, firstViewMs: 1500, drillStepP50Ms: 300 };

export interface DashboardPageResult {
  chromium: string;
  province: string;
  /** Per route: the scripts loaded and their gzip sizes (bytes). */
  scripts: { route: string; files: { url: string; bytes: number; gzipBytes: number }[] }[];
  /** Cold first views of /region/<province>, ms from navigation start to KPIs shown. */
  firstView: number[];
  /** For each first view, the ms spent in /graphql requests before the KPIs were shown (summed). */
  firstViewApi: number[];
  /** The machine's 1-minute load average when measuring (other work skews the times). */
  loadAverage: number;
  /** Each drill-down step, ms from the click (or back) to the new region's KPIs shown. */
  steps: { from: string; to: string; ms: number }[];
}


/** null when the page can be measured; otherwise why not, in one line. */
export function dashboardPageUnavailable(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium)`;
  return null;
}

/** Resolves when the region page shows `name` as its title and its KPIs: the time inside the page. */
const shownIn = (page: Page, name: string | null) =>
  page.waitForFunction(
    ([kpi, wanted]) => {
      // runs in the page (this project's types have no DOM)
      const { document } = globalThis as any;
      const title = document.querySelector('[data-test="region-name"]')?.textContent?.trim();
      if (!document.querySelector(kpi)) return null;
      if (wanted !== null && title !== wanted) return null;
      return performance.now();
    },
    [KPI, name] as const,
    { polling: 'raf', timeout: 60_000 },
  );

export async function measureDashboardPage(
  origin: string,
  options: { province: string; firstViews?: number; rounds?: number; log?: (line: string) => void },
): Promise<DashboardPageResult> {
  const { chromium } = await import('playwright-core');
  const log = options.log ?? (() => {});
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
  const problems: string[] = [];
  const newPage = async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    return { context, page };
  };
  try {
    const province = options.province;
    const regionPath = `/region/${province}`;

    // (a) scripts per route, each in a fresh context (nothing cached)
    const scripts: DashboardPageResult['scripts'] = [];
    for (const route of ['/', regionPath]) {
      const { context, page } = await newPage();
      const files = new Map<string, Promise<{ url: string; bytes: number; gzipBytes: number }>>();
      page.on('response', (response) => {
        const url = response.url();
        if (response.request().resourceType() !== 'script' && !/\.m?js(\?|$)/.test(url)) return;
        if (files.has(url)) return;
        files.set(
          url,
          response.body().then((body) => ({ url: new URL(url).pathname, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length })),
        );
      });
      await page.goto(`${origin}${route}`, { waitUntil: 'networkidle' });
      if (route === regionPath) await page.waitForSelector(KPI, { timeout: 60_000 });
      await page.waitForLoadState('networkidle');
      scripts.push({ route, files: await Promise.all(files.values()) });
      await context.close();
    }
    for (const { route, files } of scripts) log(`dashboard ${route}: ${files.length} scripts, ${(files.reduce((s, f) => s + f.gzipBytes, 0) / 1024).toFixed(1)} kB gzipped`);

    // (b) cold first views
    const firstView: number[] = [];
    const firstViewApi: number[] = [];
    for (let i = 0; i < (options.firstViews ?? 7); i++) {
      const { context, page } = await newPage();
      await page.goto(`${origin}${regionPath}`, { waitUntil: 'commit' });
      const shown = Number(await (await shownIn(page, null)).jsonValue());
      firstView.push(shown);
      // the page's requests to the API that had answered by then, from its resource timing
      const api = await page.evaluate(
        (until) =>
          ((globalThis as any).performance.getEntriesByType('resource') as { name: string; startTime: number; responseEnd: number }[])
            .filter((entry) => new URL(entry.name).pathname === '/graphql' && entry.responseEnd <= until)
            .reduce((sum, entry) => sum + (entry.responseEnd - entry.startTime), 0),
        shown,
      );
      firstViewApi.push(api);
      await context.close();
    }
    log(`dashboard first view of ${regionPath}: p50 ${quantile(firstView, 0.5).toFixed(0)} ms`);

    // (c) drill-down steps in one page, as a user clicks: province → city → county, back, back
    const { context, page } = await newPage();
    await page.goto(`${origin}${regionPath}`);
    await shownIn(page, null);
    const provinceName = (await page.locator('[data-test="region-name"]').textContent())!.trim();
    const steps: DashboardPageResult['steps'] = [];
    /** Runs `act` in the page and times it until `name` is shown with its KPIs. */
    const step = async (from: string, to: string, act: () => Promise<void>) => {
      const started = Number(await page.evaluate(() => performance.now()));
      await act();
      const ended = Number(await (await shownIn(page, to)).jsonValue());
      steps.push({ from, to, ms: ended - started });
    };
    /** Clicks the index-th child link in the page itself, so no round trip is timed. */
    const clickChild = (index: number) =>
      page.evaluate((i) => {
        const links = (globalThis as any).document.querySelectorAll('[data-test="child-region"]');
        links[i % links.length].click();
      }, index);
    /** The index-th child's name, once the child links are shown (they may come after the KPIs). */
    const childName = async (index: number) => {
      const links = page.locator('[data-test="child-region"]');
      await links
        .first()
        .waitFor({ timeout: 60_000 })
        .catch(() => {
          throw new Error(`DASHBOARD_NO_CHILDREN: ${page.url()} shows no [data-test="child-region"] link within 60 s`);
        });
      const count = await links.count();
      return (await links.nth(index % count).getAttribute('data-name'))?.trim() ?? (await links.nth(index % count).innerText()).trim().split('\n')[0]!.trim();
    };
    for (let round = 0; round < (options.rounds ?? 5); round++) {
      const city = await childName(round);
      await step(provinceName, city, () => clickChild(round));
      const county = await childName(0);
      await step(city, county, () => clickChild(0));
      await step(county, city, () => page.evaluate(() => (globalThis as any).history.back()));
      await step(city, provinceName, () => page.evaluate(() => (globalThis as any).history.back()));
    }
    await context.close();
    log(`dashboard drill-down: ${steps.length} steps, p50 ${quantile(steps.map((s) => s.ms), 0.5).toFixed(0)} ms`);
    if (problems.length) throw new Error(`DASHBOARD_PAGE_ERROR: ${problems[0]}`);
    return { chromium: browser.version(), province, scripts, firstView, firstViewApi, loadAverage: loadavg()[0]!, steps };
  } finally {
    await browser.close();
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const MARK_START = '<!-- dashboard-page -->';
const MARK_END = '<!-- /dashboard-page -->';

/** The RESULTS.md section, between markers so that `npm run bench -- dashboard` can replace it alone. */
export function dashboardPageSection(result: DashboardPageResult | { unavailable: string }, context: { dataset: string; measuredAt: Date }): string[] {
  const head = [MARK_START, '## 7. The dashboard in Chromium', ''];
  if ('unavailable' in result) return [...head, `Not measured: ${result.unavailable}.`, '', MARK_END];
  const totals = result.scripts.map((s) => ({ route: s.route, gzip: s.files.reduce((sum, f) => sum + f.gzipBytes, 0), raw: s.files.reduce((sum, f) => sum + f.bytes, 0), count: s.files.length }));
  const heaviest = Math.max(...totals.map((t) => t.gzip));
  // a visitor who opens / and then a province loads each file once
  const union = new Map(result.scripts.flatMap((s) => s.files.map((f) => [f.url, f] as const)));
  const unionGzip = [...union.values()].reduce((sum, f) => sum + f.gzipBytes, 0);
  const firstP50 = quantile(result.firstView, 0.5);
  const stepTimes = result.steps.map((s) => s.ms);
  const stepP50 = quantile(stepTimes, 0.5);
  const down = result.steps.filter((_, i) => i % 4 < 2).map((s) => s.ms);
  const back = result.steps.filter((_, i) => i % 4 >= 2).map((s) => s.ms);
  const scriptRows = result.scripts.flatMap((s) =>
    [...s.files].sort((a, b) => b.gzipBytes - a.gzipBytes).map((f) => `| ${s.route} | ${f.url} | ${kb(f.bytes)} | ${kb(f.gzipBytes)} |`),
  );
  return [
    ...head,
    `Measured ${context.measuredAt.toISOString()} with Chromium ${result.chromium} (headless, 1366×768, playwright-core) against the`,
    `gateway of this run serving dashboard/dist, on ${context.dataset}. Province ${result.province}. bench/dashboardPage.ts.`,
    `Load average (1 min) at the end of the measurement: ${result.loadAverage.toFixed(2)} on ${cpus().length} cores.`,
    '',
    `| measure | value | goal | met |`,
    `|---|---|---|---|`,
    ...totals.map(
      (t) => `| initial JavaScript of \`${t.route}\`, gzip -9 (${t.count} files, ${kb(t.raw)} uncompressed) | ${kb(t.gzip)} | ≤ ${DASHBOARD_GOALS.initialJsGzipKb} kB | ${t.gzip <= DASHBOARD_GOALS.initialJsGzipKb * 1024 ? 'yes' : 'no'} |`,
    ),
    `| both together (${union.size} distinct files) | ${kb(unionGzip)} | — | — |`,
    `| first view of /region/${result.province}, cold cache, navigation to KPIs shown (p50 of ${result.firstView.length}; max ${quantile(result.firstView, 1).toFixed(0)} ms; of which waiting for /graphql p50 ${quantile(result.firstViewApi, 0.5).toFixed(0)} ms) | ${firstP50.toFixed(0)} ms | ≤ ${DASHBOARD_GOALS.firstViewMs} ms | ${firstP50 <= DASHBOARD_GOALS.firstViewMs ? 'yes' : 'no'} |`,
    `| drill-down step, click or back to the next region's KPIs (p50 of ${stepTimes.length}; p95 ${quantile(stepTimes, 0.95).toFixed(0)} ms; down p50 ${quantile(down, 0.5).toFixed(0)} ms, back p50 ${quantile(back, 0.5).toFixed(0)} ms) | ${stepP50.toFixed(0)} ms | ≤ ${DASHBOARD_GOALS.drillStepP50Ms} ms | ${stepP50 <= DASHBOARD_GOALS.drillStepP50Ms ? 'yes' : 'no'} |`,
    '',
    `Heaviest first view: ${kb(heaviest)} of JavaScript, gzipped. The scripts:`,
    '',
    `| route | file | size | gzip -9 |`,
    `|---|---|---|---|`,
    ...scriptRows,
    '',
    MARK_END,
  ];
}

/** Puts the section into an existing RESULTS.md: in place of the previous one, else before the notes. */
export function writeDashboardPageSection(file: string, section: string[]): void {
  writeSection(file, { start: MARK_START, end: MARK_END }, section.join('\n'));
}
