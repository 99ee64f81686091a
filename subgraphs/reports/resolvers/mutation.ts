import type { ReportsContext } from '../loaders.ts';
import { storeReport } from '../storage/storeReport.ts';
import { checkSubmission, type SubmitReportInput } from '../storage/submission.ts';

export const mutationResolvers = {
  submitAnnualReport: async (_: unknown, args: { input: SubmitReportInput }, { em, loaders }: ReportsContext) => {
    const stored = await storeReport(em, checkSubmission(args.input));
    return { outcome: stored.outcome, report: await loaders.reportById.load(stored.reportId) };
  },
};
