import { reportDeadline, type ReporterKind } from './deadlines.ts';
import type { OversightFlag } from './flag.ts';

export function timelinessChecks(year: number, reporter: ReporterKind, publishedOn: string | null): OversightFlag[] {
  const deadline = reportDeadline(year, reporter);
  if (!publishedOn || publishedOn <= deadline) return [];
  const daysLate = Math.round((Date.parse(publishedOn) - Date.parse(deadline)) / 86_400_000);
  return [
    {
      code: 'LATE_PUBLICATION',
      severity: 'WARNING',
      message: `${year} 年度报告于 ${publishedOn} 发布，晚于法定期限 ${deadline}（逾期 ${daysLate} 天）`,
      figureKeys: [],
      details: { publishedOn, deadline, daysLate, reporter },
    },
  ];
}

/** Not stored with a report (there is none): produced when flags of a subtree are listed. */
export function missingReportFlag(year: number, reporter: ReporterKind, agencyName: string): OversightFlag {
  return {
    code: 'MISSING_REPORT',
    severity: 'ERROR',
    message: `${agencyName}未提交 ${year} 年度政府信息公开工作年度报告（期限 ${reportDeadline(year, reporter)}）`,
    figureKeys: [],
    details: { deadline: reportDeadline(year, reporter) },
  };
}
