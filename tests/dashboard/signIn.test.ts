// Signing in to the dashboard in Chromium: a token is what the API says it is. Another
// province's analyst sees the API's FORBIDDEN message instead of 湖南's flags, a token the hub
// did not sign is refused with the API's reason, and an anonymous visitor gets no flag list.
import { expect, it } from 'vitest';
import { describeInChromium, screenshot, signIn, submitToken, testId, useDashboardHub } from '../support/browser.ts';
import { token } from '../support/auth.ts';

const HUNAN = '430000';
const FLAGS_OF_HUNAN = `/region/${HUNAN}/flags`;
/** What the flag list asks; the refusal does not depend on the year or the page. */
const FLAG_QUERY = `query ($code: ID!) { flags(regionCode: $code, year: 2024, first: 1) { totalCount } }`;

describeInChromium('signing in to the dashboard', () => {
  const dashboard = useDashboardHub();

  it("shows another province's analyst the API's FORBIDDEN message for 湖南's flags, and no flag", async () => {
    const jiangsuAnalyst = await token({ sub: 'js-analyst', region: '320000', roles: ['analyst'] });
    const api = await dashboard.hub.query(FLAG_QUERY, { code: HUNAN }, jiangsuAnalyst);
    const refusal = api.errors?.find((error) => error.path?.[0] === 'flags');
    expect(refusal?.extensions?.code).toBe('FORBIDDEN');

    const page = await dashboard.newPage();
    await page.goto(`${dashboard.origin}/`);
    await signIn(page, jiangsuAnalyst);
    expect(await page.locator(testId('signed-in-as')).textContent()).toContain('js-analyst');
    expect(await page.locator(testId('signed-in-as')).textContent()).toContain('320000');

    await page.goto(`${dashboard.origin}${FLAGS_OF_HUNAN}`);
    await page.locator(testId('denial')).first().waitFor();
    expect(await page.locator(testId('denial')).allTextContents()).toContainEqual(expect.stringContaining(refusal!.message));
    expect(await page.locator(testId('flag-row')).count()).toBe(0);
    expect(await page.locator(testId('flag-count')).count()).toBe(0);
    // still signed in: the refusal is about the region, not the token
    expect(await page.locator(testId('signed-in-as')).textContent()).toContain('js-analyst');
    await screenshot(page, 'sign-in-forbidden');
  });

  it('refuses what is no token, and a token the hub did not sign with the API’s reason', async () => {
    const page = await dashboard.newPage();
    await page.goto(`${dashboard.origin}/`);

    await submitToken(page, 'not a token at all');
    const refusal = page.locator(testId('sign-in-refusal'));
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('这不是令牌');

    // well-formed, but signed with another key: the gateway answers HTTP 401 with its reason
    const forged = await token({ sub: 'forger', region: HUNAN, roles: ['analyst'] }, { secret: new TextEncoder().encode('another-secret-that-is-32-bytes-long!!') });
    const api = await fetch(`${dashboard.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` },
      body: JSON.stringify({ query: '{ sectors { code } }' }),
    });
    expect(api.status).toBe(401);
    const { errors } = (await api.json()) as { errors: { message: string; extensions: { code: string } }[] };
    page.allowConsoleError(/status of 401/);
    await submitToken(page, forged);
    await expect.poll(() => refusal.textContent(), { timeout: 30_000 }).toContain(errors[0]!.message);
    expect(await refusal.textContent()).toContain(errors[0]!.extensions.code);
    expect(await page.locator(testId('signed-in-as')).count()).toBe(0);
    await screenshot(page, 'sign-in-refused');

    // nothing was kept: a reload is still anonymous
    await page.reload();
    await page.locator(testId('sign-in')).waitFor();
    expect(await page.locator(testId('signed-in-as')).count()).toBe(0);
  });

  it('shows an anonymous visitor the API’s UNAUTHENTICATED message instead of a flag list', async () => {
    const api = await dashboard.hub.query(FLAG_QUERY, { code: HUNAN });
    const refusal = api.errors?.find((error) => error.path?.[0] === 'flags');
    expect(refusal?.extensions?.code).toBe('UNAUTHENTICATED');

    const page = await dashboard.newPage();
    await page.goto(`${dashboard.origin}${FLAGS_OF_HUNAN}`);
    await page.locator(testId('denial')).first().waitFor();
    expect(await page.locator(testId('denial')).allTextContents()).toContainEqual(expect.stringContaining(refusal!.message));
    for (const control of ['flag-row', 'flag-count', 'flag-total', 'code-select', 'severity-select', 'page-size', 'export-csv', 'export-xlsx']) {
      expect(await page.locator(testId(control)).count(), control).toBe(0);
    }
    await screenshot(page, 'flags-anonymous');
  });
});
