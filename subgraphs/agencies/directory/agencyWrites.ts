// Creating and changing agencies. Everything is checked before anything is written, and the
// write is one transaction: a rejected mutation leaves the directory exactly as it was.
// Jurisdiction: every agency a write touches — the agency itself, in its old and its new
// region, and every agency whose lineage it changes (a predecessor linked or unlinked) — is
// put to the caller's `authorize` before anything is written (docs/security.md).
// Each write records the regions it changed in the agencies' change log (lib/cache/changeLog.ts)
// as its last statement, in its transaction: for every year, since an agency's answers hold all
// its years, and the directory read model feeds the other subgraphs' rollups of those regions.
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { clientError, invalidArgument } from '../../../lib/graphql/errors.ts';
import { isRegionCode, levelOfCode } from '../../../lib/regions/codes.ts';
import { AgencySchema, type Agency, type ReviewStatus } from '../entities/Agency.ts';
import { AgencyLineageSchema, type LineageKind } from '../entities/AgencyLineage.ts';
import { RegionSchema } from '../entities/Region.ts';
import { SectorSchema } from '../entities/Sector.ts';
import { yearArgument } from '../../../lib/graphql/arguments.ts';
import { nameArgument } from '../../../lib/text/names.ts';
import { sql } from '../../../lib/database/sql.ts';
import { recordChanges } from '../../../lib/cache/changeLog.ts';
import { EVERYTHING, regionChanges, type Change } from '../../../lib/cache/changes.ts';

export interface LineageInput {
  predecessorId: string;
  year: number;
  kind: LineageKind;
}

export interface AgencyInput {
  name?: string | null;
  regionCode?: string | null;
  sector?: string | null;
  aliases?: string[] | null;
  activeFrom?: number | null;
  activeTo?: number | null;
  predecessors?: LineageInput[] | null;
}

const MAX_NAME = 100;
const MAX_ALIASES = 20;

/** Names are stored normalised (lib/text/names.ts): duplicates are found by equality of that form. */
const cleanName = (argument: string, name: string): string => nameArgument(argument, name, MAX_NAME);

function cleanAliases(aliases: string[]): string[] {
  if (aliases.length > MAX_ALIASES) throw invalidArgument('input.aliases', `at most ${MAX_ALIASES} aliases`);
  return [...new Set(aliases.map((alias, i) => cleanName(`input.aliases[${i}]`, alias)))];
}

async function checkRegion(em: EntityManager, code: string): Promise<string> {
  const trimmed = code.trim();
  if (!isRegionCode(trimmed) || !(await em.findOne(RegionSchema, { code: trimmed }))) {
    throw clientError('UNKNOWN_REGION', `no region has the code '${code}' (see Query.regions)`, { argument: 'input.regionCode' });
  }
  return trimmed;
}

async function checkSector(em: EntityManager, code: string): Promise<string> {
  if (!(await em.findOne(SectorSchema, { code }))) {
    throw clientError('UNKNOWN_SECTOR', `no sector has the code '${code}' (see Query.sectors)`, { argument: 'input.sector' });
  }
  return code;
}

async function checkNameFree(em: EntityManager, regionCode: string, name: string, selfId: number | null): Promise<void> {
  const existing = await em.findOne(AgencySchema, { regionCode, name });
  if (existing && existing.id !== selfId) {
    throw clientError('DUPLICATE_AGENCY_NAME', `region ${regionCode} already has an agency named '${name}' (id ${existing.id})`, {
      argument: 'input.name',
      existingId: String(existing.id),
    });
  }
}

/**
 * Called for every region a write touches, before anything is written; throws to refuse
 * (FORBIDDEN). `what` names the agency or region for the message. Absent for operators at the
 * database (`gongkai ingest`), who hold its credentials.
 */
export type Authorize = (regionCode: string, what: string) => void;

const allowAll: Authorize = () => {};

async function checkPredecessors(em: EntityManager, links: LineageInput[], selfId: number | null) {
  const checked = links.map((link, i) => {
    const id = Number(link.predecessorId);
    if (!Number.isSafeInteger(id) || id < 1) throw invalidArgument(`input.predecessors[${i}].predecessorId`, `'${link.predecessorId}' is not an agency id`);
    if (id === selfId) throw invalidArgument(`input.predecessors[${i}].predecessorId`, 'an agency cannot be its own predecessor');
    return { predecessorId: id, year: yearArgument(`input.predecessors[${i}].year`, link.year)!, kind: link.kind };
  });
  const ids = checked.map((l) => l.predecessorId);
  if (new Set(ids).size !== ids.length) throw invalidArgument('input.predecessors', 'the same predecessor is listed twice');
  const agencies = new Map((await em.find(AgencySchema, { id: { $in: ids } })).map((a) => [a.id, a]));
  const missing = ids.filter((id) => !agencies.has(id));
  if (missing.length) {
    throw clientError('UNKNOWN_AGENCY', `no agency has the id ${missing.join(', ')}`, { argument: 'input.predecessors' });
  }
  if (selfId !== null && ids.length) {
    const successors = await em.find(AgencyLineageSchema, { predecessorId: selfId, successorId: { $in: ids } });
    if (successors.length) {
      throw invalidArgument('input.predecessors', `agency ${successors[0]!.successorId} is already a successor of this agency`);
    }
  }
  return checked.map((link) => ({ ...link, predecessor: agencies.get(link.predecessorId)! }));
}

type CheckedLink = Awaited<ReturnType<typeof checkPredecessors>>[number];

const sameLink = (a: { predecessorId: number; year: number; kind: LineageKind }, b: { predecessorId: number; year: number; kind: LineageKind }) =>
  a.predecessorId === b.predecessorId && a.year === b.year && a.kind === b.kind;

/**
 * A link changes the lineage of both its agencies (the predecessor gains or loses a successor,
 * and the cross-year checks of both follow it): every link added, changed or removed needs the
 * jurisdiction of its predecessor. Links kept as they are need nothing. Returns the regions of
 * the predecessors whose lineage changes.
 */
async function authorizeLineage(em: EntityManager, successorId: number | null, links: CheckedLink[], authorize: Authorize): Promise<string[]> {
  // Read past the identity map: replacePredecessors recreates the links it keeps.
  const current =
    successorId === null
      ? []
      : (
          await sql<{ predecessor_id: number; year: number; kind: LineageKind }>(
            em,
            `select predecessor_id, year, kind from agencies.agency_lineage where successor_id = $1`,
            [successorId],
          )
        ).map((row) => ({ predecessorId: row.predecessor_id, year: row.year, kind: row.kind }));
  const touched: string[] = [];
  for (const link of links) {
    if (current.some((c) => sameLink(c, link))) continue;
    authorize(link.predecessor.regionCode, `the lineage of agency ${link.predecessorId} (${link.predecessor.name}), a predecessor to link`);
    touched.push(link.predecessor.regionCode);
  }
  const removed = current.filter((c) => !links.some((link) => sameLink(c, link)));
  if (!removed.length) return touched;
  const unlinked = await em.find(AgencySchema, { id: { $in: removed.map((c) => c.predecessorId) } });
  for (const agency of unlinked) {
    authorize(agency.regionCode, `the lineage of agency ${agency.id} (${agency.name}), a predecessor to unlink`);
    touched.push(agency.regionCode);
  }
  return touched;
}

/**
 * The write's last statements: its pending rows written, then the regions it changed recorded
 * (every year), so that the change log's lock is held only while the transaction commits.
 */
async function recordDirectoryChanges(tx: EntityManager, regions: readonly string[], extra: readonly Change[] = []): Promise<void> {
  await tx.flush();
  await recordChanges(tx, 'agencies', [...regionChanges(regions.map((code) => [code, null] as const)), ...extra]);
}

function checkActiveYears(activeFrom: number | null, activeTo: number | null): void {
  if (activeFrom !== null && activeTo !== null && activeTo < activeFrom) {
    throw invalidArgument('input.activeTo', `activeTo (${activeTo}) is before activeFrom (${activeFrom})`);
  }
}

/** What an update may change of the agency's own row, to tell whether it changed anything. */
const directoryFields = (agency: Agency): string =>
  JSON.stringify([agency.name, agency.regionCode, agency.sectorCode, agency.activeFrom ?? null, agency.activeTo ?? null, agency.aliases]);

async function replacePredecessors(em: EntityManager, agencyId: number, links: CheckedLink[]) {
  await em.nativeDelete(AgencyLineageSchema, { successorId: agencyId });
  for (const { predecessorId, year, kind } of links) em.create(AgencyLineageSchema, { predecessorId, year, kind, successorId: agencyId });
}

/** Turns the unique index's verdict into the same error the pre-check gives, for concurrent writers. */
async function withDuplicateNameCheck<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw clientError('DUPLICATE_AGENCY_NAME', 'an agency with this name already exists in this region', { argument: 'input.name' });
    }
    throw error;
  }
}

export interface CreateOptions {
  /**
   * CONFIRMED (the default) for agencies an editor creates; PENDING_REVIEW for those ingestion
   * registers from the name the extractor read, until an editor confirms them (confirmAgency).
   */
  reviewStatus?: ReviewStatus;
  authorize?: Authorize;
}

export async function createAgency(em: EntityManager, input: AgencyInput, options: CreateOptions = {}): Promise<Agency> {
  const authorize = options.authorize ?? allowAll;
  return withDuplicateNameCheck(() =>
    em.transactional(async (tx) => {
      const name = cleanName('input.name', input.name ?? '');
      const regionCode = await checkRegion(tx, input.regionCode ?? '');
      authorize(regionCode, `the agencies of region ${regionCode}`);
      const sectorCode = await checkSector(tx, input.sector ?? '');
      const activeFrom = yearArgument('input.activeFrom', input.activeFrom);
      const activeTo = yearArgument('input.activeTo', input.activeTo);
      checkActiveYears(activeFrom, activeTo);
      await checkNameFree(tx, regionCode, name, null);
      const predecessors = await checkPredecessors(tx, input.predecessors ?? [], null);
      const lineageRegions = await authorizeLineage(tx, null, predecessors, authorize);
      const agency = tx.create(AgencySchema, {
        name,
        regionCode,
        sectorCode,
        aliases: cleanAliases(input.aliases ?? []),
        activeFrom,
        activeTo,
        dataOrigin: 'OFFICIAL',
        reviewStatus: options.reviewStatus ?? 'CONFIRMED',
      });
      await tx.flush();
      await replacePredecessors(tx, agency.id, predecessors);
      await recordDirectoryChanges(tx, [regionCode, ...lineageRegions]);
      return agency;
    }),
  );
}

export interface WriteOptions {
  authorize?: Authorize;
}

export async function updateAgency(em: EntityManager, id: number, input: AgencyInput, options: WriteOptions = {}): Promise<Agency> {
  const authorize = options.authorize ?? allowAll;
  return withDuplicateNameCheck(() =>
    em.transactional(async (tx) => {
      // Locked: its region, checked here, cannot change under this write.
      const agency = await tx.findOne(AgencySchema, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!agency) throw clientError('AGENCY_NOT_FOUND', `no agency has the id ${id}`, { argument: 'id' });
      authorize(agency.regionCode, `agency ${id} (${agency.name})`);
      const name = input.name != null ? cleanName('input.name', input.name) : agency.name;
      const regionCode = input.regionCode != null ? await checkRegion(tx, input.regionCode) : agency.regionCode;
      // A move needs the jurisdiction of the region it leaves (above) and of the one it enters.
      if (regionCode !== agency.regionCode) authorize(regionCode, `the agencies of region ${regionCode}`);
      const sectorCode = input.sector != null ? await checkSector(tx, input.sector) : agency.sectorCode;
      const activeFrom = input.activeFrom !== undefined ? yearArgument('input.activeFrom', input.activeFrom) : (agency.activeFrom ?? null);
      const activeTo = input.activeTo !== undefined ? yearArgument('input.activeTo', input.activeTo) : (agency.activeTo ?? null);
      checkActiveYears(activeFrom, activeTo);
      if (name !== agency.name || regionCode !== agency.regionCode) await checkNameFree(tx, regionCode, name, id);
      const predecessors = input.predecessors ? await checkPredecessors(tx, input.predecessors, id) : null;
      const lineageRegions = predecessors ? await authorizeLineage(tx, id, predecessors, authorize) : [];
      const fromRegion = agency.regionCode;
      const before = directoryFields(agency);
      tx.assign(agency, {
        name,
        regionCode,
        sectorCode,
        activeFrom,
        activeTo,
        ...(input.aliases ? { aliases: cleanAliases(input.aliases) } : {}),
      });
      if (predecessors) await replacePredecessors(tx, id, predecessors);
      // a move changes both regions; lineage alone changes both ends of each link
      const own = directoryFields(agency) !== before || lineageRegions.length ? [fromRegion, agency.regionCode] : [];
      // A move to another level changes the hotline's figures by level of the tickets dispatched
      // to it, which come from regions below its own that no change at a region reaches.
      const levelChanged = levelOfCode(fromRegion) !== levelOfCode(agency.regionCode);
      await recordDirectoryChanges(tx, [...own, ...lineageRegions], levelChanged ? [EVERYTHING] : []);
      return agency;
    }),
  );
}

/**
 * An editor confirms an agency that ingestion registered (PENDING_REVIEW): from now on it is an
 * expected filer and its reports count in the rollups. Confirming a confirmed agency changes
 * nothing. A misread name is corrected with updateAgency, before or after.
 */
export async function confirmAgency(em: EntityManager, id: number, options: WriteOptions = {}): Promise<Agency> {
  return em.transactional(async (tx) => {
    const agency = await tx.findOne(AgencySchema, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!agency) throw clientError('AGENCY_NOT_FOUND', `no agency has the id ${id}`, { argument: 'id' });
    (options.authorize ?? allowAll)(agency.regionCode, `agency ${id} (${agency.name})`);
    if (agency.reviewStatus !== 'CONFIRMED') {
      tx.assign(agency, { reviewStatus: 'CONFIRMED' });
      await recordDirectoryChanges(tx, [agency.regionCode]);
    }
    return agency;
  });
}
