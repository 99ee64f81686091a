import { describe, expect, it } from 'vitest';
import { extractText } from '../../subgraphs/reports/extraction/index.ts';

const report = (body: string) =>
  extractText(['陕西省质量技术监督局2012年度政府信息公开工作报告', ...body.split('\n')].join('\n')).reports[0]!;

describe('prose figures', () => {
  it('marks hedged values (余/多/近/约) approx and keeps the sentence as source', () => {
    const r = report('2012年，局网站主动公开各类政府信息5500余条。\n全年共受理政府信息公开申请约30件。');
    expect(r.figures['proactive.channel.website']).toMatchObject({ value: 5500, approx: true });
    expect(r.figures['applications.received']).toMatchObject({ value: 30, approx: true });
    const src = r.figures['proactive.channel.website']!.source!;
    expect(src.text).toBe('2012年，局网站主动公开各类政府信息5500余条');
  });

  it('keeps exact values exact', () => {
    const r = report('2012年共主动公开信息1134条。');
    expect(r.figures['proactive.total']).toMatchObject({ value: 1134, approx: false });
  });

  it('source offsets point into the returned text', () => {
    const result = extractText('陕西省质量技术监督局2012年度政府信息公开工作报告\n全年共受理政府信息公开申请 3 件。');
    const f = result.reports[0]!.figures['applications.received']!;
    expect(result.text.slice(f.source!.start, f.source!.end)).toBe(f.source!.text);
  });

  it('reads statements that nothing happened as 0', () => {
    const r = report('2012年，我局未收到政府信息公开申请。\n没有发生因政府信息公开申请行政复议、提起行政诉讼的案件。\n我局所有信息公开事项均不收取任何费用。');
    expect(r.figures['applications.received']?.value).toBe(0);
    expect(r.figures['reconsideration.total']?.value).toBe(0);
    expect(r.figures['litigation.total']?.value).toBe(0);
    expect(r.figures['fees.amount']?.value).toBe(0);
  });

  it('maps hotline prose to hotline.<line>.<metric>, hedges included', () => {
    const r = report('去年，局政务公开电话共接听4800余次，其中咨询电话3600余次，举报投诉电话1200余次。\n通过“12365”投诉举报中心受理1396件，已办结1308件，交办88件。');
    expect(r.figures['hotline.disclosure.calls']).toMatchObject({ value: 4800, approx: true });
    expect(r.figures['hotline.disclosure.consultations']).toMatchObject({ value: 3600, approx: true });
    expect(r.figures['hotline.disclosure.complaints']).toMatchObject({ value: 1200, approx: true });
    expect(r.figures['hotline.12365.accepted']?.value).toBe(1396);
    expect(r.figures['hotline.12365.resolved']?.value).toBe(1308);
    expect(r.figures['hotline.12365.referred']?.value).toBe(88);
  });

  it('converts 信息处理费 in 元 to 万元', () => {
    expect(report('全年收取政府信息公开信息处理费 3940 元。').figures['fees.amount']?.value).toBeCloseTo(0.394);
  });
});
