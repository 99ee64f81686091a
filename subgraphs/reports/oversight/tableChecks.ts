// Checks a report's own tables against their arithmetic (../shared/docs/domain.md, "What
// oversight checks"): the STD identity per applicant column, row totals, subtotals = sum of
// reasons, outcome total = sum of outcomes, review and litigation totals.
import { APPLICANTS, FIGURES } from '../figures/vocabulary.ts';
import { applicantColumnName, columnKey, type FigureValues, type OversightFlag } from './flag.ts';

const COLUMNS = ['', ...APPLICANTS];
const equal = (a: number, b: number) => Math.abs(a - b) < 1e-6;
const fmt = (n: number) => String(Math.round(n * 10000) / 10000);

function identityFlags(figures: FigureValues): OversightFlag[] {
  return COLUMNS.flatMap((applicant) => {
    const keys = ['applications.received', 'applications.carriedOver', 'applications.outcome.total', 'applications.carriedForward'].map(
      (key) => columnKey(key, applicant),
    );
    const [received, carriedOver, total, carriedForward] = keys.map((key) => figures.get(key));
    if (received === undefined || total === undefined || carriedOver === undefined || carriedForward === undefined) return [];
    if (equal(received + carriedOver, total + carriedForward)) return [];
    return [
      {
        code: 'APPLICATION_IDENTITY',
        severity: 'ERROR' as const,
        message:
          `申请情况表（${applicantColumnName(applicant)}）不平衡：本年新收 ${fmt(received)} + 上年结转 ${fmt(carriedOver)} = ${fmt(received + carriedOver)}，` +
          `但办理结果总计 ${fmt(total)} + 结转下年度 ${fmt(carriedForward)} = ${fmt(total + carriedForward)}`,
        figureKeys: keys,
        details: { applicant: applicant || null, left: received + carriedOver, right: total + carriedForward },
      },
    ];
  });
}

function rowTotalFlags(figures: FigureValues): OversightFlag[] {
  return [...FIGURES.values()]
    .filter((definition) => definition.perApplicant)
    .flatMap(({ key, label }) => {
      const total = figures.get(key);
      const parts = APPLICANTS.map((applicant) => figures.get(columnKey(key, applicant)));
      if (total === undefined || parts.some((part) => part === undefined)) return [];
      const sum = (parts as number[]).reduce((a, b) => a + b, 0);
      if (equal(total, sum)) return [];
      return [
        {
          code: 'APPLICANT_ROW_TOTAL',
          severity: 'ERROR' as const,
          message: `“${label}”一行的总计 ${fmt(total)} 不等于各类申请人之和 ${fmt(sum)}`,
          figureKeys: [key, ...APPLICANTS.map((applicant) => columnKey(key, applicant))],
          details: { total, sum },
        },
      ];
    });
}

const SUBTOTALS: { subtotal: string; label: string; reasonPrefix: string }[] = [
  { subtotal: 'applications.outcome.denied', label: '不予公开', reasonPrefix: 'applications.denied.' },
  { subtotal: 'applications.outcome.unavailable', label: '无法提供', reasonPrefix: 'applications.unavailable.' },
  { subtotal: 'applications.outcome.notProcessed', label: '不予处理', reasonPrefix: 'applications.notProcessed.' },
  { subtotal: 'applications.outcome.otherHandling', label: '其他处理', reasonPrefix: 'applications.otherHandling.' },
];

/** The reasons given in one column of a subtotal group, by full key. */
function reasonsOf(figures: FigureValues, reasonPrefix: string, applicant: string): Map<string, number> {
  const reasons = new Map<string, number>();
  for (const definition of FIGURES.values()) {
    if (!definition.key.startsWith(reasonPrefix)) continue;
    const key = columnKey(definition.key, applicant);
    const value = figures.get(key);
    if (value !== undefined) reasons.set(key, value);
  }
  return reasons;
}

const sumOf = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

function subtotalFlags(figures: FigureValues): OversightFlag[] {
  return COLUMNS.flatMap((applicant) =>
    SUBTOTALS.flatMap(({ subtotal, label, reasonPrefix }) => {
      const subtotalKey = columnKey(subtotal, applicant);
      const value = figures.get(subtotalKey);
      const reasons = reasonsOf(figures, reasonPrefix, applicant);
      if (value === undefined || reasons.size === 0) return [];
      const sum = sumOf(reasons.values());
      if (equal(value, sum)) return [];
      return [
        {
          code: 'SUBTOTAL_MISMATCH',
          severity: 'ERROR' as const,
          message: `“${label}”小计（${applicantColumnName(applicant)}）${fmt(value)} 不等于各项理由之和 ${fmt(sum)}`,
          figureKeys: [subtotalKey, ...reasons.keys()],
          details: { applicant: applicant || null, subtotal: value, sum },
        },
      ];
    }),
  );
}

/** 办理结果总计 = 予以公开 + 部分公开 + 不予公开 + 无法提供 + 不予处理 + 其他处理 (STD tables). */
function outcomeTotalFlags(figures: FigureValues): OversightFlag[] {
  return COLUMNS.flatMap((applicant) => {
    const totalKey = columnKey('applications.outcome.total', applicant);
    const total = figures.get(totalKey);
    const granted = figures.get(columnKey('applications.outcome.granted', applicant));
    const partial = figures.get(columnKey('applications.outcome.partial', applicant));
    if (total === undefined || granted === undefined || partial === undefined) return [];
    // A group whose subtotal row is absent counts as the sum of its reasons (some tables print no subtotal rows).
    const groups = SUBTOTALS.map(({ subtotal, reasonPrefix }) => {
      const value = figures.get(columnKey(subtotal, applicant));
      if (value !== undefined) return value;
      const reasons = reasonsOf(figures, reasonPrefix, applicant);
      return reasons.size ? sumOf(reasons.values()) : undefined;
    });
    if (groups.some((group) => group === undefined)) return [];
    const sum = granted + partial + sumOf(groups as number[]);
    if (equal(total, sum)) return [];
    return [
      {
        code: 'OUTCOME_TOTAL_MISMATCH',
        severity: 'ERROR' as const,
        message: `办理结果总计（${applicantColumnName(applicant)}）${fmt(total)} 不等于各项办理结果之和 ${fmt(sum)}`,
        figureKeys: [totalKey],
        details: { applicant: applicant || null, total, sum },
      },
    ];
  });
}

const REVIEW_GROUPS = [
  { prefix: 'reconsideration', label: '行政复议' },
  { prefix: 'litigation', label: '行政诉讼' },
  { prefix: 'litigation.direct', label: '未经复议直接起诉' },
  { prefix: 'litigation.afterReview', label: '复议后起诉' },
];

function reviewFlags(figures: FigureValues): OversightFlag[] {
  const flags: OversightFlag[] = [];
  for (const { prefix, label } of REVIEW_GROUPS) {
    const keys = ['total', 'upheld', 'corrected', 'other', 'pending'].map((result) => `${prefix}.${result}`);
    const [total, ...parts] = keys.map((key) => figures.get(key));
    if (total === undefined || parts.some((part) => part === undefined)) continue;
    const sum = sumOf(parts as number[]);
    if (!equal(total, sum)) {
      flags.push({
        code: 'REVIEW_TOTAL_MISMATCH',
        severity: 'ERROR',
        message: `${label}总计 ${fmt(total)} 不等于维持、纠正、其他结果与尚未审结之和 ${fmt(sum)}`,
        figureKeys: keys,
        details: { group: prefix, total, sum },
      });
    }
  }
  for (const result of ['total', 'upheld', 'corrected', 'other', 'pending']) {
    const keys = [`litigation.${result}`, `litigation.direct.${result}`, `litigation.afterReview.${result}`];
    const [all, direct, afterReview] = keys.map((key) => figures.get(key));
    if (all === undefined || direct === undefined || afterReview === undefined || equal(all, direct + afterReview)) continue;
    flags.push({
      code: 'REVIEW_TOTAL_MISMATCH',
      severity: 'ERROR',
      message: `行政诉讼（${result}）${fmt(all)} 不等于未经复议直接起诉 ${fmt(direct)} 与复议后起诉 ${fmt(afterReview)} 之和`,
      figureKeys: keys,
      details: { group: 'litigation', result, total: all, sum: direct + afterReview },
    });
  }
  return flags;
}

export function tableChecks(figures: FigureValues): OversightFlag[] {
  return [...identityFlags(figures), ...rowTotalFlags(figures), ...subtotalFlags(figures), ...outcomeTotalFlags(figures), ...reviewFlags(figures)];
}
