// The GraphQL mutations record their changes as the module functions they call do
// (changesRecordedAgencies/Reports.test.ts): through the gateway, as an editor writes.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/auth.ts';
import { fixturesDir } from '../support/goldReports.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { createAgency, submit } from '../support/reports.ts';
import { recordedBy } from './changesRecordedSupport.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});

describe('mutations through the gateway', () => {
  it('record an agency created and moved and a report submitted or ingested; a refused one records nothing', { timeout: 60_000 }, async () => {
    let id = '';
    expect(await recordedBy(hub.databaseUrl, 'agencies', async () => (id = await createAgency(hub, '淮安市人民政府', '320800')))).toEqual([['w:320800@*']]);
    expect(
      await recordedBy(hub.databaseUrl, 'reports', async () => {
        const { errors } = await submit(hub, { agencyId: id, year: 2023, figures: [{ key: 'applications.received', value: 3 }] });
        expect(errors).toBeUndefined();
      }),
    ).toEqual([['w:320800@2023', 'w:320800@2024']]);
    expect(
      await recordedBy(hub.databaseUrl, 'reports', async () => {
        const { errors } = await hub.query(
          'mutation ($input: IngestDocumentInput!) { ingestReportDocument(input: $input) { reports { outcome } } }',
          { input: { fileName: 'huaian-shi-2024.txt', contentBase64: readFileSync(`${fixturesDir}huaian-shi-2024.txt`).toString('base64') } },
          ADMIN,
        );
        expect(errors).toBeUndefined();
      }),
    ).toEqual([['w:320800@2024', 'w:320800@2025']]);
    expect(
      await recordedBy(hub.databaseUrl, 'agencies', async () => {
        const { errors } = await hub.query('mutation ($id: ID!) { updateAgency(id: $id, input: { regionCode: "320900" }) { id } }', { id }, ADMIN);
        expect(errors).toBeUndefined();
      }),
    ).toEqual([['w:320800@*', 'w:320900@*']]);
    // refused: nothing recorded
    expect(
      await recordedBy(hub.databaseUrl, 'agencies', async () => {
        const { errors } = await hub.query('mutation { confirmAgency(id: "999999") { id } }', {}, ADMIN);
        expect(errors?.[0]?.extensions?.code).toBe('AGENCY_NOT_FOUND');
      }),
    ).toEqual([]);
  });
});
