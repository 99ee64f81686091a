// The extractor's self-check of a report it read (how much of the matched official table
// template it found, and how many of the template's identities hold on what it read): below
// the thresholds, the figures may be misread or incomplete and an inspector should compare them
// with the document before they are relied on. docs/reports.md says why these thresholds.
import type { OversightFlag } from './flag.ts';

/** The self-check as stored with a version; consistency is null when no identity was checked. */
export interface StoredSelfCheck {
  template: string;
  coverage: number;
  consistency: number | null;
  identitiesChecked: number;
}

/**
 * A report needs review when the extractor found less than `coverage` of its template's cells,
 * or when, among the identities it could check (at least one), fewer than `consistency` of them
 * hold — with 1.0, any identity that fails.
 */
export const SELF_CHECK_THRESHOLDS = { coverage: 0.9, consistency: 1.0 } as const;

// rounded down (89.96 % is not shown as 90 %), and the float error of share × 1000 forgiven
const percent = (share: number): string => `${Math.floor(share * 1000 + 1e-9) / 10}%`;

export function selfCheckFlags(selfCheck: StoredSelfCheck | null): OversightFlag[] {
  if (!selfCheck) return [];
  const lowCoverage = selfCheck.coverage < SELF_CHECK_THRESHOLDS.coverage;
  const lowConsistency =
    selfCheck.identitiesChecked > 0 && selfCheck.consistency !== null && selfCheck.consistency < SELF_CHECK_THRESHOLDS.consistency;
  if (!lowCoverage && !lowConsistency) return [];
  const what: string[] = [];
  if (lowCoverage) {
    what.push(`表格单元格只识读到 ${percent(selfCheck.coverage)}（低于 ${percent(SELF_CHECK_THRESHOLDS.coverage)}），可能有数字漏录`);
  }
  if (lowConsistency) {
    const held = Math.round(selfCheck.consistency! * selfCheck.identitiesChecked);
    what.push(`表内勾稽关系只有 ${held}/${selfCheck.identitiesChecked} 项成立（${percent(selfCheck.consistency!)}），可能有数字误读`);
  }
  return [
    {
      code: 'NEEDS_REVIEW',
      severity: 'WARNING',
      message: `自动识读自检未通过（${selfCheck.template} 模板）：${what.join('；')}。请核查人员对照原文核对各项数字。`,
      figureKeys: [],
      details: {
        template: selfCheck.template,
        coverage: selfCheck.coverage,
        consistency: selfCheck.consistency,
        identitiesChecked: selfCheck.identitiesChecked,
        lowCoverage,
        lowConsistency,
        thresholds: SELF_CHECK_THRESHOLDS,
      },
    },
  ];
}
