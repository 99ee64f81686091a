// Checks of a report against the same agency's report of the year before (or its
// predecessor's): the carry-over chain, cumulative totals, and text copied from last year.
import { APPLICANTS } from '../figures/vocabulary.ts';
import { applicantColumnName, columnKey, type FigureValues, type OversightFlag } from './flag.ts';
import { textSimilarity } from './textSimilarity.ts';

export interface PreviousReport {
  id: number;
  year: number;
  figures: FigureValues;
  text: string | null;
}

/** Above this share of shared 5-character shingles, a report is taken as copied from the previous one. */
export const NEAR_DUPLICATE_THRESHOLD = 0.9;

function carryOverFlags(figures: FigureValues, previous: PreviousReport): OversightFlag[] {
  return ['', ...APPLICANTS].flatMap((applicant) => {
    const thisKey = columnKey('applications.carriedOver', applicant);
    const lastKey = columnKey('applications.carriedForward', applicant);
    const carriedOver = figures.get(thisKey);
    const carriedForward = previous.figures.get(lastKey);
    if (carriedOver === undefined || carriedForward === undefined || carriedOver === carriedForward) return [];
    return [
      {
        code: 'CARRY_OVER_CHAIN',
        severity: 'WARNING' as const,
        message: `本年“上年结转”（${applicantColumnName(applicant)}）为 ${carriedOver}，但 ${previous.year} 年报告的“结转下年度”为 ${carriedForward}`,
        figureKeys: [thisKey],
        details: { applicant: applicant || null, carriedOver, previousCarriedForward: carriedForward, previousReportId: previous.id },
      },
    ];
  });
}

function cumulativeFlags(figures: FigureValues, previous: PreviousReport): OversightFlag[] {
  const now = figures.get('proactive.cumulative');
  const before = previous.figures.get('proactive.cumulative');
  if (now === undefined || before === undefined || now >= before) return [];
  return [
    {
      code: 'CUMULATIVE_DECREASE',
      severity: 'WARNING',
      message: `累计主动公开政府信息数由 ${previous.year} 年的 ${before} 降至 ${now}，累计数不应减少`,
      figureKeys: ['proactive.cumulative'],
      details: { value: now, previousValue: before, previousReportId: previous.id },
    },
  ];
}

function copiedTextFlags(text: string | null, previous: PreviousReport): OversightFlag[] {
  if (!text || !previous.text) return [];
  const similarity = textSimilarity(text, previous.text);
  if (similarity < NEAR_DUPLICATE_THRESHOLD) return [];
  return [
    {
      code: 'NEAR_DUPLICATE_TEXT',
      severity: 'WARNING',
      message: `报告正文与 ${previous.year} 年报告高度相似（相似度 ${(similarity * 100).toFixed(1)}%），疑似照搬上年内容`,
      figureKeys: [],
      details: { similarity, previousReportId: previous.id },
    },
  ];
}

export function crossYearChecks(figures: FigureValues, text: string | null, previous: PreviousReport | null): OversightFlag[] {
  if (!previous) return [];
  return [...carryOverFlags(figures, previous), ...cumulativeFlags(figures, previous), ...copiedTextFlags(text, previous)];
}
