// What each resolver of the reports subgraph reads, for the gateway's answer cache
// (lib/cache/answerDependencies.ts). A report's answers depend on its region in its year: a
// stored or superseded report records its region in its year and the year after (whose report
// compares with it), and an agency's changes record its region in every year — rollups,
// rankings and "missing report" flags count the agencies expected to file.
import type { CacheDeclarations } from '../../lib/cache/answerDependencies.ts';
import { subtreeDependency } from '../../lib/cache/changes.ts';
import { NATIONAL } from '../../lib/auth/identity.ts';
import type { ReportsContext } from './loaders.ts';
import type { FlagRow, ReportRow } from './reportRows.ts';

/** A report's region in its year; none found: any report of the country. */
const reportDependency = (report: ReportRow | null | undefined, year: number | null = null) =>
  report ? [subtreeDependency(report.region_code, report.year)] : [subtreeDependency(NATIONAL, year)];

type ReportResult = (parent: unknown, args: unknown, context: ReportsContext, report: ReportRow | null) => string[];
const reportResult: ReportResult = (_parent, _args, _context, report) => reportDependency(report);
const regionInYear = (region: { code: string }, args: { year: number }) => [subtreeDependency(region.code, args.year)];
const argumentRegionInYear = (_parent: unknown, args: { regionCode: string; year: number }) => [subtreeDependency(args.regionCode, args.year)];

export const reportsCacheDeclarations: CacheDeclarations<ReportsContext> = {
  'Query.annualReport': reportResult,
  'Query.flags': argumentRegionInYear,
  'Query.ranking': argumentRegionInYear,
  'Query._listSizes': 'uncacheable',
  'Mutation.submitAnnualReport': 'uncacheable',
  'Mutation.ingestReportDocument': 'uncacheable',
  'Region.__resolveReference': 'parent',
  'Region.disclosure': regionInYear,
  'Region.disclosureTrend': (region: { code: string }, args: { from: number; to: number }) =>
    Array.from({ length: args.to - args.from + 1 }, (_, i) => subtreeDependency(region.code, args.from + i)),
  'Region.reportedHotlines': regionInYear,
  'Agency.__resolveReference': 'parent',
  // an agency's reports of every year: its region in every year (the agency's region, also
  // when it has none yet: any region's new report could be its first)
  'Agency.reports': (_agency: unknown, _args: unknown, _context: ReportsContext, reports: ReportRow[]) =>
    reports.length ? [...new Set(reports.map((r) => r.region_code))].map((code) => subtreeDependency(code, null)) : [subtreeDependency(NATIONAL, null)],
  'Agency.report': (_agency: unknown, args: { year: number }, _context: ReportsContext, report: ReportRow | null) => reportDependency(report, args.year),
  'AnnualReport.__resolveReference': reportResult,
  'AnnualReport.agency': 'parent',
  'AnnualReport.region': 'parent',
  'AnnualReport.isCurrent': 'parent',
  'AnnualReport.publishedOn': 'parent',
  'AnnualReport.agencyName': 'parent',
  'AnnualReport.submittedAt': 'parent',
  'AnnualReport.supersededAt': 'parent',
  'AnnualReport.correctionNote': 'parent',
  'AnnualReport.isLate': 'parent',
  'AnnualReport.dataOrigin': 'parent',
  'AnnualReport.selfCheck': 'parent',
  // a version's document and figures never change; flags, the previous report and versions
  // change with writes in its year (its own) and the year before (the previous report's)
  'AnnualReport.document': 'parent',
  'AnnualReport.figures': 'parent',
  'AnnualReport.figure': 'parent',
  'AnnualReport.proactive': 'parent',
  'AnnualReport.applications': 'parent',
  'AnnualReport.review': 'parent',
  'AnnualReport.feesAndCapacity': 'parent',
  'AnnualReport.hotlines': 'parent',
  'AnnualReport.flags': (report: ReportRow) => reportDependency(report),
  'AnnualReport.previous': (report: ReportRow, _args: unknown, _context: ReportsContext, previous: ReportRow | null) => [
    ...reportDependency(report),
    ...(previous ? reportDependency(previous) : []),
  ],
  'AnnualReport.changes': (report: ReportRow) => reportDependency(report),
  'AnnualReport.versions': (report: ReportRow) => reportDependency(report),
  'Figure.baseKey': 'parent',
  'Figure.applicant': 'parent',
  'Figure.label': 'parent',
  'Figure.source': 'parent',
  'SourceDocument.fileName': 'parent',
  'SourceDocument.mediaType': 'parent',
  'SourceDocument.byteSize': 'parent',
  'SourceDocument.receivedAt': 'parent',
  'Flag.figures': 'parent',
  'Flag.details': 'parent',
  'Flag.agency': 'parent',
  'Flag.report': (_flag: FlagRow, _args: unknown, _context: ReportsContext, report: ReportRow | null) => reportDependency(report),
};
