// The extractor's self-check of an ingested report: stored with the version, exposed as
// AnnualReport.selfCheck, and a NEEDS_REVIEW flag when it is below the thresholds. The extractor
// is stubbed (its result per file name), so that what is tested is what ingestion does with a
// self-check, whatever the extractor reads from real documents.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExtractionResult, SelfCheck } from '../../subgraphs/reports/extraction/index.ts';
import { ingestDocument } from '../../subgraphs/reports/ingestion/ingestDocument.ts';
import { registeredAgencyResolver } from '../../subgraphs/reports/ingestion/directoryAgency.ts';
import { SELF_CHECK_THRESHOLDS, selfCheckFlags } from '../../subgraphs/reports/oversight/selfCheck.ts';
import { checkSubmission } from '../../subgraphs/reports/storage/submission.ts';
import { ADMIN } from '../support/auth.ts';
import { firstRow } from '../support/database.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { createAgency, figureList, submit } from '../support/reports.ts';

const extractions = vi.hoisted(() => new Map<string, ExtractionResult>());

vi.mock('../../subgraphs/reports/extraction/index.ts', () => ({
  UnreadableDocumentError: class UnreadableDocumentError extends Error {
    code = 'STUB';
  },
  extractDocument: async ({ fileName }: { fileName: string }) => {
    const result = extractions.get(fileName);
    if (!result) throw new Error(`no stubbed extraction for ${fileName}`);
    return structuredClone(result);
  },
}));

/** What the extractor would return for a one-report STD2021 document with this self-check. */
function stubExtraction(fileName: string, agencyName: string, regionCode: string, received: number, selfCheck: SelfCheck | null): void {
  const row = `本年新收政府信息公开申请数量 ${received}`;
  const text = `${agencyName}2024年政府信息公开工作年度报告\n${row}\n予以公开 ${received}\n`;
  const start = text.indexOf(row);
  extractions.set(fileName, {
    text,
    form: 'text',
    reports: [
      {
        agencyName,
        regionCode,
        level: 'COUNTY',
        year: 2024,
        publishedOn: '2025-01-20',
        format: 'STD2021',
        figures: {
          'applications.received': { value: received, approx: false, source: { text: row, start, end: start + row.length } },
          'applications.outcome.granted': { value: received, approx: false, source: null },
        },
        selfCheck,
        warnings: [],
      },
    ],
    warnings: [],
  } as ExtractionResult);
}

const REPORT = `query ($id: ID!) { annualReport(id: $id) {
  id version agencyName selfCheck { template coverage consistency identitiesChecked } flags { code severity message }
} }`;

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});

async function ingest(fileName: string) {
  const em = hub.subgraphs.reports.orm.em.fork();
  const result = await ingestDocument(em, { fileName, bytes: Buffer.from(fileName), resolveAgency: registeredAgencyResolver(em) });
  expect(result.unreadable).toBeNull();
  return result.reports[0]!;
}

describe('the extractor self-check of an ingested report', () => {
  it('is stored with the version and, when coverage is low, flags it NEEDS_REVIEW', async () => {
    await createAgency(hub, '淮安市洪泽区自检甲局', '320813');
    stubExtraction('low-coverage.txt', '淮安市洪泽区自检甲局', '320813', 40, { template: 'STD2021', coverage: 0.72, consistency: 1, identitiesChecked: 12 });
    const ingested = await ingest('low-coverage.txt');
    expect(ingested).toMatchObject({ outcome: 'CREATED', failure: null });

    const row = await firstRow(
      hub.databaseUrl,
      `select self_check_template, self_check_coverage, self_check_consistency, self_check_identities, flag_count
         from reports.annual_report where id = ${ingested.reportId}`,
    );
    expect(row).toEqual({ self_check_template: 'STD2021', self_check_coverage: 0.72, self_check_consistency: 1, self_check_identities: 12, flag_count: 1 });

    const { data, errors } = await hub.query(REPORT, { id: String(ingested.reportId) }, ADMIN);
    expect(errors).toBeUndefined();
    expect(data.annualReport.selfCheck).toEqual({ template: 'STD2021', coverage: 0.72, consistency: 1, identitiesChecked: 12 });
    const review = data.annualReport.flags.filter((f: { code: string }) => f.code === 'NEEDS_REVIEW');
    expect(review).toHaveLength(1);
    expect(review[0].severity).toBe('WARNING');
    // says what was low, and what the inspector should do
    expect(review[0].message).toContain('72%');
    expect(review[0].message).toContain('低于 90%');
    expect(review[0].message).not.toContain('勾稽');
    expect(review[0].message).toContain('对照原文核对');

    // the self-check is public, like the report's figures; the flags are not
    const publicView = await hub.query('query ($id: ID!) { annualReport(id: $id) { selfCheck { coverage } } }', { id: String(ingested.reportId) });
    expect(publicView.errors).toBeUndefined();
    expect(publicView.data.annualReport.selfCheck).toEqual({ coverage: 0.72 });

    // the flagged report counts as flagged in its region's rollup, and Query.flags lists it
    const { data: listed } = await hub.query(
      '{ region(code: "320813") { disclosure(year: 2024) { filed flagged } } flags(regionCode: "320813", year: 2024, code: "NEEDS_REVIEW") { totalCount } }',
      {},
      ADMIN,
    );
    expect(listed.region.disclosure).toEqual({ filed: 1, flagged: 1 });
    expect(listed.flags.totalCount).toBe(1);

    // the same document again changes nothing
    expect(await ingest('low-coverage.txt')).toMatchObject({ outcome: 'UNCHANGED', reportId: ingested.reportId });
  });

  it('flags a report whose identities do not all hold, saying so', async () => {
    await createAgency(hub, '淮安市洪泽区自检乙局', '320813');
    stubExtraction('low-consistency.txt', '淮安市洪泽区自检乙局', '320813', 7, { template: 'STD2021', coverage: 0.98, consistency: 10 / 12, identitiesChecked: 12 });
    const ingested = await ingest('low-consistency.txt');
    const { data } = await hub.query(REPORT, { id: String(ingested.reportId) }, ADMIN);
    expect(data.annualReport.selfCheck).toMatchObject({ coverage: 0.98, identitiesChecked: 12 });
    expect(data.annualReport.selfCheck.consistency).toBeCloseTo(10 / 12, 12);
    const [review] = data.annualReport.flags.filter((f: { code: string }) => f.code === 'NEEDS_REVIEW');
    expect(review.message).toContain('10/12');
    expect(review.message).not.toContain('单元格');
  });

  it('does not flag a report whose self-check passes, and shows it', async () => {
    await createAgency(hub, '淮安市洪泽区自检丙局', '320813');
    stubExtraction('high.txt', '淮安市洪泽区自检丙局', '320813', 12, { template: 'STD2021', coverage: 0.97, consistency: 1, identitiesChecked: 14 });
    const ingested = await ingest('high.txt');
    const { data, errors } = await hub.query(REPORT, { id: String(ingested.reportId) }, ADMIN);
    expect(errors).toBeUndefined();
    expect(data.annualReport.selfCheck).toEqual({ template: 'STD2021', coverage: 0.97, consistency: 1, identitiesChecked: 14 });
    expect(data.annualReport.flags.map((f: { code: string }) => f.code)).not.toContain('NEEDS_REVIEW');
  });

  it('has no self-check and no flag when no table was matched, or when the report was submitted by hand', async () => {
    const agencyId = await createAgency(hub, '淮安市洪泽区自检丁局', '320813');
    stubExtraction('no-table.txt', '淮安市洪泽区自检丁局', '320813', 3, null);
    const ingested = await ingest('no-table.txt');
    const { data } = await hub.query(REPORT, { id: String(ingested.reportId) }, ADMIN);
    expect(data.annualReport.selfCheck).toBeNull();
    expect(data.annualReport.flags).toEqual([]);

    const byHand = await submit(hub, { agencyId, year: 2023, figures: figureList({ 'applications.received': 3 }) });
    expect(byHand.errors).toBeUndefined();
    const { data: submitted } = await hub.query(REPORT, { id: byHand.data.submitAnnualReport.report.id }, ADMIN);
    expect(submitted.annualReport.selfCheck).toBeNull();
    expect(submitted.annualReport.flags).toEqual([]);
    // and the submit input has no self-check to give
    const refused = await hub.query(
      'mutation { submitAnnualReport(input: { agencyId: "1", year: 2023, figures: [], selfCheck: { template: "STD2021", coverage: 0.1, consistency: 0, identitiesChecked: 3 } }) { outcome } }',
      {},
      ADMIN,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('keeps a report whose self-check is malformed, without the self-check and with a warning', async () => {
    await createAgency(hub, '淮安市洪泽区自检戊局', '320813');
    stubExtraction('bad-check.txt', '淮安市洪泽区自检戊局', '320813', 5, { template: 'STD2021', coverage: 1.3, consistency: 1, identitiesChecked: 2 });
    const ingested = await ingest('bad-check.txt');
    expect(ingested.outcome).toBe('CREATED');
    expect(ingested.warnings.map((w) => w.code)).toContain('SELF_CHECK_REJECTED');
    const { data } = await hub.query(REPORT, { id: String(ingested.reportId) }, ADMIN);
    expect(data.annualReport.selfCheck).toBeNull();
  });
});

describe('the self-check thresholds', () => {
  const check = (coverage: number, consistency: number, identitiesChecked: number) =>
    selfCheckFlags({ template: 'STD2021', coverage, consistency, identitiesChecked }).map((f) => f.code);

  it('flags coverage below 0.9 and any failing identity, nothing at the thresholds', () => {
    expect(SELF_CHECK_THRESHOLDS).toEqual({ coverage: 0.9, consistency: 1.0 });
    expect(check(0.9, 1, 10)).toEqual([]);
    expect(check(0.8999, 1, 10)).toEqual(['NEEDS_REVIEW']);
    expect(check(1, 0.99, 100)).toEqual(['NEEDS_REVIEW']);
    expect(check(0.5, 0.5, 4)).toEqual(['NEEDS_REVIEW']);
  });

  it('ignores consistency when no identity could be checked, and stores it as null', () => {
    const submission = checkSubmission({
      agencyId: 1,
      year: 2024,
      figures: [],
      selfCheck: { template: 'STD2021', coverage: 0.95, consistency: Number.NaN, identitiesChecked: 0 },
    });
    expect(submission.selfCheck).toEqual({ template: 'STD2021', coverage: 0.95, consistency: null, identitiesChecked: 0 });
    expect(selfCheckFlags(submission.selfCheck)).toEqual([]);
    // where and how well a report was read does not make another version of it
    expect(submission.contentHash).toBe(checkSubmission({ agencyId: 1, year: 2024, figures: [] }).contentHash);
  });

  it('refuses a self-check that is not one', () => {
    const withCheck = (selfCheck: Record<string, unknown>) => () =>
      checkSubmission({ agencyId: 1, year: 2024, figures: [], selfCheck: { template: 'STD2021', coverage: 1, consistency: 1, identitiesChecked: 1, ...selfCheck } as never });
    expect(withCheck({ coverage: -0.1 })).toThrow(/coverage/);
    expect(withCheck({ consistency: 2 })).toThrow(/consistency/);
    expect(withCheck({ identitiesChecked: 1.5 })).toThrow(/identitiesChecked/);
    expect(withCheck({ template: ' ' })).toThrow(/template/);
  });
});
