import type { HotlineContext } from '../loaders.ts';
import { demand } from '../../../lib/auth/policy.ts';
import { periodArguments, type PeriodArgs } from '../rollups/period.ts';

export const agencyResolvers = {
  __resolveReference: (ref: { id: string }) => ref,
  hotline: async (agency: { id: string }, args: PeriodArgs, { loaders, identity }: HotlineContext) => {
    // An id that is no number (no agency has it) has no tickets: 0 stands for it.
    const id = /^[0-9]{1,9}$/.test(String(agency.id)) ? String(agency.id) : '0';
    // Per-agency figures are internal: analysts of a jurisdiction covering the agency's region.
    demand(identity, 'read-internal', await loaders.agencyRegion.load(id), `the hotline figures of agency ${id}`);
    return loaders.agencyFigures(periodArguments(args)).load(id);
  },
};
