import type { AgenciesContext } from '../loaders.ts';
import { confirmAgency, createAgency, updateAgency, type AgencyInput, type Authorize } from '../directory/agencyWrites.ts';
import { idArgument } from '../../../lib/graphql/arguments.ts';
import type { Identity } from '../../../lib/auth/identity.ts';
import { demand } from '../../../lib/auth/policy.ts';

/**
 * Every region a write touches — the agency's, old and new, and those of the agencies whose
 * lineage it changes — must be within the caller's jurisdiction (agencyWrites.ts asks).
 */
const writeWithin =
  (identity: Identity): Authorize =>
  (regionCode, what) =>
    demand(identity, 'write', regionCode, what);

export const mutationResolvers = {
  createAgency: (_: unknown, args: { input: AgencyInput }, { em, identity }: AgenciesContext) => {
    demand(identity, 'write', args.input.regionCode?.trim() ?? null, `the agencies of region ${args.input.regionCode}`);
    return createAgency(em, args.input, { authorize: writeWithin(identity) });
  },
  updateAgency: async (_: unknown, args: { id: string; input: AgencyInput }, { em, identity, loaders }: AgenciesContext) => {
    demand(identity, 'write', null, 'agencies');
    const id = idArgument('id', args.id);
    const current = await loaders.agencyById.load(id);
    // The directory is public: saying that an id does not exist leaks nothing.
    if (current) demand(identity, 'write', current.regionCode, `agency ${id} (${current.name})`);
    if (args.input.regionCode != null) demand(identity, 'write', args.input.regionCode.trim(), `the agencies of region ${args.input.regionCode}`);
    return updateAgency(em, id, args.input, { authorize: writeWithin(identity) });
  },
  confirmAgency: async (_: unknown, args: { id: string }, { em, identity, loaders }: AgenciesContext) => {
    demand(identity, 'write', null, 'agencies');
    const id = idArgument('id', args.id);
    const current = await loaders.agencyById.load(id);
    if (current) demand(identity, 'write', current.regionCode, `agency ${id} (${current.name})`);
    return confirmAgency(em, id, { authorize: writeWithin(identity) });
  },
};
