import type { AgenciesContext } from '../loaders.ts';
import { createAgency, updateAgency, type AgencyInput } from '../directory/agencyWrites.ts';
import { idArgument } from '../../../lib/graphql/arguments.ts';

export const mutationResolvers = {
  createAgency: (_: unknown, args: { input: AgencyInput }, { em }: AgenciesContext) => createAgency(em, args.input),
  updateAgency: (_: unknown, args: { id: string; input: AgencyInput }, { em }: AgenciesContext) =>
    updateAgency(em, idArgument('id', args.id), args.input),
};
