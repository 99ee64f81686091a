import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/auth.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { goldReport } from '../support/goldReports.ts';
import { createAgency, figureList, submit } from '../support/reports.ts';
import { storeDocument } from '../../subgraphs/reports/storage/documents.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});

const codes = (result: any) => result.data.submitAnnualReport.report.flags.map((f: { code: string }) => f.code).sort();

describe('year over year', () => {
  it('compares 洪泽区 2024 with 2023 and checks the carry-over chain', async () => {
    const agencyId = await createAgency(hub, '淮安市洪泽区人民政府', '320813');
    const y2023 = goldReport('huaian-hongzequ-2023.txt');
    const y2024 = goldReport('huaian-hongzequ-2024.txt');
    await submit(hub, { agencyId, year: 2023, figures: figureList(y2023.figures) });
    const later = await submit(hub, { agencyId, year: 2024, figures: figureList(y2024.figures) });
    const chainHolds = y2024.figures['applications.carriedOver'] === y2023.figures['applications.carriedForward'];
    expect(codes(later).includes('CARRY_OVER_CHAIN')).toBe(!chainHolds);

    const { data } = await hub.query(
      `query ($id: ID!) { annualReport(id: $id) { year previous { year } changes { key value previousValue change changePercent } } }`,
      { id: later.data.submitAnnualReport.report.id },
    );
    expect(data.annualReport.previous.year).toBe(2023);
    const received = data.annualReport.changes.find((c: { key: string }) => c.key === 'applications.received');
    expect(received).toEqual({
      key: 'applications.received',
      value: y2024.figures['applications.received'],
      previousValue: y2023.figures['applications.received'],
      change: y2024.figures['applications.received']! - y2023.figures['applications.received']!,
      changePercent: expect.any(Number),
    });
  });

  it('flags a broken carry-over chain and a falling cumulative total, and re-checks when last year is corrected', async () => {
    const agencyId = await createAgency(hub, '淮安市链条测试局', '320800');
    await submit(hub, { agencyId, year: 2021, figures: figureList({ 'applications.carriedForward': 3, 'proactive.cumulative': 900 }) });
    const next = await submit(hub, { agencyId, year: 2022, figures: figureList({ 'applications.carriedOver': 5, 'proactive.cumulative': 800 }) });
    expect(codes(next)).toEqual(['CARRY_OVER_CHAIN', 'CUMULATIVE_DECREASE']);

    // correcting 2021 so that it agrees with 2022 clears 2022's cross-year flags
    await submit(hub, { agencyId, year: 2021, figures: figureList({ 'applications.carriedForward': 5, 'proactive.cumulative': 700 }) });
    const { data } = await hub.query('query ($id: ID!) { agency(id: $id) { report(year: 2022) { version flags { code } } } }', { id: agencyId }, ADMIN);
    expect(data.agency.report).toEqual({ version: 1, flags: [] });
  });

  it('takes the predecessor’s report as the year before (2018 质监 → 市场监管)', async () => {
    const old = await createAgency(hub, '淮安市质量技术监督局', '320800', { activeTo: 2018 });
    const successor = await createAgency(hub, '淮安市市场监督管理局', '320800', {
      activeFrom: 2018,
      predecessors: [{ predecessorId: old, year: 2018, kind: 'MERGED' }],
    });
    await submit(hub, { agencyId: old, year: 2018, figures: figureList({ 'applications.received': 20, 'applications.carriedForward': 2 }) });
    const first = await submit(hub, { agencyId: successor, year: 2019, figures: figureList({ 'applications.received': 30, 'applications.carriedOver': 1 }) });
    expect(codes(first)).toEqual(['CARRY_OVER_CHAIN']);
    const { data } = await hub.query('query ($id: ID!) { annualReport(id: $id) { previous { year agency { name } } } }', {
      id: first.data.submitAnnualReport.report.id,
    });
    expect(data.annualReport.previous).toEqual({ year: 2018, agency: { name: '淮安市质量技术监督局' } });
  });

  it('flags text copied from the previous year', async () => {
    const agencyId = await createAgency(hub, '淮安市抄袭测试局', '320800');
    const em = hub.subgraphs.reports.orm.em.fork();
    const body = '一、总体情况。本机关认真贯彻落实政府信息公开条例，坚持以公开为常态、不公开为例外，持续深化政务公开工作，';
    const document = (year: number, text: string) =>
      storeDocument(em, { fileName: `${year}.txt`, mediaType: 'text/plain', bytes: new TextEncoder().encode(text), text });
    const a = await document(2022, `${body.repeat(6)}全年主动公开信息 120 条。`);
    const b = await document(2023, `${body.repeat(6)}全年主动公开信息 135 条。`);
    const c = await document(2021, '二、主动公开政府信息情况。围绕重点领域信息公开，加强政策解读与回应关切，全年发布政策解读十余篇，召开新闻发布会若干次。');
    await submit(hub, { agencyId, year: 2021, documentId: c.id, figures: figureList({ 'proactive.total': 100 }) });
    const y2022 = await submit(hub, { agencyId, year: 2022, documentId: a.id, figures: figureList({ 'proactive.total': 120 }) });
    expect(codes(y2022)).toEqual([]);
    const y2023 = await submit(hub, { agencyId, year: 2023, documentId: b.id, figures: figureList({ 'proactive.total': 135 }) });
    expect(codes(y2023)).toEqual(['NEAR_DUPLICATE_TEXT']);
    const { data } = await hub.query('query ($id: ID!) { annualReport(id: $id) { document { fileName byteSize sha256 text } } }', {
      id: y2023.data.submitAnnualReport.report.id,
    });
    expect(data.annualReport.document).toMatchObject({ fileName: '2023.txt', sha256: b.sha256 });
    expect(data.annualReport.document.text).toContain('135');
  });
});
