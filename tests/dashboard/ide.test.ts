// The GraphQL IDE a browser gets at /graphql (dashboard/ide.html, GraphiQL): it loads nothing
// but the hub's own files (the offices are on intranets), its docs panel shows the schema's
// descriptions, the example queries are its tabs and run, and the dashboard's token of the tab
// becomes the Authorization header. The hub refuses introspection by default, so the docs come
// from the API schema built into the page, which must be exactly what introspection would give.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { Response } from 'playwright-core';
import { apiSchemaFromSupergraph } from '../../dashboard/src/ide/apiSchema.ts';
import { startGateway } from '../../gateway/server.ts';
import type { RunningHttpServer } from '../../lib/graphql/httpServer.ts';
import { describeInChromium, screenshot, testId, useDashboardHub, VIEWPORT, type WatchedPage } from '../support/browser.ts';
import { startTestHub, postGraphQL, type TestHub } from '../support/hub.ts';
import { token } from '../support/auth.ts';
import { projectRoot } from '../support/cli.ts';

const EXAMPLES = join(projectRoot, 'examples', 'queries');
const SUPERGRAPH = readFileSync(join(projectRoot, 'schema', 'supergraph.graphql'), 'utf8');
const printed = (schema: GraphQLSchema) => printSchema(lexicographicSortSchema(schema));
/** The browser logs the hub's HTTP 400 refusal of the IDE's introspection request as an error. */
const REFUSED_INTROSPECTION = /status of 400 .*\/graphql\)$/;

/** Monaco shows spaces as no-break spaces. */
const monacoText = (text: string) => text.replace(/\u00a0/g, ' ');

/** A gateway like the test hub's, over its subgraphs, that answers introspection (GONGKAI_INTROSPECTION=1). */
async function introspectingGateway(hub: TestHub): Promise<RunningHttpServer> {
  const options = hub.gatewayOptions;
  return startGateway({ ...options, port: 0, limits: { ...options.limits, introspection: true } });
}

describe('the API schema built into the IDE', () => {
  let hub: TestHub;
  let gateway: RunningHttpServer;
  beforeAll(async () => {
    hub = await startTestHub();
    gateway = await introspectingGateway(hub);
  });
  afterAll(async () => gateway?.close());

  it('is what the gateway answers to introspection when it allows it: no federation machinery, nothing @inaccessible, every description', async () => {
    const answer = await postGraphQL<any>(gateway.url, getIntrospectionQuery({ descriptions: true }));
    expect(answer.errors).toBeUndefined();
    const builtIn = apiSchemaFromSupergraph(SUPERGRAPH);
    expect(printed(builtIn)).toBe(printed(buildClientSchema(answer.data)));
    expect(printed(builtIn)).not.toMatch(/join__|link__|@link|@inaccessible|_listSizes/);
    expect(builtIn.getQueryType()!.getFields().region!.description).toMatch(/GB\/T 2260/);
  });
});

describeInChromium('the GraphQL IDE at /graphql', () => {
  const dashboard = useDashboardHub();
  const exampleFiles = readdirSync(EXAMPLES).filter((file) => file.endsWith('.graphql')).sort();
  const regionDescription = apiSchemaFromSupergraph(SUPERGRAPH).getQueryType()!.getFields().region!.description!;

  const queryEditorText = async (page: WatchedPage) => monacoText(await page.locator('.graphiql-query-editor .view-lines').innerText());
  /** The IDE, once Monaco shows the open tab's query (it loads after the page). */
  const openIde = async (page: WatchedPage, origin = dashboard.origin) => {
    page.allowConsoleError(REFUSED_INTROSPECTION);
    await page.goto(`${origin}/graphql`);
    await expect.poll(() => queryEditorText(page), { timeout: 20_000 }).toMatch(/^query \w+/m);
  };
  /** Opens the tab of an example; clicked again while the editor has not switched (a click as GraphiQL settles may be lost). */
  const openTab = async (page: WatchedPage, operation: string) => {
    const button = page.locator('.graphiql-tab', { hasText: operation }).locator('.graphiql-tab-button');
    await expect
      .poll(
        async () => {
          const text = await queryEditorText(page);
          if (!text.includes(`query ${operation}`)) await button.click();
          return text;
        },
        { timeout: 20_000 },
      )
      .toContain(`query ${operation}`);
  };
  const execute = async (page: WatchedPage): Promise<Response> => {
    const answered = page.waitForResponse((response) => response.url().endsWith('/graphql') && response.request().method() === 'POST');
    await page.locator('.graphiql-execute-button').click();
    return answered;
  };
  /** What the response pane shows (Monaco renders the visible lines as text). */
  const shownResponse = async (page: WatchedPage) => monacoText(await page.locator('.graphiql-response .view-lines').innerText());

  it('shows the built-in schema, says so, and its docs panel gives a field’s description', async () => {
    const page = await dashboard.newPage();
    await openIde(page);
    const note = page.locator(testId('schema-source'));
    expect(await note.getAttribute('data-origin')).toBe('built-in');
    expect(await note.textContent()).toContain('INTROSPECTION_DISABLED');

    // Docs (open on arrival) → Query → region: the field's description from the schema
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByRole('link', { name: 'Query', exact: true }).click();
    await docs.locator('a.graphiql-doc-explorer-field-name', { hasText: /^region$/ }).click();
    await expect.poll(() => docs.locator('.graphiql-doc-explorer-title').textContent()).toBe('region');
    const firstSentence = regionDescription.split(';')[0]!;
    expect(await docs.locator('.graphiql-markdown-description').first().textContent()).toContain(firstSentence);
  });

  it('has the example queries as tabs and runs the first one: data, no error', async () => {
    const page = await dashboard.newPage();
    await openIde(page);
    // one tab per file, titled with its operation's name, the first one open
    const names = exampleFiles.map((file) => /^query (\w+)/m.exec(readFileSync(join(EXAMPLES, file), 'utf8'))![1]!);
    expect(await page.locator('.graphiql-tab .graphiql-tab-button').allTextContents()).toEqual(names);
    expect(await page.locator('.graphiql-tab-active .graphiql-tab-button').textContent()).toBe(names[0]);
    await openTab(page, names[0]!);

    const response = await execute(page);
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.region.name).toBe('湖南省');
    await expect.poll(() => shownResponse(page)).toContain('"data"');
    expect(await shownResponse(page)).toContain('湖南省');
    await screenshot(page, 'ide');
  });

  it('keeps a user’s tabs from one visit to the next, and opens with the examples again after a build with other ones', async () => {
    const page = await dashboard.newPage();
    await openIde(page);
    const tabs = page.locator('.graphiql-tab .graphiql-tab-button');
    await expect.poll(() => tabs.count()).toBe(exampleFiles.length);
    // the close button shows on the open tab
    await openTab(page, 'HotlineByMonth');
    await page.locator('.graphiql-tab', { hasText: 'HotlineByMonth' }).locator('.graphiql-tab-close').click();
    await expect.poll(() => tabs.count()).toBe(exampleFiles.length - 1);
    // GraphiQL writes its tabs to localStorage a moment later
    await expect.poll(() => page.evaluate(() => localStorage.getItem('graphiql:tabState') ?? '')).not.toContain('HotlineByMonth');
    await page.reload();
    await expect.poll(() => queryEditorText(page), { timeout: 20_000 }).toMatch(/^query \w+/m);
    expect(await tabs.allTextContents()).not.toContain('HotlineByMonth');
    // as if the tabs had been kept by a build with other examples
    await page.evaluate((key) => localStorage.setItem(key, 'an older build'), 'gongkai.ide.examples');
    await page.reload();
    await expect.poll(() => queryEditorText(page), { timeout: 20_000 }).toMatch(/^query \w+/m);
    await expect.poll(() => tabs.count()).toBe(exampleFiles.length);
    expect(await tabs.allTextContents()).toContain('HotlineByMonth');
  });

  it("sends the dashboard's token of this tab as the Authorization header: an analyst's flags query answers", async () => {
    const analyst = await token({ sub: 'ide-analyst', region: '430000', roles: ['analyst'] });
    const page = await dashboard.newPage();
    await page.context().addInitScript((jwt) => sessionStorage.setItem('gongkai.token', jwt), analyst);
    await openIde(page);
    // again after a reload: the tabs then come from GraphiQL's storage, the header still from the session
    for (const visit of ['first', 'again']) {
      if (visit === 'again') {
        await page.reload();
        await expect.poll(() => queryEditorText(page), { timeout: 20_000 }).toMatch(/^query \w+/m);
      }
      await openTab(page, 'RegionFlags');
      const response = await execute(page);
      expect(response.request().headers().authorization, visit).toBe(`Bearer ${analyst}`);
      const body = await response.json();
      expect(body.errors, visit).toBeUndefined();
      expect(body.data.flags.totalCount, visit).toBeGreaterThan(0);
    }
  });

  it('shows the introspected schema, and says so, when the hub allows introspection', async () => {
    const gateway = await introspectingGateway(dashboard.hub);
    try {
      const origin = new URL(gateway.url).origin;
      const context = await dashboard.browser.newContext({ viewport: VIEWPORT });
      const foreign: string[] = [];
      await context.route(
        (url) => url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:',
        (route) => (foreign.push(route.request().url()), route.abort('blockedbyclient')),
      );
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
      page.on('pageerror', (error) => void errors.push(error.message));
      await page.goto(`${origin}/graphql`);
      const note = page.locator(testId('schema-source'));
      await note.waitFor();
      expect(await note.getAttribute('data-origin')).toBe('introspection');
      await page.locator('.graphiql-doc-explorer').getByRole('link', { name: 'Query', exact: true }).waitFor();
      await context.close();
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});
