// The official tables of one report: finds their sections, picks the template that fits each
// section best, reads it, and tells the format era from what was found (the header words and rows
// that only one era prints), with the report's self-check over every table read.
import type { FormatEra, SelfCheck } from '../types.ts';
import type { Line } from '../document/lines.ts';
import type { FigureSet } from '../figureSet.ts';
import { findSections, type Range } from './sections.ts';
import { tableRows, type NumericRow } from './matchRows.ts';
import { matchTemplate, readMatch, type TableRead } from './readTemplate.ts';
import { REVIEW_SUMS, STANDARD_SECTIONS, TEMPLATES_BY_SECTION, type SectionId } from './templates/index.ts';

export interface TablesFound {
  /** the era the tables' structure shows; null when nothing tells */
  era: FormatEra | null;
  selfCheck: SelfCheck | null;
  reads: TableRead[];
}

/** An application table found without its heading must match at least this many rows. */
const MIN_HEADLESS_ROWS = 5;

/** Fewer rows matched than this do not make a 2008-era report a table report. */
const MIN_STAT_ROWS = 5;

/** A row belongs to the section its values stand in (its label may begin with the heading). */
const valuesAt = (row: NumericRow) => row.values[0]?.start ?? row.line.start;

export function readTables(documentText: string, lines: Line[], anchors: Map<string, number>, out: FigureSet): TablesFound {
  if (lines.length === 0) return { era: null, selfCheck: null, reads: [] };
  const from = lines[0]!.start;
  const to = lines.at(-1)!.end;
  const sections = findSections(documentText, from, to);
  const rows = tableRows(lines);
  const rowsIn = (range: Range) => rows.filter((r) => valuesAt(r) >= range.start && valuesAt(r) < range.end);

  const reads: TableRead[] = [];
  let era: FormatEra | null = null;
  const standard = STANDARD_SECTIONS.filter((s) => {
    const range = sections[s];
    if (!range || rowsIn(range).length === 0) return false;
    // 2008-era reports have a 主动公开 section too: the 第二十条 tables are what make it standard.
    const text = documentText.slice(range.start, range.end);
    return s !== 'art20' || /第二十条/.test(text) || TEMPLATES_BY_SECTION.art20.some((t) => t.headerWords?.test(text));
  });
  // Without its heading (OCR lost it, a scrape cut it) an application table is still told by
  // its rows: it is looked for in the whole report, and read when it fits (better than a 统计表).
  if (!standard.includes('applications')) {
    const whole = { start: from, end: to };
    const apps = bestMatch('applications', rowsIn(whole), '');
    const stat = sections.statTable!;
    const fits = apps.aligned.length >= MIN_HEADLESS_ROWS && (standard.length > 0 || apps.score > bestMatch('statTable', rowsIn(stat), documentText.slice(stat.start, stat.end)).score);
    if (fits) {
      sections.applications = whole;
      standard.push('applications');
    }
  }
  const wanted: SectionId[] = standard.length > 0 ? standard : ['statTable'];
  for (const section of wanted) {
    const range = sections[section]!;
    const sectionRows = rowsIn(range);
    if (sectionRows.length === 0) continue;
    const sectionText = documentText.slice(range.start, range.end);
    const best = bestMatch(section, sectionRows, sectionText);
    if (!best.template.wide && best.aligned.length === 0) continue;
    // Judged by the rows that match, not the cells read: a table whose runs are all ambiguous is
    // still a table, and its warnings say so.
    // Under its own 统计表 heading any row will do; elsewhere a few rows could be prose.
    if (section === 'statTable' && !/^统计表/.test(sectionText) && best.aligned.length < MIN_STAT_ROWS) continue;
    const read = readMatch(best, sectionRows, anchors, documentText);
    reads.push(read);
    era ??= eraEvidence(section, sectionText, read);
  }
  for (const read of reads) {
    for (const f of read.figures) out.add(f.key, f.value, f.source);
    for (const w of read.warnings) out.warn(w.code, w.message, w.figureKeys);
  }
  addSums(out, documentText);
  return { era, selfCheck: selfCheckOf(reads, standard.length > 0), reads };
}

function bestMatch(section: SectionId, rows: NumericRow[], text: string) {
  return TEMPLATES_BY_SECTION[section].map((t) => matchTemplate(t, rows, text)).reduce((a, b) => (b.score > a.score ? b : a));
}

/**
 * What only one era prints: the 第二十条 header words, the reasons under 其他处理 (2021), the
 * 2008-era statistics table.
 */
function eraEvidence(section: SectionId, sectionText: string, read: TableRead): FormatEra | null {
  const template = read.template;
  if (section === 'statTable') return 'PRE2019_TABLE';
  if (section === 'art20') return template.headerWords?.test(sectionText) ? (template.era ?? null) : null;
  if (section === 'applications') {
    const keys = new Set(read.figures.map((f) => f.key));
    // Some 2021 reports print 其他处理 as one row too: only its reasons tell.
    if ([...keys].some((k) => k.startsWith('applications.otherHandling.'))) return 'STD2021';
  }
  return null;
}

/** figures.md: the standard tables' litigation.* counts direct suits and suits after review. */
function addSums(out: FigureSet, documentText: string): void {
  for (const { key, of } of REVIEW_SUMS) {
    const parts = of.map((k) => out.figures.get(k));
    if (parts.some((p) => !p)) continue;
    const sources = parts.map((p) => p!.source).filter((s) => s !== null);
    let start = Infinity;
    let end = -Infinity;
    for (const s of sources) {
      start = Math.min(start, s.start);
      end = Math.max(end, s.end);
    }
    const source = sources.length > 0 ? { text: documentText.slice(start, end), start, end } : null;
    out.add(key, parts.reduce((sum, p) => sum + p!.value, 0), source);
  }
}

function selfCheckOf(reads: TableRead[], standard: boolean): SelfCheck | null {
  if (reads.length === 0) return null;
  // A standard report prints all three tables: a table not found at all counts as not covered.
  const seen = new Set(reads.map((r) => r.template.section));
  const missing = standard
    ? STANDARD_SECTIONS.filter((s) => !seen.has(s)).map((s) => TEMPLATES_BY_SECTION[s][0]!)
    : [];
  const expected = reads.reduce((n, r) => n + r.cellsExpected, 0) + missing.reduce((n, t) => n + t.rows.filter((r) => !r.optional).reduce((m, r) => m + r.keys.length, 0), 0);
  const found = reads.reduce((n, r) => n + r.cellsFound, 0);
  const checked = reads.reduce((n, r) => n + r.identitiesChecked, 0);
  const held = reads.reduce((n, r) => n + r.identitiesHeld, 0);
  return {
    template: reads.map((r) => r.template.id).join('+'),
    coverage: expected === 0 ? 0 : round(found / expected),
    consistency: checked === 0 ? 1 : round(held / checked),
    identitiesChecked: checked,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
