// `gongkai sample remove` on a hub that runs, loaded with the sample and holding official data
// beside it: an agency created through the API with its report, the real 淮安 2024 report (filed
// under the sample agency 淮安市人民政府), and imported tickets (one dispatched to a sample
// agency). The sample goes from every subgraph, the official data stays with the same numbers,
// a second run has nothing to do, and a start with sample data on does not bring it back.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/auth.ts';
import { runCli } from '../support/cli.ts';
import { firstRow } from '../support/database.ts';
import { fixturesDir } from '../support/goldReports.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { createAgency, figureList, submit } from '../support/reports.ts';
import { tempDir, useTestKey } from '../hotline/support.ts';
import { startSubgraph } from '../../lib/runtime/subgraph.ts';
import { SUBGRAPH_MODULES } from '../../subgraphs/modules.ts';
import { registeredAgencyResolver } from '../../subgraphs/reports/ingestion/directoryAgency.ts';
import { ingestDocument } from '../../subgraphs/reports/ingestion/ingestDocument.ts';
import { closeExtractionWorkers } from '../../subgraphs/reports/extraction/worker/pool.ts';

let hub: TestHub;
let officialAgency: string;
let officialReport: string;
let realReport: number;
let before: { official: unknown; real: unknown; hotline: unknown };

const count = async (table: string, where = `data_origin = 'SAMPLE'`): Promise<number> =>
  (await firstRow<{ n: number }>(hub.databaseUrl, `select count(*)::int as n from ${table} where ${where}`)).n;
const sampleRows = async () => ({
  agencies: await count('agencies.agency'),
  reports: await count('reports.annual_report'),
  tickets: await count('hotline.ticket'),
});
const removeSample = (...args: string[]) => runCli(['sample', 'remove', ...args], { DATABASE_URL: hub.databaseUrl });

const OFFICIAL = `query ($agency: ID!, $report: ID!, $real: ID!) {
  agency(id: $agency) { name report(year: 2024) { id dataOrigin figures { key value } flags { code } } hotline(year: 2024) { received } }
  annualReport(id: $report) { id version dataOrigin figures { key value } }
  real: annualReport(id: $real) { id agencyName dataOrigin figures { key value } flags { code } }
}`;
const official = async () => {
  const { data, errors } = await hub.query(OFFICIAL, { agency: officialAgency, report: officialReport, real: String(realReport) }, ADMIN);
  expect(errors).toBeUndefined();
  return data;
};

beforeAll(async () => {
  useTestKey();
  hub = await startTestHub({ sampleData: true });
  officialAgency = await createAgency(hub, '淮安市公开测试局', '320800');
  const submitted = await submit(hub, {
    agencyId: officialAgency,
    year: 2024,
    figures: figureList({ 'applications.received': 40, 'applications.carriedOver': 2, 'proactive.total': 300 }),
  });
  officialReport = submitted.data.submitAnnualReport.report.id;
  const em = hub.subgraphs.reports.orm.em.fork();
  const ingested = await ingestDocument(em, {
    fileName: 'huaian-shi-2024.txt',
    bytes: readFileSync(`${fixturesDir}huaian-shi-2024.txt`),
    resolveAgency: registeredAgencyResolver(em),
  });
  realReport = ingested.reports[0]!.reportId!;
  const hongze = await firstRow<{ id: number }>(
    hub.databaseUrl,
    `select id from agencies.agency where name = '淮安市洪泽区人民政府' and data_origin = 'SAMPLE'`,
  );
  const tickets = join(tempDir(), 'official.jsonl');
  writeFileSync(
    tickets,
    [
      { platformId: 'OFF-1', line: '12345', regionCode: '320800', agencyId: officialAgency, receivedAt: '2024-05-06 09:30' },
      { platformId: 'OFF-2', line: '12345', regionCode: '320813', agencyId: String(hongze.id), receivedAt: '2024-07-01 15:00' },
    ]
      .map((row) => JSON.stringify(row))
      .join('\n'),
  );
  const imported = runCli(['hotline', 'import', tickets], { DATABASE_URL: hub.databaseUrl });
  expect(imported.status, imported.stdout + imported.stderr).toBe(0);
  before = await official();
}, 300_000);

afterAll(() => closeExtractionWorkers());

describe('gongkai sample remove', () => {
  it('removes the sample from every subgraph while the hub runs, and keeps the official data as it was', { timeout: 120_000 }, async () => {
    const loaded = await sampleRows();
    expect(loaded.agencies).toBeGreaterThan(100);
    expect(loaded.reports).toBeGreaterThan(100);
    expect(loaded.tickets).toBeGreaterThan(1000);

    const result = removeSample('--json');
    expect(result.status, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ ok: true, removedAnything: true });
    expect(summary.reports.reports).toBe(loaded.reports);
    expect(summary.hotline.tickets).toBe(loaded.tickets);
    // the two sample agencies that official data is filed under are kept, the rest deleted
    expect(summary.agencies.agencies).toBe(loaded.agencies - 2);
    expect(summary.agencies.adopted.map((a: { name: string }) => a.name).sort()).toEqual(['淮安市人民政府', '淮安市洪泽区人民政府'].sort());

    expect(await sampleRows()).toEqual({ agencies: 0, reports: 0, tickets: 0 });
    expect(await count('agencies.agency', `data_origin = 'OFFICIAL' and review_status = 'PENDING_REVIEW'`)).toBe(2);
    expect(await count('hotline.ticket', `data_origin = 'OFFICIAL'`)).toBe(2);
    expect(await count('hotline.year_rollup_state', 'refreshed_generation is distinct from generation')).toBe(0);

    // the official reports and tickets, through the running gateway: the same figures, flags and counts
    expect(await official()).toEqual(before);
    // and the rollups now hold official data only: the 2 tickets, and the one report of a confirmed agency
    const { data } = await hub.query(`{ region(code: "320000") {
      hotline(year: 2024) { received }
      disclosure(year: 2024) { filed totals { applicationsReceived } }
    } }`);
    expect(data.region.hotline.received).toBe(2);
    expect(data.region.disclosure).toEqual({ filed: 1, totals: { applicationsReceived: 40 } });
  });

  it('says there is nothing to remove the second time, with exit 0', () => {
    const again = removeSample();
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('no sample data: nothing removed');
  });

  it('is not undone by a start with sample data on, even on tables emptied of everything', { timeout: 120_000 }, async () => {
    // Each subgraph loads its sample when its tables are empty: empty them, so that only the
    // marker the removal left can keep the sample out.
    for (const statement of [
      'delete from reports.flag',
      'delete from reports.figure',
      'delete from reports.annual_report',
      'delete from hotline.ticket',
      'delete from agencies.agency_lineage',
      'delete from agencies.agency',
    ]) {
      await firstRow(hub.databaseUrl, statement);
    }
    const logs: string[] = [];
    for (const module of SUBGRAPH_MODULES) {
      const running = await startSubgraph(module, {
        databaseUrl: hub.databaseUrl,
        port: 0,
        internalKey: hub.internalKey,
        sampleData: true,
        log: (line) => logs.push(line),
      });
      await running.close();
    }
    expect(logs.filter((line) => line.startsWith('sample'))).toEqual([]);
    expect(await sampleRows()).toEqual({ agencies: 0, reports: 0, tickets: 0 });
    expect(await count('agencies.agency', 'true')).toBe(0);
  });
});
