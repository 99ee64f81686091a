import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  organOf,
  publishedOn,
  resolveRegion,
  sameReport,
  signatureDate,
  statisticalYear,
  titleOf,
} from '../../subgraphs/reports/extraction/identity/reportIdentity.ts';
import { divisionByCode, divisionsNamed, findRegionMentions, nonRegistryBodies } from '../../subgraphs/reports/extraction/identity/regionIndex.ts';
import { isMetaLine, pageDate } from '../../subgraphs/reports/extraction/identity/pageMeta.ts';
import { extractText } from '../../subgraphs/reports/extraction/index.ts';
import { splitLines } from '../../subgraphs/reports/extraction/document/lines.ts';
import { sharedDir } from './helpers.ts';

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

// ------------------------------------------------------------------ bodies that are not registry units

describe('bodies that are not GB/T 2260 units (nonRegistryBodies.json)', () => {
  it('resolves 平潭综合实验区 to the county it administers, with or without an organ suffix', () => {
    for (const agency of ['平潭综合实验区', '平潭综合实验区管委会', '平潭综合实验区党工委管委会', '福建省平潭综合实验区管理委员会']) {
      const r = resolveRegion(agency, '', '');
      expect(r.division?.code, agency).toBe('350128');
      expect(r.division?.level, agency).toBe('COUNTY');
    }
  });

  it('finds the body in running text like a registry name', () => {
    const mentions = findRegionMentions('根据平潭综合实验区党工委管委会的部署');
    expect(mentions.map((m) => m.division.code)).toEqual(['350128']);
  });

  it('checks every entry against the registry: the code exists, is the region named, and the name is not a registry name', () => {
    const entries = nonRegistryBodies();
    expect(entries.length).toBeGreaterThan(0);
    for (const b of entries) {
      expect(divisionByCode(b.code)?.name, b.name).toBe(b.administers);
      for (const name of [b.name, ...(b.aliases ?? [])]) {
        expect(divisionsNamed(name).map((d) => d.code), name).toEqual([b.code]);
        expect(resolveRegion(`${name}管委会`, '', '').division?.code, name).toBe(b.code);
      }
    }
  });

  it('needs no entry for zones the registry lists itself (淮安经济技术开发区 320871)', () => {
    expect(nonRegistryBodies().some((b) => b.code === '320871')).toBe(false);
    expect(resolveRegion('淮安经济技术开发区管理委员会', '', '').division?.code).toBe('320871');
  });
});

// ------------------------------------------------------------------ page metadata

const pageDump = (header: string[], body: string) =>
  ['source: an archive of the site : zwgk/nb/12345_report/page.txt; original https://example.gov.cn/nb/t20200120_1.htm', ...header, body].join('\n');

describe('page metadata is metadata, not a title', () => {
  it('reads the 标题 field as the title (agency and year), never "标题:" as part of the agency', () => {
    const t = titleOf(splitLines('标题: 平潭县人民政府2011年政府信息公开工作年度报告'), 0);
    expect(t).toMatchObject({ agency: '平潭县人民政府', year: 2011, fromPage: true });
  });

  it('reads the title that starts a page saved as one long line', () => {
    const t = titleOf(splitLines('平潭综合实验区 2019年政府信息公开工作年度报告 根据《中华人民共和国政府信息公开条例》要求，编制完成了本报告。'), 0);
    expect(t).toMatchObject({ agency: '平潭综合实验区', year: 2019 });
    expect(titleOf(splitLines('湖南省质量技术监督局 2016 年度标准化专项经费绩效评价报告 为加强财政支出管理'), 0)).toBeNull();
  });

  it('never takes another metadata field or a breadcrumb for a title', () => {
    expect(titleOf(splitLines('栏目: 政府信息公开年报'), 0)).toBeNull();
    expect(titleOf(splitLines('所属栏目：政务公开 > 政府信息公开年报'), 0)).toBeNull();
    expect(titleOf(splitLines('当前位置：首页 > 政务公开 > 政府信息公开年报'), 0)).toBeNull();
    expect(titleOf(splitLines('首页>政务公开>政府信息公开年报'), 0)).toBeNull();
  });

  it('completes the title agency from the organ that posted the page (its office posts for it)', () => {
    const lines = splitLines(['标题: 平潭综合实验区2013年政府信息公开工作年度报告', '发布机构: 平潭综合实验区管委会办公室'].join('\n'));
    expect(titleOf(lines, 0)?.agency).toBe('平潭综合实验区管委会');
    const untitled = splitLines(['标题: 2018年政府信息公开工作年度报告', '发布机构: 大武口区人民政府办公室'].join('\n'));
    expect(titleOf(untitled, 0)).toMatchObject({ agency: '大武口区人民政府', year: 2018 });
    expect(organOf('XX政府网')).toBeNull();
  });

  it('keeps a page one report: the header title and the title repeated in the body are one', () => {
    const text = pageDump(
      ['标题: 平潭综合实验区2019年度政府信息公开工作年度报告', '发布时间: 2020-01-20 15:22', '文号: ', '发布机构: ', '栏目: 政府信息公开年报'],
      '平潭综合实验区2019年政府信息公开工作年度报告\n本报告所列数据的统计期限自2019年1月1日起至2019年12月31日止。2019年，全区主动公开政府信息2599条。',
    );
    const result = extractText(text);
    expect(result.reports).toHaveLength(1);
    expect(result.reports[0]).toMatchObject({ agencyName: '平潭综合实验区', regionCode: '350128', level: 'COUNTY', year: 2019, publishedOn: '2020-01-20' });
  });

  it('splits a page only when its body holds several different titles', () => {
    const text = pageDump(
      ['标题: 石嘴山市各区2019年政府信息公开工作年度报告', '发布时间: 2020-03-01'],
      [
        '大武口区人民政府2019年政府信息公开工作年度报告',
        '2019年，大武口区人民政府主动公开政府信息120条。',
        '惠农区人民政府2019年政府信息公开工作年度报告',
        '2019年，惠农区人民政府主动公开政府信息80条。',
      ].join('\n'),
    );
    const result = extractText(text);
    expect(result.reports.map((r) => r.regionCode)).toEqual(['640202', '640205']);
  });

  it('resolves the labelled page dumps to their region, year and publication date', () => {
    const dir = `${sharedDir}fixtures/pagedumps/`;
    const golds = readdirSync(dir).filter((f) => f.endsWith('.gold.json'));
    expect(golds.length).toBeGreaterThan(0);
    for (const name of golds) {
      const gold = JSON.parse(readFileSync(dir + name, 'utf8')) as { file: string; reports: Array<{ regionCode: string; level: string; year: number; publishedOn: string[] }> };
      const result = extractText(readFileSync(dir + gold.file, 'utf8'));
      expect(result.reports, gold.file).toHaveLength(gold.reports.length);
      const [got, want] = [result.reports[0]!, gold.reports[0]!];
      expect(got.agencyName, gold.file).not.toMatch(/[:：]/);
      expect({ regionCode: got.regionCode, level: got.level, year: got.year }, gold.file).toEqual({ regionCode: want.regionCode, level: want.level, year: want.year });
      expect(want.publishedOn, gold.file).toContain(got.publishedOn);
    }
  });

  it('resolves an agency that names no place from the organ that posted the page', () => {
    const text = ['来源：大武口区人民政府 时间：2019-03-27 10:00', '商务和经济技术合作局2018年政府信息公开工作年度报告'].join('\n');
    expect(resolveRegion('商务和经济技术合作局', text, text).division?.code).toBe('640202');
    // a publisher of another level than the agency's own does not decide
    expect(resolveRegion('市商务局', text, text).division).toBeNull();
  });
});

// ------------------------------------------------------------------ publication dates

describe('publication date', () => {
  it('reads the page date: 发布时间, 发布日期, and 时间： under the headline', () => {
    expect(pageDate('发布时间: 2012-04-18 00:00')).toBe('2012-04-18');
    expect(pageDate('发布日期：2019年03月27日 来源:大武口区政府网')).toBe('2019-03-27');
    expect(pageDate('当前位置： 首页 年报 来源：平潭综合实验区管委会办公室 时间：2014-01-10 00:00 微信 微博')).toBe('2014-01-10');
    expect(pageDate('会议时间：2019年3月1日')).toBeNull();
    expect(pageDate('时间：2019年1月1日至2019年12月31日')).toBeNull();
  });

  it('reads a signature date in Chinese numerals (○, 〇, 零)', () => {
    const sig = (s: string) => signatureDate(splitLines(s));
    expect(sig('将信息公开评议和考核工作常规化、日常化。 二○一二年二月二十日 附件1：统计表')).toBe('2012-02-20');
    expect(sig('为公众提供便捷服务。 二〇一四年一月十日 平潭综合实验区政府信息公开情况统计表')).toBe('2014-01-10');
    expect(sig('某县人民政府办公室\n二零一三年十二月三十一日')).toBe('2013-12-31');
    expect(sig('某县人民政府办公室 2019年2月12日')).toBe('2019-02-12');
    expect(sig('(2026年1月23日)')).toBe('2026-01-23');
  });

  it('does not take a date inside a sentence (统计期限自…起) for a publication date', () => {
    const sig = (s: string) => signatureDate(splitLines(s));
    expect(sig('本报告所列数据的统计期限自2011年1月1日起至2011年12月31日。')).toBeNull();
    expect(sig('报告中所列数据统计期限自 2023 年 1 月 1 日\n起至 2023 年 12 月 31 日止。')).toBeNull();
    expect(sig('2019年1月1日 至 2019年12月31日')).toBeNull();
    expect(sig('填报日期:2019年1月17日')).toBeNull();
    expect(sig('(一)项目概况 2007年 9月 11日,省政府常务会议同意')).toBeNull();
  });

  it('takes no signature dated before the December of the statistical year or long after it', () => {
    expect(signatureDate(splitLines('工作。 2010年5月4日'), 2011)).toBeNull();
    expect(signatureDate(splitLines('工作。 2011年5月4日 区政府召开专题会议'), 2011)).toBeNull();
    expect(signatureDate(splitLines('工作。 2014年5月4日'), 2011)).toBeNull();
    expect(signatureDate(splitLines('工作。 2011年12月30日'), 2011)).toBe('2011-12-30');
    expect(signatureDate(splitLines('工作。 2012年2月20日'), 2011)).toBe('2012-02-20');
  });

  it('prefers the page date to the signature', () => {
    const lines = splitLines('发布时间: 2012-04-18 00:00\n正文……工作常规化。 二○一二年二月二十日');
    expect(publishedOn(lines, 2011)).toBe('2012-04-18');
  });

  it('falls back to the signature of a page dump whose header is gone', () => {
    const path = `${sharedDir}fixtures/pagedumps/`;
    const gold = readdirSync(path)
      .filter((f) => f.endsWith('.gold.json'))
      .map((f) => JSON.parse(readFileSync(path + f, 'utf8')) as { file: string; reports: Array<{ publishedOn: string[] }> })
      .find((g) => g.reports[0]!.publishedOn.length > 1);
    expect(gold).toBeDefined();
    const text = readFileSync(path + gold!.file, 'utf8');
    const body = text.split('\n').filter((l) => !isMetaLine(l)).join('\n');
    const r = extractText(body).reports[0]!;
    expect(gold!.reports[0]!.publishedOn).toContain(r.publishedOn);
    expect(r.publishedOn).not.toBe(pageDate(text));
  });
});

// ------------------------------------------------------------------ agencies and years

describe('agencies with or without their region; the year', () => {
  it('treats titles of one agency written with or without region or government suffix as one report', () => {
    const t = (agency: string | null, year: number | null) => ({ lineIndex: 0, text: '', agency, year });
    expect(sameReport(t('洪泽区人民政府', 2023), t('淮安市洪泽区人民政府', 2023))).toBe(true);
    expect(sameReport(t('平潭综合实验区', 2013), t('平潭综合实验区管委会', 2013))).toBe(true);
    expect(sameReport(t('行署质监局', 2018), t('行署质量技术监督局', null))).toBe(true);
    expect(sameReport(t(null, 2019), t('某县人民政府', 2019))).toBe(true);
    expect(sameReport(t('平潭县人民政府', 2011), t('平潭县教育局', 2011))).toBe(false);
    expect(sameReport(t('平潭综合实验区', 2013), t('平潭综合实验区教育局', 2013))).toBe(false);
    expect(sameReport(t('平潭县人民政府', 2011), t('平潭县人民政府', 2012))).toBe(false);
  });

  it('reads a title year written in Chinese numerals', () => {
    expect(titleOf(splitLines('二〇一三年度大武口区人民政府政府信息公开工作年度报告'), 0)).toMatchObject({ year: 2013, agency: '大武口区人民政府' });
  });

  it('takes the year from the statistics period when the title has none', () => {
    expect(statisticalYear(null, '本报告中所列数据统计时限为2022年1月1日至2022年12月31日。2023年工作安排。')).toBe(2022);
  });

  it('leaves the year to the text when the page title and the body title disagree', () => {
    const text = pageDump(
      ['标题: 大武口区人民政府2019年政府信息公开工作年度报告', '发布时间: 2019-03-01'],
      '大武口区人民政府2018年政府信息公开工作年度报告\n本报告所列数据统计期限自2018年1月1日起至2018年12月31日止。',
    );
    expect(extractText(text).reports.map((r) => r.year)).toEqual([2018]);
  });
});
