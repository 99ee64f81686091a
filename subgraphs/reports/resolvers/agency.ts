import { idArgument, yearArgument } from '../../../lib/graphql/arguments.ts';
import { agencyYear, type ReportsContext } from '../loaders.ts';

export const agencyResolvers = {
  __resolveReference: (ref: { id: string }) => ref,
  reports: (agency: { id: string }, _: unknown, { loaders }: ReportsContext) => loaders.reportsOfAgency.load(idArgument('id', agency.id)),
  report: (agency: { id: string }, args: { year: number }, { loaders }: ReportsContext) =>
    loaders.currentReport.load(agencyYear(idArgument('id', agency.id), yearArgument('year', args.year)!)),
};
