// When a year's report is due (../shared/docs/domain.md, Deadlines):
// - 2008 条例 art. 31: the report for year Y by 3月31日 of Y+1, for every agency;
// - 2019 条例 art. 49 (reports from year 2019 on): departments by 1月31日 of Y+1, the people's
//   governments' own reports by 3月31日 of Y+1.
export type ReporterKind = 'GOVERNMENT' | 'DEPARTMENT';

export function reportDeadline(year: number, reporter: ReporterKind): string {
  const nextYear = year + 1;
  if (year < 2019 || reporter === 'GOVERNMENT') return `${nextYear}-03-31`;
  return `${nextYear}-01-31`;
}

export const reporterKindOfSector = (sectorCode: string): ReporterKind => (sectorCode === 'GOVERNMENT' ? 'GOVERNMENT' : 'DEPARTMENT');

/** null when the publication date is unknown: lateness cannot be told. */
export function isLate(year: number, reporter: ReporterKind, publishedOn: string | null): boolean | null {
  if (!publishedOn) return null;
  return publishedOn > reportDeadline(year, reporter);
}
