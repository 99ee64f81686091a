// Stores a checked submission as a new version of the agency's report for the year, in one
// transaction: the previous version is marked superseded (never changed otherwise), figures,
// flags and the extractor's self-check are written with it, and the next year's report has its cross-year flags recomputed.
//
// What a stored report changed goes into the reports' change log (lib/cache/changeLog.ts), as
// the transaction's last statement: its region in its year (and the superseded version's, if the
// agency has moved since), and the year after — the next year's report compares with it
// (previous, changes, cross-year flags) — at the regions of the agency, of its lineage
// successors (whose next report may compare with it) and of the next year's reports as stored.
import type { EntityManager } from '@mikro-orm/postgresql';
import { clientError, invalidArgument } from '../../../lib/graphql/errors.ts';
import { sql } from '../../../lib/database/sql.ts';
import { recordChanges } from '../../../lib/cache/changeLog.ts';
import { regionChanges, type Change } from '../../../lib/cache/changes.ts';
import { headlineOf } from '../figures/headline.ts';
import { isLate, reporterKindOfSector } from '../oversight/deadlines.ts';
import { neighbourReport } from '../oversight/comparableReports.ts';
import { crossYearChecks, type PreviousReport } from '../oversight/crossYearChecks.ts';
import { extractionWarningFlags } from '../oversight/extractionWarnings.ts';
import { SEVERITY_RANK, type OversightFlag } from '../oversight/flag.ts';
import { proseChecks } from '../oversight/proseChecks.ts';
import { selfCheckFlags } from '../oversight/selfCheck.ts';
import { tableChecks } from '../oversight/tableChecks.ts';
import { timelinessChecks } from '../oversight/timelinessChecks.ts';
import type { CheckedFigure, CheckedSubmission } from './submission.ts';

export type StoreOutcome = 'CREATED' | 'NEW_VERSION' | 'UNCHANGED';

export interface StoredReport {
  reportId: number;
  version: number;
  outcome: StoreOutcome;
  flags: OversightFlag[];
}

const CROSS_YEAR_CODES = ['CARRY_OVER_CHAIN', 'CUMULATIVE_DECREASE', 'NEAR_DUPLICATE_TEXT'];

interface DirectoryAgency {
  id: number;
  name: string;
  sector_code: string;
  region_code: string;
}

const valuesOf = (figures: CheckedFigure[]) => new Map(figures.map((f) => [f.key, f.value]));
const countsAsFlagged = (flags: OversightFlag[]) => flags.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.WARNING).length;

async function directoryAgency(tx: EntityManager, agencyId: number): Promise<DirectoryAgency> {
  const [agency] = await sql<DirectoryAgency>(tx, `select id, name, sector_code, region_code from directory.agency where id = $1`, [agencyId]);
  if (!agency) throw clientError('UNKNOWN_AGENCY', `no agency has the id ${agencyId}`, { argument: 'input.agencyId' });
  return agency;
}

async function documentText(tx: EntityManager, documentId: number | null): Promise<string | null> {
  if (documentId === null) return null;
  const [document] = await sql<{ text: string | null }>(tx, `select text from reports.document where id = $1`, [documentId]);
  if (!document) throw clientError('UNKNOWN_DOCUMENT', `no stored document has the id ${documentId}`, { argument: 'input.documentId' });
  return document.text;
}

async function insertFlags(tx: EntityManager, reportId: number, flags: OversightFlag[]): Promise<void> {
  if (!flags.length) return;
  await sql(
    tx,
    `insert into reports.flag (report_id, code, severity, message, figure_keys, details)
     select $1, code, severity, message, array(select jsonb_array_elements_text(keys)), details
       from unnest($2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[]) as f(code, severity, message, keys, details)`,
    [
      reportId,
      flags.map((f) => f.code),
      flags.map((f) => f.severity),
      flags.map((f) => f.message),
      flags.map((f) => JSON.stringify(f.figureKeys)),
      flags.map((f) => JSON.stringify(f.details)),
    ],
  );
}

/** The next year's report of the same origin was checked against a different predecessor (or none): check it again. */
async function recheckNextYear(tx: EntityManager, agencyId: number, year: number, stored: PreviousReport, origin: string): Promise<void> {
  const next = await neighbourReport(tx, agencyId, year + 1, 'next', origin);
  if (!next) return;
  const flags = crossYearChecks(next.figures, next.text, stored);
  await sql(tx, `delete from reports.flag where report_id = $1 and code = any($2::text[])`, [next.id, CROSS_YEAR_CODES]);
  await insertFlags(tx, next.id, flags);
  await sql(
    tx,
    `update reports.annual_report set flag_count = (select count(*) from reports.flag where report_id = $1 and severity in ('WARNING', 'ERROR')) where id = $1`,
    [next.id],
  );
}

/** A report written but not yet recorded in the change log: the caller records `changes` last. */
export interface WrittenReport extends StoredReport {
  changes: Change[];
}

/** Where the next year's comparisons with this agency's report live (see the top of this file). */
async function nextYearRegions(tx: EntityManager, agencyId: number, year: number): Promise<string[]> {
  const rows = await sql<{ region_code: string }>(
    tx,
    `with compared as (
       select $1::int as agency_id
       union
       select successor_id from directory.agency_lineage where predecessor_id = $1
     )
     select a.region_code from directory.agency a join compared c on c.agency_id = a.id
     union
     select r.region_code from reports.annual_report r join compared c on c.agency_id = r.agency_id
      where r.year = $2 and r.superseded_at is null`,
    [agencyId, year + 1],
  );
  return rows.map((row) => row.region_code);
}

/** Stores a submission in its own transaction, its changes recorded as the last statement. */
export async function storeReport(em: EntityManager, submission: CheckedSubmission): Promise<StoredReport> {
  return em.transactional(async (tx) => {
    const { changes, ...stored } = await writeReport(tx, submission);
    await recordChanges(tx, 'reports', changes);
    return stored;
  });
}

/** Writes a submission in the caller's transaction `tx`, which records the changes it returns. */
export async function writeReport(tx: EntityManager, submission: CheckedSubmission): Promise<WrittenReport> {
  const agency = await directoryAgency(tx, submission.agencyId);
  if (submission.regionCode && submission.regionCode !== agency.region_code) {
    throw invalidArgument('input.regionCode', `agency ${agency.id} (${agency.name}) belongs to region ${agency.region_code}, not ${submission.regionCode}`);
  }
  const text = await documentText(tx, submission.documentId);

  // One writer per agency and year at a time: versions are numbered without gaps or clashes.
  await sql(tx, `select pg_advisory_xact_lock($1, $2)`, [submission.agencyId, submission.year]);
  const [current] = await sql<{ id: number; version: number; content_hash: string; region_code: string }>(
    tx,
    `select id, version, content_hash, region_code from reports.annual_report where agency_id = $1 and year = $2 and superseded_at is null`,
    [submission.agencyId, submission.year],
  );
  if (current?.content_hash === submission.contentHash) {
    return { reportId: current.id, version: current.version, outcome: 'UNCHANGED', flags: [], changes: [] };
  }
  const [{ version }] = (await sql<{ version: number }>(
    tx,
    `select coalesce(max(version), 0) + 1 as version from reports.annual_report where agency_id = $1 and year = $2`,
    [submission.agencyId, submission.year],
  )) as [{ version: number }];
  if (current) await sql(tx, `update reports.annual_report set superseded_at = now() where id = $1`, [current.id]);

  const figures = valuesOf(submission.figures);
  const reporter = reporterKindOfSector(agency.sector_code);
  const previous = await neighbourReport(tx, submission.agencyId, submission.year - 1, 'previous', submission.dataOrigin);
  const flags = [
    ...tableChecks(figures),
    ...proseChecks(figures, valuesOf(submission.proseFigures)),
    ...timelinessChecks(submission.year, reporter, submission.publishedOn),
    ...crossYearChecks(figures, text, previous),
    ...extractionWarningFlags(submission.warnings),
    ...selfCheckFlags(submission.selfCheck),
  ];
  const headline = headlineOf(figures);

  const [{ id }] = (await sql<{ id: number }>(
    tx,
    `insert into reports.annual_report (
       agency_id, region_code, year, version, format, published_on, agency_name, document_id, content_hash,
       correction_note, data_origin, proactive_total, applications_received, granted, partial, denied,
       reconsiderations, reconsiderations_corrected, reconsiderations_pending, lawsuits, lawsuits_corrected,
       lawsuits_pending, fees_amount, is_late, flag_count,
       self_check_template, self_check_coverage, self_check_consistency, self_check_identities)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25,
             $26, $27, $28, $29)
     returning id`,
    [
      submission.agencyId,
      agency.region_code,
      submission.year,
      version,
      submission.format,
      submission.publishedOn,
      submission.agencyName,
      submission.documentId,
      submission.contentHash,
      submission.correctionNote,
      submission.dataOrigin,
      headline.proactiveTotal,
      headline.applicationsReceived,
      headline.granted,
      headline.partial,
      headline.denied,
      headline.reconsiderations,
      headline.reconsiderationsCorrected,
      headline.reconsiderationsPending,
      headline.lawsuits,
      headline.lawsuitsCorrected,
      headline.lawsuitsPending,
      headline.feesAmount,
      isLate(submission.year, reporter, submission.publishedOn),
      countsAsFlagged(flags),
      submission.selfCheck?.template ?? null,
      submission.selfCheck?.coverage ?? null,
      submission.selfCheck?.consistency ?? null,
      submission.selfCheck?.identitiesChecked ?? null,
    ],
  )) as [{ id: number }];

  if (submission.figures.length) {
    const f = submission.figures;
    await sql(
      tx,
      `insert into reports.figure (report_id, key, value, approx, source_text, source_start, source_end)
       select $1, * from unnest($2::text[], $3::float8[], $4::bool[], $5::text[], $6::int[], $7::int[])`,
      [
        id,
        f.map((x) => x.key),
        f.map((x) => x.value),
        f.map((x) => x.approx),
        f.map((x) => x.source?.text ?? null),
        f.map((x) => x.source?.start ?? null),
        f.map((x) => x.source?.end ?? null),
      ],
    );
  }
  await insertFlags(tx, id, flags);
  await recheckNextYear(tx, submission.agencyId, submission.year, { id, year: submission.year, figures, text }, submission.dataOrigin);
  const changes = regionChanges([
    [agency.region_code, submission.year],
    ...(current ? [[current.region_code, submission.year] as const] : []),
    ...(await nextYearRegions(tx, submission.agencyId, submission.year)).map((code) => [code, submission.year + 1] as const),
  ]);
  return { reportId: id, version, outcome: current ? 'NEW_VERSION' : 'CREATED', flags, changes };
}
