// `gongkai seed --synthetic`: fills every subgraph's tables with a deterministic synthetic
// dataset of a given scale (seed/scales.ts), bulk-loaded with COPY. The seed plays each owner in
// turn — agencies, then reports, then hotline — writing only into that owner's schema, inside
// one transaction per owner that first empties its tables: a failed seed leaves nothing half
// loaded. Every row is marked data_origin = 'SYNTHETIC'. Each owner's transaction ends by
// recording EVERYTHING in that owner's change log (lib/cache/changeLog.ts): a gateway serving
// the database drops every answer it cached of that owner when the load commits.
import pg from 'pg';
import { createProgress } from '../lib/cli/progress.ts';
import { allDivisions, type Division } from '../lib/regions/divisions.ts';
import { copyLine, copyRows, dropForLoad, recreateAfterLoad } from './copy.ts';
import { scaleDivisions, syntheticAgencies, type SyntheticAgency } from './agencies.ts';
import { regionReports, type SyntheticReport } from './reports.ts';
import type { Scale } from './scales.ts';
import { syntheticTickets } from './tickets.ts';
import { openSubgraphDatabase } from '../lib/database/orm.ts';
import { hotlineSubgraph } from '../subgraphs/hotline/subgraph.ts';
import { MARK_EVERY_TICKET_YEAR_STALE, refreshYearRollups } from '../subgraphs/hotline/rollups/yearRollup.ts';
import { recordChangesOnClient } from '../lib/cache/changeLog.ts';
import { EVERYTHING } from '../lib/cache/changes.ts';

export const DEFAULT_SEED = 20261122;

export interface SeedOptions {
  databaseUrl: string;
  scale: Scale;
  seed?: number;
  /** Replace existing agencies, reports and tickets (otherwise the tables must be empty). */
  reset?: boolean;
  /** Progress bars on stderr. */
  progress?: boolean;
  log?: (line: string) => void;
}

export interface SeedSummary {
  scale: string;
  seed: number;
  counts: Record<string, number>;
  /** Seconds per phase. */
  seconds: Record<string, number>;
}

export class SeedRefused extends Error {}

const SYNTHETIC = 'SYNTHETIC';
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const AGENCY_TABLES = ['agencies.agency_lineage', 'agencies.agency'];
const REPORT_TABLES = ['reports.flag', 'reports.figure', 'reports.annual_report', 'reports.document'];
const TICKET_TABLES = ['hotline.ticket_status_change', 'hotline.ticket'];

/** One owner's load, replacing everything of `owner`: recorded as such, last, in its transaction. */
async function inTransaction(client: pg.Client, owner: string, work: () => Promise<void>): Promise<void> {
  await client.query('begin');
  try {
    await work();
    await recordChangesOnClient(client, owner, [EVERYTHING]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

/** Empties an owner's tables and drops what slows a bulk load; returns what re-creates it. */
async function prepareLoad(client: pg.Client, tables: string[], log: (line: string) => void) {
  // tables of the same owner that point at these (the hotline's personal-data read log) are emptied with them
  const { rows } = await client.query<{ name: string }>(
    `select distinct conrelid::regclass::text as name from pg_constraint
      where contype = 'f' and confrelid = any($1::regclass[]) and not conrelid = any($1::regclass[])`,
    [tables],
  );
  if (rows.length) log(`also emptied, as they refer to the replaced rows: ${rows.map((r) => r.name).join(', ')}`);
  await client.query(`truncate ${[...rows.map((r) => r.name), ...tables].join(', ')} restart identity`);
  return dropForLoad(client, tables);
}

const moveIdentity = (client: pg.Client, table: string) =>
  client.query(`select setval(pg_get_serial_sequence('${table}', 'id'), greatest((select max(id) from ${table}), 1))`);

function regionsWithAgencies(divisions: readonly Division[], agencies: readonly SyntheticAgency[]) {
  const byRegion = new Map<string, SyntheticAgency[]>();
  for (const a of agencies) byRegion.set(a.regionCode, [...(byRegion.get(a.regionCode) ?? []), a]);
  return divisions.map((d) => byRegion.get(d.code) ?? []);
}

/** The hotline subgraph's own refresh, as `gongkai hotline refresh-rollups` runs it. */
async function refreshHotlineYearRollup(url: string, progress: (label: string, total: number) => { tick(n?: number): void; done(): void }) {
  const orm = await openSubgraphDatabase({ url, schema: hotlineSubgraph.name, entities: hotlineSubgraph.entities, migrations: hotlineSubgraph.migrations });
  try {
    let bar: ReturnType<typeof progress> | undefined;
    await refreshYearRollups(orm.em.fork(), {
      onProgress: ({ done, total }) => {
        bar ??= progress('hotline year rollup (province-years)', total);
        if (done === total) bar.done();
        else if (done > 0) bar.tick(1);
      },
    });
  } finally {
    await orm.close();
  }
}

export async function seedSynthetic(options: SeedOptions): Promise<SeedSummary> {
  const { scale } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  const log = options.log ?? (() => {});
  const stream = options.progress ? process.stderr : undefined;
  const progress = (label: string, total: number) =>
    stream ? createProgress(label, total, stream) : { tick: () => {}, done: () => {} };
  const divisions = scaleDivisions(scale, allDivisions());
  const { agencies, lineage } = syntheticAgencies(scale, divisions);
  const perRegion = regionsWithAgencies(divisions, agencies);
  const summary: SeedSummary = { scale: scale.name, seed, counts: {}, seconds: {} };
  const timed = async (phase: string, work: () => Promise<void>) => {
    const started = performance.now();
    await work();
    summary.seconds[phase] = Math.round((performance.now() - started) / 100) / 10;
    log(`${phase}: ${summary.seconds[phase]} s`);
  };

  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query(`set maintenance_work_mem = '1GB'`);
    await client.query(`set synchronous_commit = off`);
    const { rows } = await client.query<{ any: boolean }>(
      `select exists (select 1 from agencies.agency) or exists (select 1 from reports.annual_report)
              or exists (select 1 from hotline.ticket) as any`,
    );
    if (rows[0]!.any && !options.reset) {
      throw new SeedRefused('the database already has agencies, reports or tickets; seed an empty database, or give --reset to replace them');
    }

    await timed('agencies', () =>
      inTransaction(client, 'agencies', async () => {
        const dropped = await prepareLoad(client, AGENCY_TABLES, log);
        const bar = progress('agencies', agencies.length);
        summary.counts.agencies = await copyRows(
          client,
          'agencies.agency',
          ['id', 'name', 'aliases', 'sector_code', 'region_code', 'active_from', 'active_to', 'data_origin'],
          (function* () {
            for (const a of agencies) yield copyLine([a.id, a.name, '{}', a.sectorCode, a.regionCode, a.activeFrom, a.activeTo, SYNTHETIC]);
          })(),
          { freeze: true, onRows: (n) => bar.tick(n) },
        );
        bar.done();
        summary.counts.lineage = await copyRows(
          client,
          'agencies.agency_lineage',
          ['predecessor_id', 'successor_id', 'year', 'kind'],
          lineage.map((l) => copyLine([l.predecessorId, l.successorId, l.year, l.kind])),
          { freeze: true },
        );
        await recreateAfterLoad(client, dropped);
        await moveIdentity(client, 'agencies.agency');
      }),
    );

    // Reports: one pass over the (deterministic) generator per table, so that nothing but one
    // region's reports is ever held in memory.
    const reportPass = function* (label: string, line: (report: SyntheticReport) => Iterable<string>) {
      const bar = progress(label, divisions.length);
      let id = 0;
      const nextId = () => ++id;
      for (const regionAgencies of perRegion) {
        for (const report of regionReports(scale, regionAgencies, seed, nextId)) yield* line(report);
        bar.tick(1);
      }
      bar.done();
    };
    await timed('reports', () =>
      inTransaction(client, 'reports', async () => {
        const dropped = await prepareLoad(client, REPORT_TABLES, log);
        summary.counts.reports = await copyRows(
          client,
          'reports.annual_report',
          [
            'id', 'agency_id', 'region_code', 'year', 'version', 'format', 'published_on', 'agency_name', 'content_hash',
            'correction_note', 'data_origin', 'submitted_at', 'superseded_at', 'proactive_total', 'applications_received',
            'granted', 'partial', 'denied', 'reconsiderations', 'reconsiderations_corrected', 'reconsiderations_pending',
            'lawsuits', 'lawsuits_corrected', 'lawsuits_pending', 'fees_amount', 'is_late', 'flag_count',
          ],
          reportPass('reports (annual_report)', (r) => {
            const h = r.headline;
            return [
              copyLine([
                r.id, r.agencyId, r.regionCode, r.year, r.version, r.format, r.publishedOn, r.agencyName, r.contentHash,
                r.correctionNote, SYNTHETIC, r.submittedAt, r.supersededAt, h.proactiveTotal, h.applicationsReceived,
                h.granted, h.partial, h.denied, h.reconsiderations, h.reconsiderationsCorrected, h.reconsiderationsPending,
                h.lawsuits, h.lawsuitsCorrected, h.lawsuitsPending, h.feesAmount, r.isLate, r.flagCount,
              ]),
            ];
          }),
          { freeze: true },
        );
        summary.counts.figures = await copyRows(
          client,
          'reports.figure',
          ['report_id', 'key', 'value'],
          reportPass('reports (figure)', (r) => [...r.figures].map(([key, value]) => copyLine([r.id, key, value]))),
          { freeze: true },
        );
        summary.counts.flags = await copyRows(
          client,
          'reports.flag',
          ['report_id', 'code', 'severity', 'message', 'figure_keys', 'details'],
          reportPass('reports (flag)', (r) =>
            r.flags.map((f) => copyLine([r.id, f.code, f.severity, f.message, `{${f.figureKeys.join(',')}}`, JSON.stringify(f.details)])),
          ),
          { freeze: true },
        );
        await recreateAfterLoad(client, dropped);
        await moveIdentity(client, 'reports.annual_report');
      }),
    );

    await timed('tickets', () =>
      inTransaction(client, 'hotline', async () => {
        const dropped = await prepareLoad(client, TICKET_TABLES, log);
        // The trigger would collect all ten million rows to find their (province, year): the
        // load records those itself below, in the same transaction.
        await client.query(`alter table hotline.ticket disable trigger year_rollup_insert`);
        const bar = progress('tickets', scale.tickets);
        summary.counts.tickets = await copyRows(
          client,
          'hotline.ticket',
          [
            'id', 'line_code', 'platform_id', 'channel_code', 'category_code', 'topic', 'region_code', 'agency_id',
            'dispatch_mode', 'received_at', 'dispatched_at', 'due_at', 'resolved_at', 'closed_at', 'status', 'satisfaction',
            'caller_name_enc', 'caller_phone_enc', 'caller_phone_mac', 'content_enc', 'data_origin',
          ],
          (function* () {
            for (const t of syntheticTickets(scale, divisions, agencies, seed)) {
              yield copyLine([
                t.id, t.lineCode, t.platformId, t.channelCode, t.categoryCode, t.topic, t.regionCode, t.agencyId,
                t.dispatchMode, iso(t.receivedAt), iso(t.dispatchedAt), iso(t.dueAt), iso(t.resolvedAt), iso(t.closedAt),
                t.status, t.satisfaction, t.callerNameEnc, t.callerPhoneEnc, t.callerPhoneMac, t.contentEnc, SYNTHETIC,
              ]);
            }
          })(),
          { freeze: true, onRows: (n) => bar.tick(n) },
        );
        bar.done();
        const history = progress('ticket status history', scale.tickets);
        summary.counts.statusChanges = await copyRows(
          client,
          'hotline.ticket_status_change',
          ['ticket_id', 'status', 'at', 'source'],
          (function* () {
            for (const t of syntheticTickets(scale, divisions, agencies, seed)) {
              for (const e of t.events) yield copyLine([t.id, e.status, iso(e.at), 'synthetic']);
              history.tick(1);
            }
          })(),
          { freeze: true },
        );
        history.done();
        await client.query(`alter table hotline.ticket enable trigger year_rollup_insert`);
        await client.query(MARK_EVERY_TICKET_YEAR_STALE);
        await recreateAfterLoad(client, dropped);
        await moveIdentity(client, 'hotline.ticket');
        await moveIdentity(client, 'hotline.ticket_status_change');
      }),
    );

    await timed('analyze', async () => {
      for (const table of [...AGENCY_TABLES, ...REPORT_TABLES, ...TICKET_TABLES]) await client.query(`vacuum analyze ${table}`);
    });

    await timed('hotline year rollup', () => refreshHotlineYearRollup(options.databaseUrl, progress));
  } finally {
    await client.end();
  }
  return summary;
}
