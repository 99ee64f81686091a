// Where the sections that hold the official tables begin and end, found by their heading words
// anywhere in the text (a page dump runs headings, tables and prose together on one line). The
// introduction often lists the section names in one sentence (…、收到和处理政府信息公开申请情况、…):
// a heading is numbered (三、) or stands at the start of a line, a listed name does neither.
import type { SectionId } from './templates/types.ts';

export interface Range {
  start: number;
  end: number;
}

// A run of numerals is read from its start only (the look-behind): tried from every numeral of
// a long run, each attempt ran to the run's end.
const NUMBERED = '(?<![一二三四五六七八九十])[一二三四五六七八九十]+[、.．]\\s*';
const HEADINGS: Record<Exclude<SectionId, 'statTable'>, string> = {
  art20: '主动公开政府信息(?:的)?情况',
  applications: '收到和处理政府信息公开申请(?:的)?情况',
  review: '(?:政府信息公开)?行政法?复议[、和及]?\\s*(?:提起)?行政诉讼(?:的)?情况',
};
const AFTER_REVIEW = new RegExp(`(?:${NUMBERED})?(?:政府信息公开工作)?存在的?主要问题|${NUMBERED}其他需要报告`, 'g');
const ART20_FALLBACK = /第二十条第\s*[（(]\s*一\s*[)）]\s*项/g;
const STAT_TABLE = /统计表/g;

/** Where in `s` its n-th letter that is not white space stands. */
function offsetOfLetter(s: string, n: number): number {
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    if (/\s/.test(s[i]!)) continue;
    if (k++ === n) return i;
  }
  return s.length;
}

function headingAt(text: string, pattern: string, from: number, to: number): number {
  const slice = text.slice(from, to);
  // Without white space: a heading may be broken across lines.
  const numbered = new RegExp(NUMBERED + pattern).exec(slice.replace(/\s+/g, ''));
  if (numbered) return from + offsetOfLetter(slice, numbered.index);
  for (const m of slice.matchAll(new RegExp(pattern, 'g'))) {
    // At the start of a line, after nothing but Markdown's marks and blanks.
    let k = m.index - 1;
    while (k >= 0 && ' \t#*'.includes(slice[k]!)) k--;
    if (k < 0 || slice[k] === '\n') return from + m.index;
  }
  return -1;
}

const lastMatch = (re: RegExp, text: string, from: number, to: number) => {
  let at = -1;
  for (const m of text.slice(from, to).matchAll(re)) at = from + m.index;
  return at;
};

const firstMatch = (re: RegExp, text: string, from: number, to: number) => {
  const m = text.slice(from, to).matchAll(re).next().value;
  return m ? from + m.index : -1;
};

/** The ranges (offsets into `text`) of the table sections between `from` and `to`. */
export function findSections(text: string, from: number, to: number): Partial<Record<SectionId, Range>> {
  const apps = headingAt(text, HEADINGS.applications, from, to);
  const review = headingAt(text, HEADINGS.review, apps >= 0 ? apps : from, to);
  let art20 = headingAt(text, HEADINGS.art20, from, apps >= 0 ? apps : to);
  if (art20 < 0) art20 = firstMatch(ART20_FALLBACK, text, from, apps >= 0 ? apps : to);
  const end = (start: number, ...next: number[]) => next.reduce((least, n) => (n > start && n < least ? n : least), to);
  const out: Partial<Record<SectionId, Range>> = {};
  if (art20 >= 0) out.art20 = { start: art20, end: end(art20, apps, review) };
  if (apps >= 0) out.applications = { start: apps, end: end(apps, review) };
  if (review >= 0) out.review = { start: review, end: end(review, firstMatch(AFTER_REVIEW, text, review + 1, to)) };
  const stat = lastMatch(STAT_TABLE, text, from, to);
  out.statTable = { start: stat >= 0 ? stat : from, end: to };
  return out;
}
