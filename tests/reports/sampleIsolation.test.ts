// Sample data never serves as evidence for a flag on official data (issue 14): a real 淮安 2024
// report, ingested from ../shared's fixtures while the sample directory is loaded, lands on the
// sample agency 淮安市人民政府 — next to that agency's SAMPLE 2023 report, which would have
// flagged it (a broken carry-over chain, the same text). Its flags and its `previous` cite no
// sample report; the sample's reports are still checked against each other.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/auth.ts';
import { fixturesDir, goldReport } from '../support/goldReports.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { sql } from '../../lib/database/sql.ts';
import { agenciesSubgraph } from '../../subgraphs/agencies/subgraph.ts';
import { crossYearChecks } from '../../subgraphs/reports/oversight/crossYearChecks.ts';
import { neighbourReport } from '../../subgraphs/reports/oversight/comparableReports.ts';
import { registeredAgencyResolver } from '../../subgraphs/reports/ingestion/directoryAgency.ts';
import { ingestDocument } from '../../subgraphs/reports/ingestion/ingestDocument.ts';
import { Migration20261220010000SameOriginComparisons } from '../../subgraphs/reports/migrations/Migration20261220010000SameOriginComparisons.ts';
import { closeExtractionWorkers } from '../../subgraphs/reports/extraction/worker/pool.ts';
import { storeDocument } from '../../subgraphs/reports/storage/documents.ts';
import { storeReport } from '../../subgraphs/reports/storage/storeReport.ts';
import { checkSubmission } from '../../subgraphs/reports/storage/submission.ts';

const CROSS_YEAR = ['CARRY_OVER_CHAIN', 'CUMULATIVE_DECREASE', 'NEAR_DUPLICATE_TEXT'];
const REPORT = `query ($id: ID!) { annualReport(id: $id) {
  year dataOrigin previous { id year dataOrigin } flags { code } changes { key previousValue }
} }`;

let hub: TestHub;
let sampleAgencyId: number;
let realReportId: number;
const sampleReportIds: number[] = [];
const realText = readFileSync(`${fixturesDir}huaian-shi-2024.txt`, 'utf8');
const real = goldReport('huaian-shi-2024.txt');

beforeAll(async () => {
  // The sample directory as a first start loads it (江苏省 and 湖南省, marked SAMPLE).
  hub = await startTestHub();
  await agenciesSubgraph.bootstrap!(hub.subgraphs.agencies.orm, { sampleData: true, serving: false, log: () => {} });
  const em = hub.subgraphs.reports.orm.em.fork();
  [{ id: sampleAgencyId }] = (await sql<{ id: number }>(
    em,
    `select id from directory.agency where region_code = '320800' and name = '淮安市人民政府' and data_origin = 'SAMPLE'`,
  )) as [{ id: number }];
  // The agency's sample reports, stored as the sample loader stores them: 2022, and 2023 whose
  // carry-over breaks the chain from 2022 and from the real 2024, and whose text is the real
  // 2024 report's (a copy, were they compared).
  const document = await storeDocument(em, {
    fileName: 'sample-2023.txt',
    mediaType: 'text/plain',
    bytes: new TextEncoder().encode(`${realText}（样例）`),
    text: realText,
  });
  const sample = (year: number, figures: Record<string, number>, documentId: number | null = null) =>
    storeReport(
      em,
      checkSubmission(
        { agencyId: sampleAgencyId, year, format: 'STD2021', publishedOn: `${year + 1}-01-20`, documentId, figures: Object.entries(figures).map(([key, value]) => ({ key, value })) },
        'SAMPLE',
      ),
    );
  for (const stored of [
    await sample(2022, { 'applications.received': 500, 'applications.carriedForward': 7 }),
    await sample(2023, { 'applications.received': 600, 'applications.carriedOver': 9, 'applications.carriedForward': real.figures['applications.carriedOver']! + 50 }, document.id),
  ]) {
    sampleReportIds.push(stored.reportId);
  }
});

afterAll(() => closeExtractionWorkers());

describe('sample data and official data', () => {
  it('the sample 2023 report would flag the real 2024 report, were they compared', async () => {
    const em = hub.subgraphs.reports.orm.em.fork();
    const sample2023 = await neighbourReport(em, sampleAgencyId, 2023, 'previous', 'SAMPLE');
    expect(sample2023?.id).toBe(sampleReportIds[1]);
    const flags = crossYearChecks(new Map(Object.entries(real.figures)), realText, sample2023).map((f) => f.code);
    expect(flags).toEqual(expect.arrayContaining(['CARRY_OVER_CHAIN', 'NEAR_DUPLICATE_TEXT']));
  });

  it('a real report filed under a sample agency is not checked against the sample', { timeout: 120_000 }, async () => {
    const em = hub.subgraphs.reports.orm.em.fork();
    const ingested = await ingestDocument(em, {
      fileName: 'huaian-shi-2024.txt',
      bytes: readFileSync(`${fixturesDir}huaian-shi-2024.txt`),
      resolveAgency: registeredAgencyResolver(em),
    });
    const report = ingested.reports[0]!;
    realReportId = report.reportId!;
    expect(report).toMatchObject({ outcome: 'CREATED', regionCode: '320800', year: 2024, failure: null });
    const [row] = await sql<{ agency_id: number; data_origin: string }>(em, `select agency_id, data_origin from reports.annual_report where id = $1`, [
      report.reportId,
    ]);
    expect(row).toEqual({ agency_id: sampleAgencyId, data_origin: 'OFFICIAL' });

    const stored = await sql<{ code: string; details: Record<string, unknown> }>(em, `select code, details from reports.flag where report_id = $1`, [report.reportId]);
    expect(stored.filter((f) => CROSS_YEAR.includes(f.code))).toEqual([]);
    expect(stored.filter((f) => sampleReportIds.includes(Number(f.details.previousReportId)))).toEqual([]);

    const { data, errors } = await hub.query(REPORT, { id: String(report.reportId) }, ADMIN);
    expect(errors).toBeUndefined();
    expect(data.annualReport).toMatchObject({ year: 2024, dataOrigin: 'OFFICIAL', previous: null });
    expect(data.annualReport.changes.filter((c: { previousValue: number | null }) => c.previousValue !== null)).toEqual([]);
  });

  it('the sample’s own reports are still checked against each other', async () => {
    const { data } = await hub.query(REPORT, { id: String(sampleReportIds[1]) }, ADMIN);
    expect(data.annualReport.dataOrigin).toBe('SAMPLE');
    expect(data.annualReport.previous).toEqual({ id: String(sampleReportIds[0]), year: 2022, dataOrigin: 'SAMPLE' });
    expect(data.annualReport.flags.map((f: { code: string }) => f.code)).toContain('CARRY_OVER_CHAIN');
  });

  it('official reports are still checked against official reports', { timeout: 120_000 }, async () => {
    const em = hub.subgraphs.reports.orm.em.fork();
    const ids: number[] = [];
    for (const file of ['huaian-hongzequ-2023.txt', 'huaian-hongzequ-2024.txt']) {
      const ingested = await ingestDocument(em, { fileName: file, bytes: readFileSync(`${fixturesDir}${file}`), resolveAgency: registeredAgencyResolver(em) });
      expect(ingested.reports[0]).toMatchObject({ outcome: 'CREATED', failure: null });
      ids.push(ingested.reports[0]!.reportId!);
    }
    const { data } = await hub.query(REPORT, { id: String(ids[1]) }, ADMIN);
    expect(data.annualReport.previous).toEqual({ id: String(ids[0]), year: 2023, dataOrigin: 'OFFICIAL' });
  });

  it('the migration drops a flag stored earlier that cites a sample report, and lowers the flag count', async () => {
    const em = hub.subgraphs.reports.orm.em.fork();
    const flagCount = async () => (await sql<{ n: number }>(em, `select flag_count as n from reports.annual_report where id = $1`, [realReportId]))[0]!.n;
    const before = await flagCount();
    await sql(
      em,
      `insert into reports.flag (report_id, code, severity, message, figure_keys, details)
       values ($1, 'CARRY_OVER_CHAIN', 'WARNING', 'from before the rule', '{applications.carriedOver}', jsonb_build_object('previousReportId', $2::int))`,
      [realReportId, sampleReportIds[1]],
    );
    await sql(em, `update reports.annual_report set flag_count = flag_count + 1 where id = $1`, [realReportId]);
    const orm = hub.subgraphs.reports.orm;
    const migration = new Migration20261220010000SameOriginComparisons(orm.em.getDriver(), orm.config);
    await migration.up();
    for (const query of migration.getQueries()) await migration.execute(query);
    expect(await flagCount()).toBe(before);
    const left = await sql(em, `select 1 from reports.flag where report_id = $1 and code = any($2::text[])`, [realReportId, CROSS_YEAR]);
    expect(left).toEqual([]);
    // the sample's own cross-year flag, which cites a sample report, stays
    const sampleFlags = await sql<{ code: string }>(em, `select code from reports.flag where report_id = $1`, [sampleReportIds[1]]);
    expect(sampleFlags.map((f) => f.code)).toContain('CARRY_OVER_CHAIN');
  });
});
