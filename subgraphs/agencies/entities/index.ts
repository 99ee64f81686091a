import { AgencySchema } from './Agency.ts';
import { AgencyLineageSchema } from './AgencyLineage.ts';
import { RegionSchema } from './Region.ts';
import { SectorSchema } from './Sector.ts';

export const agenciesEntities = [RegionSchema, SectorSchema, AgencySchema, AgencyLineageSchema];
