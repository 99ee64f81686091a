// Agencies that `gongkai ingest` registers are PENDING_REVIEW: their reports are stored but left
// out of every rollup, and they are not expected filers, until an editor of their region
// confirms them. The reports subgraph learns the status from the directory read model.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, token } from '../support/auth.ts';
import { runCli } from '../support/cli.ts';
import { firstRow } from '../support/database.ts';
import { fixturesDir } from '../support/goldReports.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { createAgency, figureList, submit } from '../support/reports.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});

const CONFIRM = 'mutation ($id: ID!) { confirmAgency(id: $id) { id name reviewStatus } }';
const ROLLUP = 'agencies filed missing late flagged totals { applicationsReceived }';

/** What the rollups of 洪泽区, 淮安市 and 江苏省 say for a year, with the rankings that use them. */
async function rollups(year: number) {
  const { data, errors } = await hub.query(
    `query ($year: Int!) {
       county: region(code: "320813") { disclosure(year: $year) { ${ROLLUP} } reportedHotlines(year: $year) { line calls } }
       city: region(code: "320800") { disclosure(year: $year) { ${ROLLUP} } }
       province: region(code: "320000") { disclosure(year: $year) { ${ROLLUP} } }
       counties: ranking(regionCode: "320800", year: $year, metric: APPLICATIONS_RECEIVED, first: 1) { value region { code } }
       agencies: ranking(regionCode: "320800", year: $year, metric: APPLICATIONS_RECEIVED, level: COUNTY) { value agency { id } }
     }`,
    { year },
  );
  expect(errors).toBeUndefined();
  return data;
}

const EMPTY = { agencies: 0, filed: 0, missing: 0, late: 0, flagged: 0, totals: { applicationsReceived: 0 } };

describe('agencies registered by ingestion', () => {
  let agencyId: string;

  it('are PENDING_REVIEW, shown as such, and their reports stored but not counted', { timeout: 120_000 }, async () => {
    const run = runCli(['ingest', join(fixturesDir, 'huaian-hongzequ-2024.txt')], { DATABASE_URL: hub.databaseUrl });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/registered 淮安市洪泽区人民政府 \(320813, id \d+\): PENDING_REVIEW until an editor confirms it/);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('documents 1 (unreadable 0); reports new 1, updated 0, unchanged 0, failed 0');

    const row = await firstRow(hub.databaseUrl, `select id::text, review_status from directory.agency where name = '淮安市洪泽区人民政府'`);
    expect(row.review_status).toBe('PENDING_REVIEW');
    agencyId = row.id;

    const { data } = await hub.query(
      `query ($id: ID!) {
         agency(id: $id) { name reviewStatus reports { year figure(key: "applications.received") { value } } }
         pending: agencies(regionCode: "320800", includeSubtree: true, reviewStatus: PENDING_REVIEW) { nodes { id } totalCount }
         confirmed: agencies(regionCode: "320800", includeSubtree: true, reviewStatus: CONFIRMED) { totalCount }
       }`,
      { id: agencyId },
    );
    // stored and queryable: the report is the agency's
    expect(data.agency).toEqual({ name: '淮安市洪泽区人民政府', reviewStatus: 'PENDING_REVIEW', reports: [{ year: 2024, figure: { value: 95 } }] });
    expect(data.pending).toEqual({ nodes: [{ id: agencyId }], totalCount: 1 });
    expect(data.confirmed.totalCount).toBe(0);

    // but counted nowhere: not filed, not an expected filer (so not missing), not ranked
    const pending = await rollups(2024);
    expect(pending.county.disclosure).toEqual(EMPTY);
    expect(pending.city.disclosure).toEqual(EMPTY);
    expect(pending.province.disclosure).toEqual(EMPTY);
    expect(pending.counties[0].value).toBe(0);
    expect(pending.agencies).toEqual([]);
    // and no MISSING_REPORT for it in a year it did not file
    const flags = await hub.query('{ flags(regionCode: "320813", year: 2023, code: "MISSING_REPORT") { totalCount } }', {}, ADMIN);
    expect(flags.data.flags.totalCount).toBe(0);

    // a report submitted for it is stored too, and left out of reportedHotlines as well
    const submitted = await submit(hub, { agencyId, year: 2021, figures: figureList({ 'applications.received': 4, 'hotline.12345.calls': 300 }) });
    expect(submitted.data.submitAnnualReport.outcome).toBe('CREATED');
    const pending2021 = await rollups(2021);
    expect(pending2021.county.disclosure.filed).toBe(0);
    expect(pending2021.county.reportedHotlines).toEqual([]);
  });

  it('are confirmed by an editor of their region only', async () => {
    const asPublic = await hub.query(CONFIRM, { id: agencyId });
    expect(asPublic.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const analyst = await token({ sub: 'analyst-huaian', region: '320800', roles: ['analyst'] });
    expect((await hub.query(CONFIRM, { id: agencyId }, analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherEditor = await token({ sub: 'editor-suqian', region: '321300', roles: ['editor'] });
    expect((await hub.query(CONFIRM, { id: agencyId }, otherEditor)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unknown = await hub.query(CONFIRM, { id: '999999' }, ADMIN);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('AGENCY_NOT_FOUND');
    // nothing changed by the refusals
    expect((await firstRow(hub.databaseUrl, `select review_status from directory.agency where id = ${agencyId}`)).review_status).toBe('PENDING_REVIEW');

    const editor = await token({ sub: 'editor-huaian', region: '320800', roles: ['editor'] });
    const confirmed = await hub.query(CONFIRM, { id: agencyId }, editor);
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data.confirmAgency).toEqual({ id: agencyId, name: '淮安市洪泽区人民政府', reviewStatus: 'CONFIRMED' });
    // again: nothing to change
    expect((await hub.query(CONFIRM, { id: agencyId }, editor)).data.confirmAgency.reviewStatus).toBe('CONFIRMED');
  });

  it('count once confirmed: filed, expected, ranked, summed', async () => {
    const counted = { agencies: 1, filed: 1, missing: 0, late: 0, flagged: expect.any(Number), totals: { applicationsReceived: 95 } };
    const now = await rollups(2024);
    expect(now.county.disclosure).toEqual(counted);
    expect(now.city.disclosure).toEqual(counted);
    expect(now.province.disclosure).toEqual(counted);
    expect(now.counties[0]).toEqual({ value: 95, region: { code: '320813' } });
    expect(now.agencies).toEqual([{ value: 95, agency: { id: agencyId } }]);
    const in2021 = await rollups(2021);
    expect(in2021.county.disclosure).toMatchObject({ agencies: 1, filed: 1, totals: { applicationsReceived: 4 } });
    expect(in2021.county.reportedHotlines).toEqual([{ line: '12345', calls: 300 }]);
    // an expected filer now: missing where it did not file
    const flags = await hub.query('{ flags(regionCode: "320813", year: 2023, code: "MISSING_REPORT") { nodes { agency { id } } } }', {}, ADMIN);
    expect(flags.data.flags.nodes).toEqual([{ agency: { id: agencyId } }]);
  });

  it('leave agencies created through the API confirmed, and ingesting the document again changes nothing', async () => {
    const id = await createAgency(hub, '淮安市洪泽区审核测试局', '320813');
    expect((await hub.query('query ($id: ID!) { agency(id: $id) { reviewStatus } }', { id })).data.agency.reviewStatus).toBe('CONFIRMED');
    const again = runCli(['ingest', join(fixturesDir, 'huaian-hongzequ-2024.txt')], { DATABASE_URL: hub.databaseUrl });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('registered');
    expect(again.stdout.trim().split('\n').at(-1)).toBe('documents 1 (unreadable 0); reports new 0, updated 0, unchanged 1, failed 0');
  });

  it('reads the review status of many agencies without another statement', async () => {
    const plain = await hub.countedQuery('{ agencies(regionCode: "320000", includeSubtree: true, first: 50) { nodes { name } } }');
    const withStatus = await hub.countedQuery('{ agencies(regionCode: "320000", includeSubtree: true, first: 50) { nodes { name reviewStatus } } }');
    expect(withStatus.response.data.agencies.nodes.length).toBeGreaterThan(1);
    expect(withStatus.statements).toBe(plain.statements);
  });
});
