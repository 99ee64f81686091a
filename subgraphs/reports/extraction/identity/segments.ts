// Splits a document into the reports it holds. Scraped pages run several reports together,
// often without their titles. A page is one report unless its text holds several different
// titles: the title in its metadata (标题: …) and the same title repeated in the body are one.
// A new report starts at a title that differs from the current one (another agency or year,
// see sameReport), or where the text turns to another region (one that is neither the current
// region nor its ancestor or descendant, named again soon after while the current one is
// not) — cut at the line where a report visibly restarts (一、…, 报告全文), never in mid-report.
import type { Division } from '../../../../lib/regions/divisions.ts';
import { compatible, findRegionMentions, type RegionMention } from './regionIndex.ts';
import { findTitles, sameReport, type Title } from './reportIdentity.ts';
import { squeeze, trailingNumbers, type Line } from '../document/lines.ts';

export interface Segment {
  lines: Line[];
  title: Title | null;
  /** the region the segment's text keeps naming, when it has no title to say so */
  region: Division | null;
}

const CONFIRM_WINDOW = 1500; // characters after a new region's first mention
const RESTART = /^[#\s]*(一[、.．]|报告全文$|全文$)/;

function isRestart(line: Line): boolean {
  const text = squeeze(line.text);
  return RESTART.test(text) && text.length <= 30 && trailingNumbers(line).cells.length === 0 && !text.includes('|');
}

export function segmentReports(text: string, lines: Line[]): Segment[] {
  const titles = reportTitles(findTitles(lines));
  const byTitle: Array<{ from: number; to: number; title: Title | null }> = [];
  let current: { from: number; to: number; title: Title | null } = { from: 0, to: lines.length, title: null };
  byTitle.push(current);
  for (const t of titles) {
    if (!current.title) {
      current.title = t;
      continue;
    }
    if (sameReport(t, current.title)) {
      current.title = completed(current.title, t);
      continue;
    }
    const cut = t.agency && !titleNamesAgency(t) ? Math.max(current.from + 1, t.lineIndex - 1) : t.lineIndex;
    current.to = cut;
    current = { from: cut, to: lines.length, title: t };
    byTitle.push(current);
  }
  const out: Segment[] = [];
  for (const part of byTitle) for (const segment of splitByRegion(text, lines.slice(part.from, part.to), part.title)) out.push(segment);
  return out;
}

/**
 * The titles that start reports. The page's own title (its 标题 field) is the page's heading:
 * with at most one different title in the body it is that report's title (completed by the
 * body's), and with several it is left out (a page of several reports under one heading).
 */
function reportTitles(all: Title[]): Title[] {
  const page = all.find((t) => t.fromPage) ?? null;
  const body = all.filter((t) => !t.fromPage);
  const distinct: Title[] = [];
  for (const t of body) if (!distinct.some((d) => sameReport(d, t))) distinct.push(t);
  if (distinct.length > 1) return body;
  const first = body.length > 0 ? body.reduce(completed) : null;
  if (!page) return first ? [first] : [];
  if (!first) return [page];
  return [mergeTitles(page, first)];
}

/** A title with what a later title of the same report adds (an agency, a year it lacked). */
function completed(title: Title, same: Title): Title {
  return { ...title, agency: title.agency ?? same.agency, year: title.year ?? same.year };
}

/** One report's page title and body title: the fuller agency, and a year only when they agree. */
function mergeTitles(page: Title, body: Title): Title {
  let agency = page.agency ?? body.agency;
  if (page.agency && body.agency) {
    if (sameReport({ ...page, year: null }, { ...body, year: null })) agency = page.agency.length >= body.agency.length ? page.agency : body.agency;
    else agency = body.agency;
  }
  // Conflicting years: neither title decides, the text does (统计期限…, see statisticalYear).
  const year = page.year !== null && body.year !== null && page.year !== body.year ? null : (page.year ?? body.year);
  return { ...page, agency, year };
}

/** Whether the title line itself carries the agency (else it was on the line above). */
function titleNamesAgency(t: Title): boolean {
  return t.agency !== null && t.text.includes(t.agency);
}

function splitByRegion(text: string, lines: Line[], title: Title | null): Segment[] {
  const mentionsByLine: RegionMention[][] = lines.map((l) => findRegionMentions(l.text, l.start, text));
  const all = mentionsByLine.flatMap((ms, i) => ms.map((m) => ({ m, i })));
  // The last line at or before each line where a report visibly restarts (-1: none).
  const restartAtOrBefore: number[] = [];
  for (let k = 0; k < lines.length; k++) restartAtOrBefore.push(isRestart(lines[k]!) ? k : (restartAtOrBefore[k - 1] ?? -1));
  const cuts: number[] = [];
  let current: Division | null = null;
  let lastCurrentLine = -1;
  for (const [at, { m, i }] of all.entries()) {
    if (!current || compatible(current, m.division)) {
      current ??= m.division;
      lastCurrentLine = i;
      continue;
    }
    // Only where a report visibly restarts since the current region's last line can it end.
    const restart = restartAtOrBefore[i]!;
    if (restart <= lastCurrentLine) continue;
    // Mentions are in document order: the window ahead of this one is a range of `all`.
    const windowEnd = m.start + CONFIRM_WINDOW;
    let forNew = 0;
    let forOld = 0;
    for (let k = at; k < all.length && all[k]!.m.start < windowEnd && forOld === 0; k++) {
      const x = all[k]!.m.division;
      if (compatible(x, m.division)) forNew++;
      if (compatible(x, current)) forOld++;
    }
    if (forNew < 2 || forOld > 0) continue;
    cuts.push(restart);
    current = m.division;
    lastCurrentLine = i;
  }
  const bounds = [0, ...cuts, lines.length];
  const segments: Segment[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const segLines = lines.slice(bounds[k]!, bounds[k + 1]!);
    segments.push({
      lines: segLines,
      title: k === 0 ? title : null,
      region: dominantRegion(mentionsByLine.slice(bounds[k]!, bounds[k + 1]!).flat()),
    });
  }
  return segments;
}

/**
 * The region named most often, counting a mention of a descendant for its ancestors too: each
 * mention scores one for every mention compatible with it (itself included), counted per
 * region named rather than per pair of mentions.
 */
function dominantRegion(mentions: RegionMention[]): Division | null {
  const named = new Map<string, { d: Division; count: number }>();
  for (const m of mentions) {
    const entry = named.get(m.division.code) ?? { d: m.division, count: 0 };
    entry.count++;
    named.set(m.division.code, entry);
  }
  const score: Array<{ d: Division; n: number }> = [];
  for (const { d, count } of named.values()) {
    let compatibleMentions = 0;
    for (const other of named.values()) if (compatible(d, other.d)) compatibleMentions += other.count;
    score.push({ d, n: count * compatibleMentions });
  }
  const ranked = score.sort((a, b) => b.n - a.n || a.d.code.length - b.d.code.length);
  return ranked[0]?.d ?? null;
}
