import { invalidArgument } from '../../../lib/graphql/errors.ts';
import { demand } from '../../../lib/auth/policy.ts';
import { agencyYear, comparisonKey, type DocumentRow, type ReportsContext } from '../loaders.ts';
import type { FigureRow, ReportRow } from '../reportRows.ts';
import { parseFigureKey } from '../figures/vocabulary.ts';
import { applicationsView, feesAndCapacityView, hotlinesView, proactiveView, reviewView, type FigureLookup } from '../figures/views.ts';

async function lookup(report: ReportRow, { loaders }: ReportsContext): Promise<FigureLookup> {
  const values = new Map((await loaders.figuresOfReport.load(report.id)).map((f) => [f.key, f.value]));
  return (key) => values.get(key) ?? null;
}

async function changes(report: ReportRow, context: ReportsContext) {
  const previous = await context.loaders.previousReport.load(comparisonKey(report));
  if (!previous) return [];
  const [now, before] = await Promise.all([
    context.loaders.figuresOfReport.load(report.id),
    context.loaders.figuresOfReport.load(previous.id),
  ]);
  const beforeValues = new Map(before.map((f) => [f.key, f.value]));
  const nowValues = new Map(now.map((f) => [f.key, f.value]));
  const keys = [...new Set([...nowValues.keys(), ...beforeValues.keys()])].sort();
  return keys.map((key) => {
    const value = nowValues.get(key) ?? null;
    const previousValue = beforeValues.get(key) ?? null;
    const change = value !== null && previousValue !== null ? value - previousValue : null;
    return {
      key,
      value,
      previousValue,
      change,
      changePercent: change !== null && previousValue ? (100 * change) / previousValue : null,
    };
  });
}

/**
 * A report version as the caller may see it: the current version of every report is public; a
 * superseded one is internal (analysts of its region's jurisdiction).
 */
export async function visibleReport(report: ReportRow | null, { identity }: ReportsContext): Promise<ReportRow | null> {
  if (report && report.superseded_at !== null) {
    demand(identity, 'read-internal', report.region_code, `superseded version ${report.version} of report ${report.id}`);
  }
  return report;
}

export const annualReportResolvers = {
  __resolveReference: async (ref: { id: string }, context: ReportsContext) => {
    const id = Number(ref.id);
    return Number.isSafeInteger(id) ? visibleReport(await context.loaders.reportById.load(id), context) : null;
  },
  agency: (report: ReportRow) => ({ id: String(report.agency_id) }),
  region: (report: ReportRow) => ({ code: report.region_code }),
  isCurrent: (report: ReportRow) => report.superseded_at === null,
  publishedOn: (report: ReportRow) => report.published_on,
  agencyName: (report: ReportRow) => report.agency_name,
  submittedAt: (report: ReportRow) => report.submitted_at,
  supersededAt: (report: ReportRow) => report.superseded_at,
  correctionNote: (report: ReportRow) => report.correction_note,
  isLate: (report: ReportRow) => report.is_late,
  dataOrigin: (report: ReportRow) => report.data_origin,
  selfCheck: (report: ReportRow) =>
    report.self_check_template === null
      ? null
      : {
          template: report.self_check_template,
          coverage: report.self_check_coverage,
          consistency: report.self_check_consistency,
          identitiesChecked: report.self_check_identities,
        },
  document: (report: ReportRow, _: unknown, { loaders }: ReportsContext) =>
    report.document_id === null ? null : loaders.documentById.load(report.document_id),
  figures: async (report: ReportRow, args: { prefix?: string | null }, { loaders }: ReportsContext) => {
    const figures = await loaders.figuresOfReport.load(report.id);
    return args.prefix ? figures.filter((f) => f.key.startsWith(args.prefix!)) : figures;
  },
  figure: async (report: ReportRow, args: { key: string }, { loaders }: ReportsContext) => {
    if (!parseFigureKey(args.key)) throw invalidArgument('key', `'${args.key}' is not a figure key of the vocabulary`);
    return (await loaders.figuresOfReport.load(report.id)).find((f) => f.key === args.key) ?? null;
  },
  proactive: async (report: ReportRow, _: unknown, context: ReportsContext) => proactiveView(await lookup(report, context)),
  applications: async (report: ReportRow, _: unknown, context: ReportsContext) => applicationsView(await lookup(report, context)),
  review: async (report: ReportRow, _: unknown, context: ReportsContext) => reviewView(await lookup(report, context)),
  feesAndCapacity: async (report: ReportRow, _: unknown, context: ReportsContext) => feesAndCapacityView(await lookup(report, context)),
  hotlines: async (report: ReportRow, _: unknown, context: ReportsContext) => hotlinesView(await lookup(report, context)),
  flags: (report: ReportRow, _: unknown, { loaders, identity }: ReportsContext) => {
    // the same words for every report of a region: the gateway sends one error for all of them (lib/graphql/collapseRepeatedErrors.ts)
    demand(identity, 'read-internal', report.region_code, `the flags of the reports of region ${report.region_code}`);
    return loaders.flagsOfReport.load(report.id);
  },
  previous: (report: ReportRow, _: unknown, { loaders }: ReportsContext) =>
    loaders.previousReport.load(comparisonKey(report)),
  changes: (report: ReportRow, _: unknown, context: ReportsContext) => changes(report, context),
  versions: (report: ReportRow, _: unknown, { loaders, identity }: ReportsContext) => {
    demand(identity, 'read-internal', report.region_code, `the versions of report ${report.id}`);
    return loaders.versionsOf.load(agencyYear(report.agency_id, report.year));
  },
};

const APPLICANT_ENUM: Record<string, string> = {
  naturalPerson: 'NATURAL_PERSON',
  business: 'BUSINESS',
  research: 'RESEARCH',
  nonprofit: 'NONPROFIT',
  legalService: 'LEGAL_SERVICE',
  otherOrg: 'OTHER_ORG',
};

export const figureResolvers = {
  baseKey: (figure: FigureRow) => figure.key.split('@')[0],
  applicant: (figure: FigureRow) => {
    const applicant = figure.key.split('@')[1];
    return applicant ? APPLICANT_ENUM[applicant] : null;
  },
  label: (figure: FigureRow) => parseFigureKey(figure.key)?.definition.label ?? figure.key,
  source: (figure: FigureRow) =>
    figure.source_text === null ? null : { text: figure.source_text, start: figure.source_start ?? 0, end: figure.source_end ?? 0 },
};

export const sourceDocumentResolvers = {
  fileName: (document: DocumentRow) => document.file_name,
  mediaType: (document: DocumentRow) => document.media_type,
  byteSize: (document: DocumentRow) => document.byte_size,
  receivedAt: (document: DocumentRow) => document.received_at,
};
