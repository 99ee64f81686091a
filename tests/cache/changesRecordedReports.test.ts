// Every write of the reports subgraph records where it changed something in the reports' change
// log, in its transaction: a stored or superseded report at its region in its year and in the
// year after (at the agency's, its lineage successors' and the next year's reports' regions),
// the same through a document's ingestion, EVERYTHING for the sample removed — and nothing for a
// submission refused or unchanged, or a document none of whose reports was stored.
import { readFileSync } from 'node:fs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { fixturesDir } from '../support/goldReports.ts';
import { createAgency, updateAgency } from '../../subgraphs/agencies/directory/agencyWrites.ts';
import { loadSampleAgencies } from '../../subgraphs/agencies/sample/sampleAgencies.ts';
import { removeSampleAgencies } from '../../subgraphs/agencies/sample/removeSample.ts';
import { registeredAgencyResolver } from '../../subgraphs/reports/ingestion/directoryAgency.ts';
import { ingestDocument } from '../../subgraphs/reports/ingestion/ingestDocument.ts';
import { closeExtractionWorkers } from '../../subgraphs/reports/extraction/worker/pool.ts';
import { removeSampleReports } from '../../subgraphs/reports/sample/removeSample.ts';
import { storeReport } from '../../subgraphs/reports/storage/storeReport.ts';
import { checkSubmission } from '../../subgraphs/reports/storage/submission.ts';
import { lastGeneration, openSubgraph, recordedBy } from './changesRecordedSupport.ts';

let url: string;
let agencies: () => EntityManager;
let reports: () => EntityManager;
beforeAll(async () => {
  url = await createTestDatabase();
  agencies = await openSubgraph(url, 'agencies');
  reports = await openSubgraph(url, 'reports');
});
afterAll(() => closeExtractionWorkers());

const recorded = (write: () => Promise<unknown>) => recordedBy(url, 'reports', write);

const submit = (agencyId: number, year: number, received: number, extra: { regionCode?: string } = {}) =>
  storeReport(reports(), checkSubmission({ agencyId, year, format: 'STD2021', figures: [{ key: 'applications.received', value: received }], ...extra }));

describe('the reports change log', () => {
  it('records EVERYTHING for the sample removed, once', async () => {
    await loadSampleAgencies(agencies());
    const [sampleAgency] = await reports().getConnection().execute<{ id: number }[]>(
      `select id from directory.agency where data_origin = 'SAMPLE' and region_code = '430000' order by id limit 1`,
    );
    await storeReport(reports(), checkSubmission({ agencyId: sampleAgency!.id, year: 2024, figures: [{ key: 'applications.received', value: 1 }] }, 'SAMPLE'));
    expect(await recorded(() => removeSampleReports(reports()))).toEqual([['*']]);
    expect(await recorded(() => removeSampleReports(reports()))).toEqual([]);
    await removeSampleAgencies(agencies(), []);
  });

  it('records a report at its region in its year and the year after, with its successors, and a new version at both regions after a move', async () => {
    const agency = (await createAgency(agencies(), { name: '芙蓉区报告测试局', regionCode: '430102', sector: 'COMMERCE' })).id;
    const successor = (
      await createAgency(agencies(), {
        name: '天心区报告测试局',
        regionCode: '430103',
        sector: 'COMMERCE',
        predecessors: [{ predecessorId: String(agency), year: 2024, kind: 'MERGED' }],
      })
    ).id;
    expect(await recorded(() => submit(agency, 2023, 10))).toEqual([['w:430102@2023', 'w:430102@2024', 'w:430103@2024']]);
    // the same figures again: UNCHANGED, nothing written
    expect(await recorded(() => submit(agency, 2023, 10))).toEqual([]);
    // the successor's report: its own region in 2024 and 2025 (it has no successor)
    expect(await recorded(() => submit(successor, 2024, 20))).toEqual([['w:430103@2024', 'w:430103@2025']]);
    // the agency's 2024 report, stored before it moves
    await submit(agency, 2024, 30);

    // moved to 430104: a new version of 2023 supersedes the one stored at 430102, and the next
    // year's reports live at 430102 (its own, stored before the move) and 430103 (the successor's)
    await updateAgency(agencies(), agency, { regionCode: '430104' });
    expect(await recorded(() => submit(agency, 2023, 11))).toEqual([
      ['w:430102@2023', 'w:430102@2024', 'w:430103@2024', 'w:430104@2023', 'w:430104@2024'],
    ]);
  });

  it('records nothing for a submission refused', async () => {
    const agency = (await createAgency(agencies(), { name: '岳麓区报告测试局', regionCode: '430104', sector: 'COMMERCE' })).id;
    const before = await lastGeneration(url, 'reports');
    await expect(submit(agency, 2023, 5, { regionCode: '430102' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await expect(submit(999_999, 2023, 5)).rejects.toMatchObject({ extensions: { code: 'UNKNOWN_AGENCY' } });
    expect(await lastGeneration(url, 'reports')).toBe(before);
  });

  it('records what a document ingested stored, once, and nothing for a document stored again or not stored', { timeout: 60_000 }, async () => {
    await createAgency(agencies(), { name: '淮安市人民政府', regionCode: '320800', sector: 'GOVERNMENT' });
    const ingest = (fileName: string, regionCode: string | null = null) =>
      ingestDocument(reports(), {
        fileName,
        bytes: readFileSync(`${fixturesDir}${fileName}`),
        regionCode,
        resolveAgency: registeredAgencyResolver(reports()),
      });
    expect(await recorded(() => ingest('huaian-shi-2024.txt'))).toEqual([['w:320800@2024', 'w:320800@2025']]);
    expect(await recorded(() => ingest('huaian-shi-2024.txt'))).toEqual([]);
    // its agency is not in the directory: nothing stored, nothing recorded
    expect(await recorded(() => ingest('huaian-hongzequ-2024.txt'))).toEqual([]);
  });

});
