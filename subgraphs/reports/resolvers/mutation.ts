import { clientError, invalidArgument } from '../../../lib/graphql/errors.ts';
import { regionCodeArgument, yearArgument } from '../../../lib/graphql/arguments.ts';
import type { ReportsContext } from '../loaders.ts';
import { demand, may } from '../../../lib/auth/policy.ts';
import { nameArgument } from '../../../lib/text/names.ts';
import { sql } from '../../../lib/database/sql.ts';
import { registeredAgencyResolver } from '../ingestion/directoryAgency.ts';
import { AgencyResolutionError, ingestDocument } from '../ingestion/ingestDocument.ts';
import { storeReport } from '../storage/storeReport.ts';
import { checkSubmission, type SubmitReportInput } from '../storage/submission.ts';
import { DocumentTooComplexError, extractionLimitsFromEnv } from '../extraction/limits.ts';
import { reportsIngested } from '../metrics.ts';

interface IngestInput {
  fileName: string;
  contentBase64: string;
  regionCode?: string | null;
  year?: number | null;
}

/** The extraction limits' refusal (limits.ts) as the client sees it: which limit, and the setting. */
function tooComplex(error: { message: string; setting?: string | undefined }) {
  return clientError('DOCUMENT_TOO_COMPLEX', error.message, { argument: 'input.contentBase64', ...(error.setting ? { setting: error.setting } : {}) });
}

function documentBytes(input: IngestInput, fileName: string): Uint8Array {
  const { maxBytes } = extractionLimitsFromEnv();
  // Refused before it is decoded when even its base64 (4 characters per 3 bytes, line breaks allowed) is too long.
  if (input.contentBase64.length > Math.ceil(maxBytes / 3) * 4 * 1.1 + 64) throw tooComplex(new DocumentTooComplexError('bytes', maxBytes, fileName));
  if (!/^[A-Za-z0-9+/=\s]*$/.test(input.contentBase64)) throw invalidArgument('input.contentBase64', 'contentBase64 is not base64');
  const bytes = Buffer.from(input.contentBase64, 'base64');
  if (bytes.byteLength > maxBytes) throw tooComplex(new DocumentTooComplexError('bytes', maxBytes, fileName));
  return bytes;
}

export const mutationResolvers = {
  submitAnnualReport: async (_: unknown, args: { input: SubmitReportInput }, { em, loaders, identity }: ReportsContext) => {
    demand(identity, 'write', null, 'annual reports');
    // A report submitted by hand was not read by the extractor: it has no self-check.
    // The agency name as the report prints it is shown to everyone: normalised, nothing invisible (lib/text/names.ts).
    const agencyName = args.input.agencyName?.trim() ? nameArgument('input.agencyName', args.input.agencyName, 200) : null;
    const submission = checkSubmission({ ...args.input, agencyName, selfCheck: null });
    const [agency] = await sql<{ region_code: string }>(em, `select region_code from directory.agency where id = $1`, [submission.agencyId]);
    if (agency) demand(identity, 'write', agency.region_code, `the reports of agency ${submission.agencyId}`);
    const stored = await storeReport(em, submission);
    return { outcome: stored.outcome, report: await loaders.reportById.load(stored.reportId) };
  },

  ingestReportDocument: async (_: unknown, args: { input: IngestInput }, { em, loaders, identity }: ReportsContext) => {
    demand(identity, 'write', null, 'annual reports');
    const { input } = args;
    const fileName = input.fileName.trim();
    if (!fileName || fileName.length > 255) throw invalidArgument('input.fileName', 'fileName must be 1–255 characters');
    if (!/\.(txt|html?|pdf)$/i.test(fileName)) throw invalidArgument('input.fileName', 'a report document is a .txt, .html, .htm or .pdf file');
    const result = await ingestDocument(em, {
      fileName,
      bytes: documentBytes(input, fileName),
      regionCode: input.regionCode ? regionCodeArgument('input.regionCode', input.regionCode) : null,
      year: yearArgument('input.year', input.year),
      resolveAgency: async (agencyName, regionCode) => {
        if (!may(identity, 'write', regionCode)) {
          throw new AgencyResolutionError('FORBIDDEN', `${identity.subject} may not file reports for region ${regionCode}`);
        }
        return registeredAgencyResolver(em)(agencyName, regionCode);
      },
    });
    if (result.unreadable) {
      const { code } = result.unreadable;
      reportsIngested.inc({ outcome: code === 'DOCUMENT_TOO_COMPLEX' ? 'too_complex' : code === 'EXTRACTION_BUSY' ? 'busy' : 'unreadable' });
    }
    for (const report of result.reports) reportsIngested.inc({ outcome: report.outcome.toLowerCase() });
    // Past an extraction limit, or the extractor busy: the message says which and what to do.
    if (result.unreadable?.code === 'DOCUMENT_TOO_COMPLEX') throw tooComplex(result.unreadable);
    if (result.unreadable?.code === 'EXTRACTION_BUSY') throw clientError('EXTRACTION_BUSY', result.unreadable.message);
    if (result.unreadable) {
      throw clientError('UNREADABLE_DOCUMENT', `${fileName}: ${result.unreadable.message}`, { reason: result.unreadable.code, argument: 'input.contentBase64' });
    }
    return {
      fileName: result.fileName,
      document: result.documentId === null ? null : loaders.documentById.load(result.documentId),
      documentCreated: result.documentCreated,
      warnings: result.warnings.map((w) => ({ ...w, figureKeys: w.figureKeys ?? [] })),
      reports: result.reports.map((report) => ({
        ...report,
        report: report.reportId === null ? null : loaders.reportById.load(report.reportId),
        warnings: report.warnings.map((w) => ({ ...w, figureKeys: w.figureKeys ?? [] })),
      })),
    };
  },
};
