// Who published a report, for which region and year, and when. Everything is read from the
// title and text; what the text does not say stays null (with a warning), never a guess.
import type { Division } from '../../../../lib/regions/divisions.ts';
import type { ExtractionWarning, Level } from '../types.ts';
import { correctGarbledName, findRegionMentions, lineage, type RegionMention } from './regionIndex.ts';
import { squeeze, type Line } from '../document/lines.ts';
import { asciiDigits, chineseYear, DATE_PATTERN, isoOf } from './dates.ts';
import { isMetaLine, metaFields, pageDate, pagePublishers } from './pageMeta.ts';

export interface Title {
  lineIndex: number;
  text: string;
  agency: string | null;
  year: number | null;
  /** read from the page's metadata (标题: …), not from a line of the report */
  fromPage?: boolean;
}

const AGENCY_END = /(人民政府|政府|办公厅|办公室|局|委员会|管委会|委|厅|署|院|中心|部门|公司|办)$/;
const TITLE = /^(\D*?)(?:(\d{4})年度?)?(\D*?)(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度|年终)?(?:工作)?(?:报告|年报|回报)$/;

/** Text before 政府信息公开… that is a breadcrumb or a field, not an agency (首页>政务公开>…). */
const NOT_AN_AGENCY = /[:：>＞»›|｜/\\]/;

/** Full-width digits and years in Chinese numerals (二〇一三年) as ASCII digits. */
function normalizeYears(s: string): string {
  return asciiDigits(s).replace(/([〇○零OＯ0-9一二三四五六七八九]{4})(?=年)/g, (y) => String(chineseYear(y) ?? y));
}

/**
 * A report title: one short line naming the disclosure report, possibly with the agency on the
 * line above; or the 标题 field of a page's metadata. Other metadata lines (栏目: 政府信息公开年报)
 * are never titles.
 */
export function titleOf(lines: Line[], i: number): Title | null {
  if (isMetaLine(lines[i]!.text)) return pageTitleOf(lines, i);
  let text = normalizeYears(squeeze(lines[i]!.text).replace(/^#+/, ''));
  let m = text.length >= 6 && text.length <= 60 ? TITLE.exec(text) : null;
  if (!m) {
    // A page saved as one long line starts with its title, then a space and the text.
    const lead = leadingTitle(lines[i]!.text);
    if (!lead) return null;
    [text, m] = lead;
  }
  const year = m[2] ? Number(m[2]) : null;
  let agency = cleanAgency(m[1] || m[3] || '');
  if (NOT_AN_AGENCY.test(agency)) return null;
  if (!agency) {
    for (let k = i - 1; k >= Math.max(0, i - 2); k--) {
      const prev = squeeze(lines[k]!.text).replace(/^#+/, '');
      if (!prev) continue;
      if (prev.length <= 25 && AGENCY_END.test(prev)) agency = prev;
      break;
    }
  }
  return { lineIndex: i, text, agency: agency || null, year };
}

/** The first few space-separated words of a line when they make a title and text follows. */
function leadingTitle(raw: string): [string, RegExpExecArray] | null {
  const words = raw.replace(/^[#\s]+/, '').split(/[\s\u3000]+/);
  for (let k = 1; k < Math.min(words.length, 5); k++) {
    const text = normalizeYears(words.slice(0, k).join(''));
    if (text.length > 60) break;
    if (text.length < 6) continue;
    const m = TITLE.exec(text);
    if (m) return [text, m];
  }
  return null;
}

function cleanAgency(s: string): string {
  return s.replace(/^(关于|公开)/, '').replace(/(关于|的|年终|年度|\d+年)$/g, '').trim();
}

const META_WINDOW = 12; // lines around a 标题 field that still belong to the same page header

/** The 标题 field of a metadata line as a report title; the agency it lacks comes from 发布机构. */
function pageTitleOf(lines: Line[], i: number): Title | null {
  const field = metaFields(lines[i]!.text).find((f) => f.kind === 'title');
  if (!field) return null;
  const text = normalizeYears(squeeze(field.value).replace(/^#+/, ''));
  if (text.length < 6 || text.length > 60) return null;
  const m = TITLE.exec(text);
  if (!m) return null;
  const year = m[2] ? Number(m[2]) : null;
  let agency: string | null = cleanAgency(m[1] || m[3] || '') || null;
  if (agency && NOT_AN_AGENCY.test(agency)) return null;
  const publishers: string[] = [];
  for (let k = Math.max(0, i - META_WINDOW); k < Math.min(lines.length, i + META_WINDOW); k++) {
    for (const f of metaFields(lines[k]!.text)) if (f.kind === 'publisher' && f.value) publishers.push(squeeze(f.value));
  }
  for (const p of publishers.map(organOf).filter((p): p is string => p !== null)) {
    // 标题 平潭综合实验区…, 发布机构 平潭综合实验区管委会办公室 → 平潭综合实验区管委会
    if (!agency || (p.startsWith(agency) && p.length > agency.length)) {
      agency = p;
      break;
    }
  }
  return { lineIndex: i, text, agency, year, fromPage: true };
}

/**
 * The body an organ posting a page speaks for: its name without a trailing 办公室/办公厅 (a
 * government's or bureau's office posts that government's or bureau's report). Null when the
 * value does not end like an agency (来源: XX政府网).
 */
export function organOf(publisher: string): string | null {
  const name = publisher.replace(/[（(].*$/, '').trim();
  if (!AGENCY_END.test(name)) return null;
  const body = name.replace(/(办公室|办公厅)$/, '');
  return body !== name && body.length >= 3 && AGENCY_END.test(body) ? body : name;
}

/** Suffixes that name a government of a place (its name alone stands for the same body). */
const GOVERNMENT_SUFFIX = /^(党工委)?(管委会|管理委员会|人民政府|政府|行政公署|行署)$/;
const REGION_PREFIX = /^[\u4e00-\u9fa5]{0,12}(省|市|县|区|州|盟|旗|地区)$/;

/**
 * Two titles of one report: the same year (or one states none) and the same agency, written
 * with or without its region in front (洪泽区人民政府 / 淮安市洪泽区人民政府) or its government
 * suffix (平潭综合实验区 / 平潭综合实验区管委会). A page repeats its title in its body; only a
 * title with another agency or year starts another report.
 */
export function sameReport(a: Title, b: Title): boolean {
  if (a.year !== null && b.year !== null && a.year !== b.year) return false;
  if (!a.agency || !b.agency) return true;
  const x = expandAbbreviation(a.agency);
  const y = expandAbbreviation(b.agency);
  if (x === y) return true;
  const [long, short] = x.length >= y.length ? [x, y] : [y, x];
  if (long.startsWith(short)) return GOVERNMENT_SUFFIX.test(long.slice(short.length));
  if (long.endsWith(short)) return REGION_PREFIX.test(long.slice(0, long.length - short.length));
  return false;
}

export function findTitles(lines: Line[]): Title[] {
  const out: Title[] = [];
  for (let i = 0; i < lines.length; i++) {
    const t = titleOf(lines, i);
    if (t) out.push(t);
  }
  return out;
}

// ---------------------------------------------------------------- agency names

const ABBREVIATIONS: Array<[RegExp, string]> = [
  [/质监(局|部门)$/, '质量技术监督局'],
  [/安监(局|部门)$/, '安全生产监督管理局'],
  [/市场监管(局|部门)$/, '市场监督管理局'],
  [/环保(局|部门)$/, '环境保护局'],
];

export function expandAbbreviation(agency: string): string {
  for (const [re, full] of ABBREVIATIONS) if (re.test(agency)) return agency.replace(re, full);
  return agency;
}

/** The longest form of `agency` in the text that adds region names in front (洪泽区人民政府 → 淮安市洪泽区人民政府). */
export function fullAgencyForm(agency: string, text: string): string {
  let best = agency;
  let from = 0;
  for (;;) {
    const at = text.indexOf(agency, from);
    if (at < 0) break;
    from = at + 1;
    const before = text.slice(Math.max(0, at - 16), at);
    const mentions = findRegionMentions(before);
    // Walk back over region names that end exactly where the agency (or the previous name) starts.
    let start = before.length;
    for (let k = mentions.length - 1; k >= 0; k--) {
      if (mentions[k]!.end === start) start = mentions[k]!.start;
      else break;
    }
    const candidate = before.slice(start) + agency;
    if (candidate.length > best.length) best = candidate;
  }
  return best;
}

/** Level implied by how an agency without a place name refers to itself (市安监局, 行署质监局). */
export function levelHint(agency: string): Level | null {
  if (/^(省|自治区)/.test(agency)) return 'PROVINCE';
  if (/^(市|地区|行署|州|盟)/.test(agency)) return 'CITY';
  if (/^(县|区|旗)/.test(agency)) return 'COUNTY';
  return null;
}

// ---------------------------------------------------------------- regions

export interface RegionResolution {
  division: Division | null;
  correctedAgency?: string;
  warnings: ExtractionWarning[];
}

/** The most specific region named in the agency name whose ancestors are the other names there. */
function deepest(mentions: RegionMention[]): Division | null {
  let best: Division | null = null;
  for (const m of mentions) {
    const chain = lineage(m.division);
    if (!mentions.every((o) => chain.includes(o.division.code) || lineage(o.division).includes(m.division.code))) continue;
    if (!best || chain.length > lineage(best).length) best = m.division;
  }
  return best;
}

const SHORT_SUFFIX = /(省|市|地区|自治州|州|盟|县|区|旗|自治县|特别行政区|自治区|回族自治区|壮族自治区|维吾尔自治区)$/;

export function resolveRegion(agency: string | null, segmentText: string, documentText: string): RegionResolution {
  const warnings: ExtractionWarning[] = [];
  if (agency) {
    const named = deepest(findRegionMentions(agency, 0, documentText));
    if (named) return { division: named, warnings };
    const token = /^[\u4e00-\u9fa5]{1,8}?(省|市|县|区|州|盟|旗)/.exec(agency)?.[0];
    if (token) {
      const fixed = correctGarbledName(token, documentText);
      if (fixed) {
        warnings.push({ code: 'REGION_NAME_CORRECTED', message: `"${token}" read as the registry's ${fixed.name} (${fixed.code})` });
        return { division: fixed, correctedAgency: fixed.name + agency.slice(token.length), warnings };
      }
    }
  }
  const hint = agency ? levelHint(agency) : null;
  // The agency names no place, the page's publisher does (发布机构: XX区人民政府办公室, 来源：XX区政府网).
  for (const publisher of pagePublishers(segmentText)) {
    const named = deepest(findRegionMentions(publisher, 0, documentText));
    if (named && (!hint || named.level === hint)) return { division: named, warnings };
  }
  // Else take the one region of the agency's level the text names repeatedly, if there is
  // exactly one (市安监局).
  const mentions = findRegionMentions(segmentText).filter((m) => !hint || m.division.level === hint);
  const counts = new Map<string, { division: Division; n: number }>();
  for (const m of mentions) {
    const entry = counts.get(m.division.code) ?? { division: m.division, n: 0 };
    entry.n++;
    counts.set(m.division.code, entry);
  }
  for (const entry of counts.values()) {
    const short = entry.division.name.replace(SHORT_SUFFIX, '');
    if (short.length >= 2 && short !== entry.division.name) {
      entry.n = Math.max(entry.n, segmentText.split(short).length - 1);
    }
  }
  const ranked = [...counts.values()].filter((e) => e.n >= 2).sort((a, b) => b.n - a.n);
  if (agency && hint && ranked.length > 0 && (ranked.length === 1 || ranked[0]!.n > ranked[1]!.n)) {
    return { division: ranked[0]!.division, warnings };
  }
  warnings.push({
    code: 'REGION_UNRESOLVED',
    message: agency ? `the text does not say which region "${agency}" belongs to` : 'the text names no publishing agency or region',
  });
  return { division: null, warnings };
}

// ---------------------------------------------------------------- year and dates

/**
 * When the report was published: the page's own date (发布时间, 发布日期, the 时间： under its
 * headline), else the date it was signed (a date standing on its own, usually after the last
 * paragraph: 二○一二年二月二十日, 2019年2月12日), which is not before the December of the
 * statistical `year` (when known) nor more than two years after it. A date inside a sentence
 * (统计期限自2011年1月1日起) is not a publication date.
 */
export function publishedOn(lines: Line[], year: number | null = null): string | null {
  return pageDate(lines.map((l) => l.text).join('\n')) ?? signatureDate(lines, year);
}

/** Before a signature date: nothing, the end of a sentence or bracket, or the signing agency. */
const SIGNATURE_AFTER_CHAR = /[。！!；;）)】」”"]$/;
/** After one: nothing, a closing bracket, an attachment, or a space and not the rest of a range. */
const RANGE_CONTINUES = /^[\s\u3000]*[至到起止前后—\-~～－,，、。]/;

export function signatureDate(lines: Line[], year: number | null = null): string | null {
  for (const line of lines) {
    const t = asciiDigits(line.text);
    for (const m of t.matchAll(DATE_PATTERN)) {
      const iso = isoOf(m);
      if (!iso) continue;
      const after = t.slice(m.index + m[0].length);
      if (/[0-9]/.test(t[m.index - 1] ?? '')) continue;
      // What stands before the date, white space left out: read back from the date, not from the
      // line's start (a line of many dates made that the square of its length).
      let end = m.index;
      while (end > 0 && /[\s\u3000]/.test(t[end - 1]!)) end--;
      const spaced = end < m.index;
      const last = t.slice(Math.max(0, end - 4), end);
      const opened = /[（(]$/.test(last);
      const beforeOk = end === 0 || SIGNATURE_AFTER_CHAR.test(last) || opened || (spaced && AGENCY_END.test(last));
      if (!beforeOk) continue;
      const afterOk = opened
        ? /^[\s\u3000]*[）)]/.test(after)
        : /^[\s\u3000]*$/.test(after) || /^[\s\u3000]*[）)]/.test(after) || /^[\s\u3000]*附/.test(after) || (/^[\s\u3000]/.test(after) && !RANGE_CONTINUES.test(after));
      if (!afterOk) continue;
      // Signed after the year's work is done: in its December at the earliest.
      const [y, mo] = [Number(iso.slice(0, 4)), Number(iso.slice(5, 7))];
      if (year !== null && (y < year || (y === year && mo < 12) || y > year + 2)) continue;
      return iso;
    }
  }
  return null;
}

/** The statistical year: the title's, the stated statistics period's, or the year the text is about. */
export function statisticalYear(title: Title | null, text: string): number | null {
  if (title?.year) return title.year;
  const flat = normalizeYears(squeeze(text));
  const period = /统计(期限|时限|区间|范围)?(自|为|从|是)?(\d{4})年1月1日/.exec(flat) ?? /[（(](\d{4})年度[)）]/.exec(flat);
  if (period) return Number(period[3] ?? period[1]);
  // Vote: years the text reports on, not those in cited titles 《…》, document numbers 〔…〕 or dates.
  const votes = new Map<number, number>();
  const body = flat.replace(/《[^》]{0,80}》/g, '').replace(/[〔\[【(（]\d{4}[〕\]】)）]/g, '');
  for (const m of body.matchAll(/(\d{4})年(度|底|[，,]|以来|全年|共|我)?/g)) {
    const year = Number(m[1]);
    if (year < 1990 || year > 2100) continue;
    if (/^\d{1,2}月/.test(body.slice(m.index + m[0].length))) continue;
    votes.set(year, (votes.get(year) ?? 0) + (m[2] ? 2 : 1));
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0) return null;
  if (ranked.length > 1 && ranked[0]![1] === ranked[1]![1]) return null;
  return ranked[0]![1] >= 2 ? ranked[0]![0] : null;
}
