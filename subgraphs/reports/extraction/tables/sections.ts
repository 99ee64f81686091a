// Where the standard sections of a report begin and end, found by their heading words rather
// than their numbers: scraped pages and OCR renumber or drop the 一、二、三 prefixes.
import { squeeze, trailingNumbers, type Line } from '../document/lines.ts';

export interface SectionRange {
  from: number; // index into the lines array, inclusive
  to: number; // exclusive
}

const HEADINGS = {
  proactive: /主动公开政府信息(的)?情况/,
  applications: /收到和处理政府信息公开申请(的)?情况/,
  review: /行政复议[、和及]?.{0,6}行政诉讼(的)?情况/,
  afterReview: /存在的?主要问题|其他需要报告|^[#\s]*[五六七八九十][、.．]/,
  statTable: /政府信息公开(工作)?情况统计表|统计表/,
};

/** A heading: short, without figures, the words on one line (spaces squeezed out). */
function isHeading(line: Line, pattern: RegExp, maxLength = 40): boolean {
  const text = squeeze(line.text).replace(/^#+/, '');
  if (text.length === 0 || text.length > maxLength) return false;
  if (trailingNumbers(line).cells.length > 0) return false;
  return pattern.test(text);
}

function findHeading(lines: Line[], pattern: RegExp, from = 0, to = lines.length): number {
  for (let i = from; i < to; i++) if (isHeading(lines[i]!, pattern)) return i;
  return -1;
}

export interface StdSections {
  art20: SectionRange | null;
  applications: SectionRange | null;
  review: SectionRange | null;
}

export function findStdSections(lines: Line[]): StdSections {
  const apps = findHeading(lines, HEADINGS.applications);
  const review = findHeading(lines, HEADINGS.review, apps >= 0 ? apps + 1 : 0);
  let proactive = findHeading(lines, HEADINGS.proactive, 0, apps >= 0 ? apps : lines.length);
  if (proactive < 0) proactive = lines.findIndex((l) => /第二十条/.test(l.text));
  let reviewEnd = lines.length;
  if (review >= 0) {
    const end = findHeading(lines, HEADINGS.afterReview, review + 1);
    if (end >= 0) reviewEnd = end;
  }
  return {
    art20: proactive >= 0 ? { from: proactive, to: apps >= 0 ? apps : review >= 0 ? review : lines.length } : null,
    applications: apps >= 0 ? { from: apps + 1, to: review >= 0 ? review : lines.length } : null,
    review: review >= 0 ? { from: review + 1, to: reviewEnd } : null,
  };
}

export function findStatTable(lines: Line[]): SectionRange | null {
  const at = findHeading(lines, HEADINGS.statTable, 0, lines.length);
  return at >= 0 ? { from: at + 1, to: lines.length } : null;
}
