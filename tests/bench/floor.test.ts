// The benchmark compares the gateway with the "SQL floor", one hand-written statement computing
// the same numbers (bench/dashboard.ts). This holds it to that: on the start-up sample, the
// floor and the gateway give equal numbers for the province dashboard and the national overview,
// with the floor's hotline figures read from the year rollup and computed from the tickets.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.ts';
import {
  NATIONAL_OVERVIEW,
  PROVINCE_DASHBOARD,
  compareDashboards,
  dashboardOfResponse,
  floorDashboard,
  nationalScope,
  provinceScope,
} from '../../bench/dashboard.ts';

describe('the SQL floor of the benchmark', () => {
  let hub: TestHub;
  let client: pg.Client;
  beforeAll(async () => {
    hub = await startTestHub({ sampleData: true });
    client = new pg.Client({ connectionString: hub.databaseUrl });
    await client.connect();
  });
  afterAll(() => client?.end());

  const codesUnder = async (prefix: string) =>
    (await client.query<{ code: string }>(`select code from directory.region where code like $1 order by code`, [`${prefix}%`])).rows.map((r) => r.code);

  it.each([
    ['320000', 2024],
    ['430000', 2024],
  ])('gives the province dashboard of %s (%i) the gateway gives', async (code, year) => {
    const { data, errors } = await hub.query(PROVINCE_DASHBOARD, { code, year });
    expect(errors).toBeUndefined();
    const gateway = dashboardOfResponse(data);
    const scope = provinceScope(code, await codesUnder(code.slice(0, 2)), year);
    const floor = await floorDashboard(client, scope, 'year-rollup');
    expect(gateway.size).toBeGreaterThan(10);
    expect(compareDashboards(gateway, floor)).toEqual([]);
    expect(compareDashboards(gateway, await floorDashboard(client, scope, 'tickets'))).toEqual([]);
    // the sample has numbers to compare, not only zeros
    expect(floor.get(code)!.disclosure.filed).toBeGreaterThan(0);
    expect(floor.get(code)!.hotline.received).toBeGreaterThan(0);
    expect(floor.get(code)!.hotline['byLevel.COUNTY.received']).toBeGreaterThan(0);
  });

  it('gives the national overview the gateway gives', async () => {
    const { data, errors } = await hub.query(NATIONAL_OVERVIEW, { year: 2024 });
    expect(errors).toBeUndefined();
    const provinces = (await client.query<{ code: string }>(`select code from directory.region where level = 'PROVINCE' order by code`)).rows.map((r) => r.code);
    const floor = await floorDashboard(client, nationalScope(provinces, 2024), 'year-rollup');
    expect(compareDashboards(dashboardOfResponse(data), floor)).toEqual([]);
    expect(compareDashboards(dashboardOfResponse(data), await floorDashboard(client, nationalScope(provinces, 2024), 'tickets'))).toEqual([]);
    expect(floor.get('320000')!.disclosure.agencies).toBeGreaterThan(0);
  });

  it('notices a difference', async () => {
    const { data } = await hub.query(PROVINCE_DASHBOARD, { code: '320000', year: 2024 });
    const floor = await floorDashboard(client, provinceScope('320000', await codesUnder('32'), 2024));
    floor.get('320100')!.hotline.received = Number(floor.get('320100')!.hotline.received) + 1;
    expect(compareDashboards(dashboardOfResponse(data), floor)).toEqual([expect.stringContaining('320100 hotline.received')]);
  });

  it('gives regions of several levels asked side by side (one batch) what the floor gives', async () => {
    const fields = `code disclosure(year: 2024) { agencies filed missing late flagged totals { proactiveTotal applicationsReceived granted partial denied reconsiderations reconsiderationsCorrected lawsuits lawsuitsCorrected feesAmount } rates { denialRate correctionRate filingRate lateRate } byLevel { level agencies filed missing late flagged totals { applicationsReceived denied } } }
      hotline(year: 2024) { received dispatched undispatched resolved overdue onTimeRate satisfactionRate medianHandlingHours byLevel { level received resolved overdue onTimeRate satisfactionRate } }`;
    const codes = ['320000', '320100', '320102', '321200', '430000', '430111'];
    const { data, errors } = await hub.query(`{ ${codes.map((code, i) => `r${i}: region(code: "${code}") { ${fields} }`).join('\n')} }`);
    expect(errors).toBeUndefined();
    const gateway = dashboardOfResponse({ regions: Object.values(data) as never });
    const floor = await floorDashboard(client, { codes, year: 2024, lo: '', hi: '~' });
    expect(compareDashboards(gateway, floor)).toEqual([]);
    expect(floor.get('320100')!.hotline.received).toBeGreaterThan(0);
  });
});
