import type { ReportsContext } from '../loaders.ts';
import type { FlagRow } from '../reportRows.ts';

export const flagResolvers = {
  figures: async (flag: FlagRow, _: unknown, { loaders }: ReportsContext) => {
    const values = flag.report_id === null ? new Map<string, number>() : new Map((await loaders.figuresOfReport.load(flag.report_id)).map((f) => [f.key, f.value]));
    return flag.figure_keys.map((key) => ({ key, value: values.get(key) ?? null }));
  },
  details: (flag: FlagRow) => JSON.stringify(flag.details),
  agency: (flag: FlagRow) => ({ id: String(flag.agency_id) }),
  report: (flag: FlagRow, _: unknown, { loaders }: ReportsContext) => (flag.report_id === null ? null : loaders.reportById.load(flag.report_id)),
};
