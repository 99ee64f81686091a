import type { AgenciesContext } from '../loaders.ts';
import type { Agency } from '../entities/Agency.ts';
import type { AgencyLineage } from '../entities/AgencyLineage.ts';

const linkTo = (agencyId: number, link: AgencyLineage) => ({ agencyId, year: link.year, kind: link.kind });

export const agencyResolvers = {
  __resolveReference: (ref: { id: string }, { loaders }: AgenciesContext) => {
    const id = Number(ref.id);
    return Number.isSafeInteger(id) ? loaders.agencyById.load(id) : null;
  },
  sector: (agency: Agency, _: unknown, { loaders }: AgenciesContext) => loaders.sectorByCode.load(agency.sectorCode),
  region: (agency: Agency, _: unknown, { loaders }: AgenciesContext) => loaders.regionByCode.load(agency.regionCode),
  level: async (agency: Agency, _: unknown, { loaders }: AgenciesContext) =>
    (await loaders.regionByCode.load(agency.regionCode))!.level,
  predecessors: async (agency: Agency, _: unknown, { loaders }: AgenciesContext) =>
    (await loaders.predecessorLinks.load(agency.id)).map((l) => linkTo(l.predecessorId, l)),
  successors: async (agency: Agency, _: unknown, { loaders }: AgenciesContext) =>
    (await loaders.successorLinks.load(agency.id)).map((l) => linkTo(l.successorId, l)),
};

export const lineageLinkResolvers = {
  agency: (link: { agencyId: number }, _: unknown, { loaders }: AgenciesContext) => loaders.agencyById.load(link.agencyId),
};
