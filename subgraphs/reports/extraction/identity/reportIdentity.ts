// Who published a report, for which region and year, and when. Everything is read from the
// title and text; what the text does not say stays null (with a warning), never a guess.
import type { Division } from '../../../../lib/regions/divisions.ts';
import type { ExtractionWarning, Level } from '../types.ts';
import { correctGarbledName, findRegionMentions, lineage, type RegionMention } from './regionIndex.ts';
import { squeeze, type Line } from '../document/lines.ts';

export interface Title {
  lineIndex: number;
  text: string;
  agency: string | null;
  year: number | null;
}

const AGENCY_END = /(人民政府|政府|办公厅|办公室|局|委员会|委|厅|署|院|中心|部门|公司|办)$/;
const TITLE = /^(\D*?)(?:(\d{4})年度?)?(\D*?)(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度|年终)?(?:工作)?(?:报告|年报|回报)$/;

/** A report title: one short line naming the disclosure report, possibly with the agency on the line above. */
export function titleOf(lines: Line[], i: number): Title | null {
  const text = squeeze(lines[i]!.text).replace(/^#+/, '');
  if (text.length < 6 || text.length > 60) return null;
  const m = TITLE.exec(text);
  if (!m) return null;
  const year = m[2] ? Number(m[2]) : null;
  let agency = cleanAgency(m[1] || m[3] || '');
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

function cleanAgency(s: string): string {
  return s.replace(/^(关于|公开)/, '').replace(/(关于|的|年终|年度|\d+年)$/g, '').trim();
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
  // The agency names no place (市安监局): take the one region of its level the text names
  // repeatedly, if there is exactly one.
  const hint = agency ? levelHint(agency) : null;
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

const pad = (n: string) => n.padStart(2, '0');

export function publishedOn(lines: Line[]): string | null {
  for (const line of lines) {
    const m = /(发布日期|发布时间|成文日期|发文日期|公开日期)[:：\s]*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})/.exec(line.text);
    if (m) return `${m[2]}-${pad(m[3]!)}-${pad(m[4]!)}`;
  }
  for (const line of lines) {
    const m = /^\s*[（(]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)）]?\s*$/.exec(line.text);
    if (m) return `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`;
  }
  return null;
}

/** The statistical year: the title's, the stated statistics period's, or the year the text is about. */
export function statisticalYear(title: Title | null, text: string): number | null {
  if (title?.year) return title.year;
  const flat = squeeze(text);
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
