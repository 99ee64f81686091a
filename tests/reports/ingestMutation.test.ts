// Pushing a document through the gateway, as a municipal system does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/auth.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { fixturesDir } from '../support/goldReports.ts';
import { createAgency, submit } from '../support/reports.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});

describe('Mutation.ingestReportDocument', () => {
  const push = (fileName: string, bytes: Buffer, extra: Record<string, unknown> = {}) =>
    hub.query(
      `mutation ($input: IngestDocumentInput!) { ingestReportDocument(input: $input) {
         documentCreated document { mediaType sha256 }
         reports { agencyName regionCode year outcome failure { code message } report { id year figures { key } flags { code } } }
       } }`,
      { input: { fileName, contentBase64: bytes.toString('base64'), ...extra } },
      ADMIN,
    );

  it('stores a pushed PDF for a registered agency, once', async () => {
    await createAgency(hub, '淮安市洪泽区人民政府', '320813');
    const pdf = readFileSync(join(fixturesDir, 'pdf/huaian-hongzequ-2024.pdf'));
    const first = await push('hongze-2024.pdf', pdf);
    expect(first.errors).toBeUndefined();
    const result = first.data.ingestReportDocument;
    expect(result.documentCreated).toBe(true);
    expect(result.document.mediaType).toBe('application/pdf');
    expect(result.reports).toHaveLength(1);
    expect(result.reports[0]).toMatchObject({ agencyName: '淮安市洪泽区人民政府', regionCode: '320813', year: 2024, outcome: 'CREATED', failure: null });
    expect(result.reports[0].report.figures.length).toBeGreaterThan(100);

    const again = await push('hongze-2024.pdf', pdf);
    expect(again.data.ingestReportDocument.documentCreated).toBe(false);
    expect(again.data.ingestReportDocument.reports[0].outcome).toBe('UNCHANGED');
    const asText = await push('hongze-2024.txt', readFileSync(join(fixturesDir, 'huaian-hongzequ-2024.txt')));
    expect(asText.data.ingestReportDocument.reports[0]).toMatchObject({ outcome: 'UNCHANGED', report: { id: result.reports[0].report.id } });
  });

  it('refuses a report of an agency not in the directory, and unreadable documents', async () => {
    const unknown = await push('suqian.txt', readFileSync(join(fixturesDir, 'suqian-shuyangxian-2025-ocr.txt')));
    expect(unknown.data.ingestReportDocument.document).toBeNull();
    expect(unknown.data.ingestReportDocument.reports[0]).toMatchObject({ outcome: 'FAILED', report: null, failure: { code: 'AGENCY_NOT_REGISTERED' } });
    const empty = await push('empty.txt', Buffer.alloc(0));
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'UNREADABLE_DOCUMENT', reason: 'EMPTY_DOCUMENT' });
  });

  it('turns extraction warnings that matter into flags', async () => {
    const agencyId = await createAgency(hub, '淮安市警告测试局', '320800');
    const { data } = await submit(hub, {
      agencyId,
      year: 2024,
      figures: [{ key: 'applications.received', value: 5 }],
      warnings: [
        { code: 'AMBIGUOUS_CELL_SPLIT', message: 'row 3 cells 230 000023 split two ways', figureKeys: ['applications.outcome.granted'] },
        { code: 'DECODED_AS_GB18030', message: 'the text is not UTF-8' },
      ],
    });
    expect(data.submitAnnualReport.report.flags).toEqual([
      expect.objectContaining({ code: 'EXTRACTION_AMBIGUOUS_CELL_SPLIT', severity: 'WARNING' }),
    ]);
  });
});
