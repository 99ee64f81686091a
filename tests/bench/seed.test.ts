// `gongkai seed --synthetic` at the tiny scale: the same seed gives the same rows, every row is
// marked synthetic, the flags, lateness and headline columns are those the reports subgraph's
// own code computes from the figures, and the rollups answer on it (equal to the SQL floor).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { runCli } from '../support/cli.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { SCALES } from '../../seed/scales.ts';
import { departmentsOf } from '../../seed/agencies.ts';
import { seedSynthetic, SeedRefused, type SeedSummary } from '../../seed/seed.ts';
import { PROVINCE_DASHBOARD, compareDashboards, dashboardOfResponse, floorDashboard, provinceScope } from '../../bench/dashboard.ts';
import { tableChecks } from '../../subgraphs/reports/oversight/tableChecks.ts';
import { headlineOf } from '../../subgraphs/reports/figures/headline.ts';
import { isLate, reporterKindOfSector } from '../../subgraphs/reports/oversight/deadlines.ts';
import { decryptPersonal } from '../../subgraphs/hotline/personalData/crypto.ts';

const tiny = SCALES.tiny!;

/** A digest of each table's rows, leaving out what is meant to differ (ciphertexts, load times). */
const DIGESTS = {
  agency: `select id, name, sector_code, region_code, active_from, active_to, data_origin from agencies.agency order by id`,
  lineage: `select * from agencies.agency_lineage order by predecessor_id, successor_id`,
  report: `select * from reports.annual_report order by id`,
  figure: `select * from reports.figure order by report_id, key`,
  flag: `select id, report_id, code, severity, message, figure_keys, details from reports.flag order by id`,
  ticket: `select id, line_code, platform_id, channel_code, category_code, topic, region_code, agency_id, dispatch_mode, received_at,
                  dispatched_at, due_at, resolved_at, closed_at, status, satisfaction, caller_phone_mac, data_origin
             from hotline.ticket order by id`,
  history: `select ticket_id, status, at, source from hotline.ticket_status_change order by ticket_id, at, status`,
};

async function digests(client: pg.Client): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, query] of Object.entries(DIGESTS)) {
    const { rows } = await client.query<{ digest: string }>(`select md5(coalesce(string_agg(q::text, '|'), '')) as digest from (${query}) q`);
    out[name] = rows[0]!.digest;
  }
  return out;
}

describe('gongkai seed --synthetic --scale tiny', () => {
  let hub: TestHub;
  let client: pg.Client;
  let summary: SeedSummary;
  beforeAll(async () => {
    hub = await startTestHub();
    // the subgraphs cache nothing across requests: seeding under the running hub is seen at once
    summary = await seedSynthetic({ databaseUrl: hub.databaseUrl, scale: tiny });
    client = new pg.Client({ connectionString: hub.databaseUrl });
    await client.connect();
  });
  afterAll(() => client?.end());

  it('generates every table of every owner', () => {
    expect(summary.counts).toMatchObject({
      agencies: expect.any(Number),
      reports: expect.any(Number),
      figures: expect.any(Number),
      flags: expect.any(Number),
      tickets: tiny.tickets,
    });
    // 宁夏: 1 province, 5 cities, 22 counties, with the agencies of today and their predecessors
    const n = (current: number) => departmentsOf(current).filter(Boolean).length;
    expect(summary.counts.agencies).toBe(n(30) + 5 * n(26) + 22 * n(4));
    expect(summary.counts.reports).toBeGreaterThan(1000);
    expect(summary.counts.flags).toBeGreaterThan(0);
  });

  it('is deterministic: the same seed gives the same rows in another database', async () => {
    const other = await createTestDatabase();
    const again = await seedSynthetic({ databaseUrl: other, scale: tiny });
    expect(again.counts).toEqual(summary.counts);
    const otherClient = new pg.Client({ connectionString: other });
    await otherClient.connect();
    try {
      expect(await digests(otherClient)).toEqual(await digests(client));
    } finally {
      await otherClient.end();
    }
    // another seed, other data
    const third = await createTestDatabase();
    await seedSynthetic({ databaseUrl: third, scale: tiny, seed: 7 });
    const thirdClient = new pg.Client({ connectionString: third });
    await thirdClient.connect();
    try {
      expect((await digests(thirdClient)).report).not.toBe((await digests(client)).report);
    } finally {
      await thirdClient.end();
    }
  });

  it('marks every row synthetic', async () => {
    const { rows } = await client.query(`select
        (select count(*) from agencies.agency where data_origin <> 'SYNTHETIC')::int as agencies,
        (select count(*) from reports.annual_report where data_origin <> 'SYNTHETIC')::int as reports,
        (select count(*) from hotline.ticket where data_origin <> 'SYNTHETIC')::int as tickets`);
    expect(rows[0]).toEqual({ agencies: 0, reports: 0, tickets: 0 });
  });

  it("stores the flags, lateness and headline columns the reports subgraph computes from the figures", async () => {
    const { rows: reports } = await client.query(
      `select r.*, a.sector_code,
              (select json_object_agg(key, value) from reports.figure f where f.report_id = r.id) as figures,
              (select coalesce(json_agg(code order by code), '[]') from reports.flag g where g.report_id = r.id) as codes,
              to_char(r.published_on, 'YYYY-MM-DD') as published
         from reports.annual_report r join directory.agency a on a.id = r.agency_id`,
    );
    const TABLE_CODES = new Set(['APPLICATION_IDENTITY', 'APPLICANT_ROW_TOTAL', 'SUBTOTAL_MISMATCH', 'OUTCOME_TOTAL_MISMATCH', 'REVIEW_TOTAL_MISMATCH']);
    let inconsistent = 0;
    for (const r of reports) {
      const figures = new Map(Object.entries(r.figures as Record<string, number>));
      const expected = tableChecks(figures).map((f) => f.code).sort();
      expect((r.codes as string[]).filter((c) => TABLE_CODES.has(c))).toEqual(expected);
      if (expected.length) inconsistent++;
      expect(r.flag_count).toBe((r.codes as string[]).length);
      expect(r.is_late).toBe(isLate(r.year, reporterKindOfSector(r.sector_code), r.published));
      expect((r.codes as string[]).includes('LATE_PUBLICATION')).toBe(r.is_late === true);
      const headline = headlineOf(figures);
      expect(r.applications_received).toBe(headline.applicationsReceived);
      expect(r.denied).toBe(headline.denied);
      expect(r.lawsuits_pending).toBe(headline.lawsuitsPending);
    }
    expect(inconsistent).toBeGreaterThan(0);
    // corrected reports: the first version superseded, the second current
    const { rows } = await client.query(`select count(*)::int as n from reports.annual_report where superseded_at is not null`);
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it('stores personal data encrypted with the hotline key', async () => {
    const { rows } = await client.query(`select caller_name_enc, caller_phone_enc from hotline.ticket where caller_name_enc is not null limit 3`);
    for (const row of rows) {
      expect(decryptPersonal('caller_name', row.caller_name_enc)).toMatch(/^\p{Script=Han}+$/u);
      expect(decryptPersonal('caller_phone', row.caller_phone_enc)).toMatch(/^1\d{10}$/);
    }
  });

  it('answers the province dashboard through the gateway, equal to the SQL floor', async () => {
    const { data, errors } = await hub.query(PROVINCE_DASHBOARD, { code: '640000', year: 2024 });
    expect(errors).toBeUndefined();
    expect(data.region.disclosure.filed).toBeGreaterThan(100);
    expect(data.region.disclosure.missing).toBeGreaterThan(0);
    expect(data.region.hotline.received).toBeGreaterThan(500);
    // the seed refreshed the hotline year rollup: the gateway read 2024 from it, the floor from the tickets
    const { rows: rollup } = await client.query(
      `select count(*)::int as states, count(*) filter (where refreshed_generation is distinct from generation)::int as stale,
              (select count(*)::int from hotline.year_rollup) as rows
         from hotline.year_rollup_state`,
    );
    expect(rollup[0]).toEqual({ states: 2, stale: 0, rows: expect.any(Number) });
    expect(rollup[0].rows).toBeGreaterThan(100);
    const codes = (await client.query<{ code: string }>(`select code from directory.region where code like '64%'`)).rows.map((r) => r.code);
    expect(compareDashboards(dashboardOfResponse(data), await floorDashboard(client, provinceScope('640000', codes, 2024)))).toEqual([]);
  });

  it('refuses a database that has data, unless told to reset it', async () => {
    await expect(seedSynthetic({ databaseUrl: hub.databaseUrl, scale: tiny })).rejects.toBeInstanceOf(SeedRefused);
    const again = await seedSynthetic({ databaseUrl: hub.databaseUrl, scale: tiny, reset: true });
    expect(again.counts).toEqual(summary.counts);
  });

  it('runs as `gongkai seed`', async () => {
    const databaseUrl = await createTestDatabase();
    const result = runCli(['seed', '--synthetic', '--scale', 'tiny', '--tickets', '300', '--json'], { DATABASE_URL: databaseUrl });
    expect(result.stderr).toContain('reports');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).counts).toMatchObject({ agencies: summary.counts.agencies, tickets: 300 });
    const refused = runCli(['seed', '--scale', 'tiny'], { DATABASE_URL: databaseUrl });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--synthetic');
  });
});
