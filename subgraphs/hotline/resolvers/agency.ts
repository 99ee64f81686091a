import type { HotlineContext } from '../loaders.ts';
import { NATIONAL } from '../../../lib/auth/identity.ts';
import { demand } from '../../../lib/auth/policy.ts';
import { periodArguments, type PeriodArgs } from '../rollups/period.ts';
import { scoped } from './figures.ts';

export const agencyResolvers = {
  __resolveReference: (ref: { id: string }) => ref,
  hotline: async (agency: { id: string }, args: PeriodArgs, { loaders, identity }: HotlineContext) => {
    // An id that is no number (no agency has it) has no tickets: 0 stands for it.
    const id = /^[0-9]{1,9}$/.test(String(agency.id)) ? String(agency.id) : '0';
    // Per-agency figures are internal: analysts of a jurisdiction covering the agency's region.
    // An id the directory does not know has no region: its tickets (if any) need national scope.
    demand(identity, 'read-internal', (await loaders.agencyRegion.load(id)) ?? NATIONAL, `the hotline figures of agency ${id}`);
    const period = periodArguments(args);
    return scoped(await loaders.agencyFigures(period).load(id), period, { kind: 'agency' });
  },
};
