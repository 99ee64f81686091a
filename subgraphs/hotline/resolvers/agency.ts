import type { HotlineContext } from '../loaders.ts';
import { periodArguments, type PeriodArgs } from '../rollups/period.ts';

export const agencyResolvers = {
  __resolveReference: (ref: { id: string }) => ref,
  hotline: (agency: { id: string }, args: PeriodArgs, { loaders }: HotlineContext) => {
    // An id that is no number (no agency has it) has no tickets: 0 stands for it.
    const id = /^[0-9]{1,18}$/.test(String(agency.id)) ? String(agency.id) : '0';
    return loaders.agencyFigures(periodArguments(args)).load(id);
  },
};
