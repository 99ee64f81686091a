import { describe, expect, it } from 'vitest';
import { resolveRegion, statisticalYear, publishedOn, titleOf } from '../../subgraphs/reports/extraction/identity/reportIdentity.ts';
import { extractText } from '../../subgraphs/reports/extraction/index.ts';
import { splitLines } from '../../subgraphs/reports/extraction/document/lines.ts';

describe('region resolution', () => {
  it('resolves a county-level name in the agency (大武口区 → 640202)', () => {
    const r = resolveRegion('大武口区商务和经济技术合作局', '', '');
    expect(r.division?.code).toBe('640202');
    expect(r.division?.level).toBe('COUNTY');
  });

  it('takes the most specific of nested names (淮安市洪泽区 → 320813)', () => {
    expect(resolveRegion('淮安市洪泽区人民政府', '', '').division?.code).toBe('320813');
  });

  it('resolves 行署质监局 from the 地区 the text names (大兴安岭地区 → 232700)', () => {
    const text = '对照大兴安岭政务公开办《大兴安岭地区政务公开工作实施方案》要求，通过大兴安岭质监微信公众号公开信息。';
    const r = resolveRegion('行署质监局', text, text);
    expect(r.division?.code).toBe('232700');
  });

  it('returns null and a warning when the text names no city (市安监局)', () => {
    const text = '市安监局高度重视政务公开工作。市安监局没有接到政府信息公开申请。';
    const r = resolveRegion('市安监局', text, text);
    expect(r.division).toBeNull();
    expect(r.warnings.map((w) => w.code)).toContain('REGION_UNRESOLVED');
  });

  it('corrects an OCR-garbled name only when the correction is unambiguous (沐阳县 → 沭阳县)', () => {
    const r = resolveRegion('沐阳县人民政府', '', '');
    expect(r.division?.code).toBe('321322');
    expect(r.correctedAgency).toBe('沭阳县人民政府');
    expect(r.warnings.map((w) => w.code)).toContain('REGION_NAME_CORRECTED');
  });

  it('reports level from the agency when the region stays unknown', () => {
    const result = extractText('市安监部门年终信息公开回报\n市安监局共各类信息4991条。\n市安监局没有接到政府信息公开申请。');
    const r = result.reports[0]!;
    expect(r.regionCode).toBeNull();
    expect(r.level).toBe('CITY');
    expect(r.year).toBeNull();
    expect(r.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['REGION_UNRESOLVED', 'YEAR_UNRESOLVED']));
  });
});

describe('titles, years and dates', () => {
  it('reads agency and statistical year from the title', () => {
    const t = titleOf(splitLines('陕西省质量技术监督局2012年度政府信息公开工作报告'), 0);
    expect(t).toMatchObject({ agency: '陕西省质量技术监督局', year: 2012 });
  });

  it('takes the agency from the line above a title without one', () => {
    const t = titleOf(splitLines('         淮安市洪泽区人民政府\n    2024 年政府信息公开工作年度报告'), 1);
    expect(t).toMatchObject({ agency: '淮安市洪泽区人民政府', year: 2024 });
  });

  it('distinguishes the statistical year from the publication year', () => {
    const lines = splitLines('发布日期:2019年03月27日\n2018年，我局公开信息93条。');
    expect(publishedOn(lines)).toBe('2019-03-27');
    expect(statisticalYear(null, '2018年，我局公开信息93条。2018年度工作。')).toBe(2018);
  });
});
