// The agency a report names, looked up in the directory read model by region and name (or one
// of its aliases).
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { lookupName } from '../../../lib/text/names.ts';
import { AgencyResolutionError, type AgencyResolver } from './ingestDocument.ts';

export async function findDirectoryAgency(em: EntityManager, regionCode: string, agencyName: string): Promise<number | null> {
  // Directory names are stored normalised (NFKC…, lib/text/names.ts): the name read is looked up in that form.
  const name = lookupName(agencyName).replace(/\s+/g, '');
  const [row] = await sql<{ id: number }>(
    em,
    `select id from directory.agency where region_code = $1 and (name = $2 or $2 = any(aliases)) order by (name = $2) desc, id limit 1`,
    [regionCode, name],
  );
  return row?.id ?? null;
}

/** For pushes through the gateway: the agency must already be in the directory. */
export const registeredAgencyResolver =
  (em: EntityManager): AgencyResolver =>
  async (agencyName, regionCode) => {
    const id = await findDirectoryAgency(em, regionCode, agencyName);
    if (id === null) {
      throw new AgencyResolutionError(
        'AGENCY_NOT_REGISTERED',
        `no agency named '${agencyName}' in region ${regionCode}; register it (createAgency) or add the name as an alias`,
      );
    }
    return id;
  };
