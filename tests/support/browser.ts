// The dashboard in a real headless Chromium (Debian's /usr/bin/chromium through playwright-core),
// served by a test hub with the sample data. Every page a test opens is watched: a request to
// any origin but the hub's is refused and fails the test (the dashboard must load nothing from
// the internet: offices run it on intranets), and so does any console error or uncaught error
// in the page, unless the test said it expects that one (a refused token's HTTP 401).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from './cli.ts';
import { startTestHub, type TestHub } from './hub.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const SKIPPED = `skipped: ${CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk; .ci/run does it)`;

/** The tests' screenshots, kept after the run for a person to look at (git-ignored). */
export const ARTIFACTS = join(projectRoot, 'test-artifacts');

/** The screen of an office's laptop. */
export const VIEWPORT = { width: 1366, height: 768 };

/** Chromium in a container: no user namespaces for its sandbox, a small /dev/shm. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'];

/**
 * describe() for a file of dashboard tests; every test in it skipped, with the reason in its
 * name and on stderr, only when Chromium is not installed.
 */
export function describeInChromium(name: string, body: () => void): void {
  if (!hasChromium) process.stderr.write(`${name}: ${SKIPPED}\n`);
  describe.skipIf(!hasChromium)(hasChromium ? name : `${name} (${SKIPPED})`, body);
}

/**
 * dashboard/dist as `npm test`'s pretest leaves it, for a lone `npx vitest run`. Two test files
 * may ask at once: a lock directory makes the second wait for the first's build.
 */
function buildDashboardIfStale(): void {
  const lock = join(tmpdir(), `gongkai-dashboard-build-${Buffer.from(projectRoot).toString('hex').slice(-24)}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a lock older than a build can take is a crashed run's
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmdirSync(lock);
      else if (Date.now() > deadline) throw new Error(`DASHBOARD_BUILD_LOCKED: ${lock} held for 3 minutes; remove it if no build is running`);
      else execFileSync('sleep', ['0.5']);
    }
  }
  try {
    execFileSync(process.execPath, ['scripts/build-dashboard.mjs', '--if-stale'], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  } finally {
    rmdirSync(lock);
  }
}

export interface WatchedPage extends Page {
  /** A console error matching this is expected (e.g. the HTTP 401 of a refused token): not a failure. */
  allowConsoleError(pattern: RegExp): void;
}

export interface DashboardHub {
  hub: TestHub;
  /** The gateway's origin (http://localhost:<port>): the dashboard at /, the API at /graphql. */
  origin: string;
  browser: Browser;
  /** A new browser context (no session shared with other pages) and page at 1366×768, watched. */
  newPage(): Promise<WatchedPage>;
}

/**
 * In a describe(): builds the dashboard if stale, starts a hub with the sample data and Chromium
 * before the tests, and after each test fails it for any foreign request, console error or page
 * error on a page it opened. The returned object is filled in by beforeAll.
 */
export function useDashboardHub(): DashboardHub {
  const shared = {} as DashboardHub;
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    buildDashboardIfStale();
    const [hub, browser] = await Promise.all([
      startTestHub({ sampleData: true }),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
    ]);
    shared.hub = hub;
    shared.browser = browser;
    shared.origin = new URL(hub.gatewayUrl).origin;
  }, 240_000);

  afterAll(async () => {
    await shared.browser?.close();
  });

  shared.newPage = async () => {
    const context = await shared.browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    contexts.push(context);
    const origin = shared.origin;
    // Anything for another origin never leaves the machine: refused here, and a failure.
    await context.route(
      (url) => url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:',
      (route) => {
        problems.push(`request to another origin than the hub's: ${route.request().method()} ${route.request().url()}`);
        return route.abort('blockedbyclient');
      },
    );
    const page = (await context.newPage()) as WatchedPage;
    const allowed: RegExp[] = [];
    page.allowConsoleError = (pattern) => void allowed.push(pattern);
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = `${message.text()} (${message.location().url})`;
      if (!allowed.some((pattern) => pattern.test(text))) problems.push(`console error on ${page.url()}: ${text}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught error on ${page.url()}: ${error.message}`));
    return page;
  };

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    const found = problems.splice(0);
    if (found.length) throw new Error(`the page misbehaved:\n${found.join('\n')}`);
  });

  return shared;
}

/** A full-page PNG in test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** `[data-test="name"]`, the dashboard's marks for tests. */
export const testId = (name: string, extra = ''): string => `[data-test="${name}"]${extra}`;

/** Element Plus puts the attribute on the textarea itself. */
const TOKEN_INPUT = `textarea${testId('token-input')}, ${testId('token-input')} textarea`;

/** Pastes a token into the header's sign-in dialog and submits it. */
export async function submitToken(page: Page, jwt: string): Promise<void> {
  if (!(await page.locator(TOKEN_INPUT).isVisible())) await page.locator(testId('sign-in')).click();
  await page.locator(TOKEN_INPUT).fill(jwt);
  await page.locator(testId('token-submit')).click();
}

/**
 * Signs in with a token the hub accepts: the dialog checks it with the API, then reloads the
 * page. Waits for that reload: navigating before it would abort the check (and so sign out).
 */
export async function signIn(page: Page, jwt: string): Promise<void> {
  const reloaded = page.waitForEvent('load');
  await submitToken(page, jwt);
  await reloaded;
  await page.locator(testId('signed-in-as')).waitFor();
}

/** The number an element shows, as the API gave it (data-value; "" is null). */
export async function dataValue(page: Page, selector: string): Promise<number | null> {
  const raw = await page.locator(selector).getAttribute('data-value');
  if (raw === null) throw new Error(`${selector} has no data-value`);
  return raw === '' ? null : Number(raw);
}
