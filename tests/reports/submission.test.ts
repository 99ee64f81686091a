import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/auth.ts';
import { firstRow } from '../support/database.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { goldReport, goldReports } from '../support/goldReports.ts';
import { createAgency, figureList, submit } from '../support/reports.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});

const rowCounts = (): Promise<Record<string, number>> =>
  firstRow(
    hub.databaseUrl,
    `select (select count(*)::int from reports.annual_report) as reports, (select count(*)::int from reports.figure) as figures,
            (select count(*)::int from reports.flag) as flags`,
  );

describe('submitting annual reports', () => {
  it('stores every gold report and gives its figures back unchanged through the gateway', async () => {
    const filed = goldReports().filter((report) => report.regionCode && report.year);
    expect(filed.length).toBeGreaterThanOrEqual(10);
    for (const gold of filed) {
      const agencyId = await createAgency(hub, `${gold.agencyName}（${gold.file}）`, gold.regionCode!);
      const { data, errors } = await submit(hub, {
        agencyId,
        year: gold.year,
        format: gold.format,
        publishedOn: gold.publishedOn[0] ?? null,
        agencyName: gold.agencyName,
        figures: figureList(gold.figures),
      });
      expect(errors, gold.file).toBeUndefined();
      expect(data.submitAnnualReport.outcome).toBe('CREATED');
      const back = await hub.query(
        'query ($id: ID!) { annualReport(id: $id) { year format agencyName region { code } agency { id name } figures { key value approx } } }',
        { id: data.submitAnnualReport.report.id },
      );
      const report = back.data.annualReport;
      expect(report.region.code).toBe(gold.regionCode);
      expect(report.agency.id).toBe(agencyId);
      expect(report.format).toBe(gold.format);
      expect(Object.fromEntries(report.figures.map((f: { key: string; value: number }) => [f.key, f.value]))).toEqual(gold.figures);
    }
  });

  it('keeps provenance and the approx flag, and shows the typed views', async () => {
    const agencyId = await createAgency(hub, '淮安市测试局', '320800');
    const { data } = await submit(hub, {
      agencyId,
      year: 2024,
      figures: [
        { key: 'proactive.channel.website', value: 5500, approx: true, source: { text: '主动公开各类政府信息 5500 余条', start: 120, end: 138 } },
        { key: 'applications.received', value: 31 },
        { key: 'applications.received@naturalPerson', value: 30 },
        { key: 'reconsideration.total', value: 3 },
        { key: 'hotline.12345.calls', value: 1200 },
        { key: 'hotline.12345.satisfaction', value: 98.5 },
      ],
    });
    const { data: back } = await hub.query(
      `query ($id: ID!) { annualReport(id: $id) {
         website: figure(key: "proactive.channel.website") { value approx label source { text start end } }
         figures(prefix: "applications.") { key baseKey applicant }
         proactive { channels { website } }
         applications { received { total naturalPerson business } }
         review { reconsideration { total upheld } }
         hotlines { line calls satisfaction }
       } }`,
      { id: data.submitAnnualReport.report.id },
    );
    const report = back.annualReport;
    expect(report.website).toEqual({
      value: 5500,
      approx: true,
      label: '政府网站公开政府信息数',
      source: { text: '主动公开各类政府信息 5500 余条', start: 120, end: 138 },
    });
    expect(report.figures).toEqual([
      { key: 'applications.received', baseKey: 'applications.received', applicant: null },
      { key: 'applications.received@naturalPerson', baseKey: 'applications.received', applicant: 'NATURAL_PERSON' },
    ]);
    expect(report.proactive.channels.website).toBe(5500);
    expect(report.applications.received).toEqual({ total: 31, naturalPerson: 30, business: null });
    expect(report.review.reconsideration).toEqual({ total: 3, upheld: null });
    expect(report.hotlines).toEqual([{ line: '12345', calls: 1200, satisfaction: 98.5 }]);
  });

  it('stores the same content once, a change as a new version, and keeps the old one', async () => {
    const agencyId = await createAgency(hub, '淮安市版本测试局', '320800');
    const input = { agencyId, year: 2023, figures: [{ key: 'applications.received', value: 10 }] };
    const first = await submit(hub, input);
    const again = await submit(hub, input);
    expect(first.data.submitAnnualReport.outcome).toBe('CREATED');
    expect(again.data.submitAnnualReport.outcome).toBe('UNCHANGED');
    expect(again.data.submitAnnualReport.report.id).toBe(first.data.submitAnnualReport.report.id);

    const corrected = await submit(hub, { ...input, figures: [{ key: 'applications.received', value: 12 }], correctionNote: '更正收到申请数' });
    expect(corrected.data.submitAnnualReport.outcome).toBe('NEW_VERSION');
    expect(corrected.data.submitAnnualReport.report).toMatchObject({ version: 2, isCurrent: true });

    const viaAgency = await hub.query(
      `query ($old: ID!, $agency: ID!) {
         old: annualReport(id: $old) { version isCurrent supersededAt figure(key: "applications.received") { value } }
         agency(id: $agency) { report(year: 2023) { version correctionNote versions { version isCurrent } } reports { year version } }
       }`,
      { old: first.data.submitAnnualReport.report.id, agency: agencyId },
      ADMIN,
    );
    expect(viaAgency.data.old).toMatchObject({ version: 1, isCurrent: false, figure: { value: 10 } });
    expect(viaAgency.data.old.supersededAt).not.toBeNull();
    expect(viaAgency.data.agency.report).toEqual({
      version: 2,
      correctionNote: '更正收到申请数',
      versions: [
        { version: 1, isCurrent: false },
        { version: 2, isCurrent: true },
      ],
    });
    expect(viaAgency.data.agency.reports).toEqual([{ year: 2023, version: 2 }]);
  });

  it.each([
    ['an unknown figure key', { figures: [{ key: 'applications.recieved', value: 1 }] }, 'BAD_USER_INPUT', 'input.figures[0].key'],
    ['an applicant suffix on a figure without one', { figures: [{ key: 'fees.amount@naturalPerson', value: 1 }] }, 'BAD_USER_INPUT', 'input.figures[0].key'],
    ['a negative count', { figures: [{ key: 'applications.received', value: 3 }, { key: 'applications.outcome.granted', value: -1 }] }, 'BAD_USER_INPUT', 'input.figures[1].value'],
    ['a fractional count', { figures: [{ key: 'applications.received', value: 1.5 }] }, 'BAD_USER_INPUT', 'input.figures[0].value'],
    ['a percentage over 100', { figures: [{ key: 'hotline.12345.satisfaction', value: 101 }] }, 'BAD_USER_INPUT', 'input.figures[0].value'],
    ['a year in the future', { year: new Date().getUTCFullYear() + 1 }, 'BAD_USER_INPUT', 'input.year'],
    ['a publication date before the year', { publishedOn: '2019-12-31' }, 'BAD_USER_INPUT', 'input.publishedOn'],
    ['an unknown agency', { agencyId: '999999' }, 'UNKNOWN_AGENCY', 'input.agencyId'],
    ['a region that is not the agency’s', { regionCode: '430000' }, 'BAD_USER_INPUT', 'input.regionCode'],
  ])('refuses %s, naming the field, and stores nothing', async (_, change, code, argument) => {
    const agencyId = await createAgency(hub, `淮安市拒绝测试局${argument}${code}${JSON.stringify(change).length}`, '320800');
    const before = await rowCounts();
    const { data, errors } = await submit(hub, { agencyId, year: 2020, figures: [{ key: 'applications.received', value: 1 }], ...change });
    expect(data?.submitAnnualReport ?? null).toBeNull();
    expect(errors?.[0]?.extensions).toMatchObject({ code, argument });
    expect(await rowCounts()).toEqual(before);
  });

  it('lets the 淮安市 2024 tables pass and flags a deliberately broken copy', async () => {
    const gold = goldReport('huaian-shi-2024.txt');
    const good = await submit(hub, { agencyId: await createAgency(hub, '淮安市人民政府（完好副本）', '320800'), year: 2024, figures: figureList(gold.figures) });
    expect(good.data.submitAnnualReport.report.flags).toEqual([]);

    const broken = { ...gold.figures, 'applications.outcome.total@naturalPerson': gold.figures['applications.outcome.total@naturalPerson']! + 7 };
    const bad = await submit(hub, { agencyId: await createAgency(hub, '淮安市人民政府（损坏副本）', '320800'), year: 2024, figures: figureList(broken) });
    const codes = bad.data.submitAnnualReport.report.flags.map((f: { code: string }) => f.code).sort();
    expect(codes).toEqual(['APPLICANT_ROW_TOTAL', 'APPLICATION_IDENTITY', 'OUTCOME_TOTAL_MISMATCH']);
    const identity = bad.data.submitAnnualReport.report.flags.find((f: { code: string }) => f.code === 'APPLICATION_IDENTITY');
    expect(identity.severity).toBe('ERROR');
    expect(identity.message).toContain('自然人');
    expect(identity.figures).toContainEqual({ key: 'applications.outcome.total@naturalPerson', value: broken['applications.outcome.total@naturalPerson'] });
  });

  it('flags review totals, subtotals, prose contradicting the tables, and late publication', async () => {
    const agencyId = await createAgency(hub, '淮安市检查测试局', '320800');
    const { data } = await submit(hub, {
      agencyId,
      year: 2022,
      publishedOn: '2023-02-20',
      figures: figureList({
        'reconsideration.total': 5,
        'reconsideration.upheld': 2,
        'reconsideration.corrected': 1,
        'reconsideration.other': 0,
        'reconsideration.pending': 1,
        'applications.outcome.denied': 4,
        'applications.denied.stateSecret': 1,
        'applications.denied.thirdParty': 2,
        'applications.received': 40,
      }),
      proseFigures: figureList({ 'applications.received': 42 }),
    });
    const flags = data.submitAnnualReport.report.flags;
    expect(flags.map((f: { code: string }) => f.code).sort()).toEqual([
      'LATE_PUBLICATION',
      'PROSE_CONTRADICTS_TABLE',
      'REVIEW_TOTAL_MISMATCH',
      'SUBTOTAL_MISMATCH',
    ]);
    // a department's deadline since 2019 is 1月31日
    expect(flags.find((f: { code: string }) => f.code === 'LATE_PUBLICATION').message).toContain('2023-01-31');
  });
});
