import { beforeAll, describe, expect, it } from 'vitest';
import { refreshYearRollups } from '../../subgraphs/hotline/rollups/yearRollup.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
beforeAll(async () => {
  // counts the SQL statements of each request: every request must reach the subgraphs
  hub = await startTestHub({ answerCache: false });
});

describe('one Region across three subgraphs', () => {
  it('mixes fields of agencies, reports and hotline in one query', async () => {
    const { data, errors } = await hub.query(`{
      region(code: "320800") {
        name
        disclosure(year: 2024) { agencies filed }
        hotlineTicketsReceived(year: 2024)
        children { code disclosure(year: 2024) { filed } hotlineTicketsReceived(year: 2024) }
      }
    }`);
    expect(errors).toBeUndefined();
    expect(data.region.name).toBe('淮安市');
    expect(data.region.disclosure).toEqual({ agencies: 0, filed: 0 });
    expect(data.region.hotlineTicketsReceived).toBe(0);
    expect(data.region.children.length).toBeGreaterThan(5);
  });

  it('counts tickets in the whole subtree, batched across regions', async () => {
    const hotline = hub.subgraphs.hotline.orm.em.fork();
    await hotline.getConnection().execute(
      `insert into hotline.ticket (line_code, platform_id, region_code, received_at) values
         ('12345', 'T1', '320813', '2024-03-01T10:00:00+08:00'),
         ('12345', 'T2', '320813', '2024-12-31T23:30:00+08:00'),
         ('12345', 'T3', '320813', '2025-01-01T00:10:00+08:00'),
         ('12345', 'T4', '320800', '2024-06-01T10:00:00+08:00')`,
    );
    const { response, statements } = await hub.countedQuery(`{
      province: region(code: "320000") { disclosure(year: 2024) { filed } hotlineTicketsReceived(year: 2024)
        children { code disclosure(year: 2024) { filed } hotlineTicketsReceived(year: 2024) } }
    }`);
    const { province } = response.data;
    expect(province.hotlineTicketsReceived).toBe(3);
    const huaian = province.children.find((c: { code: string }) => c.code === '320800');
    expect(huaian).toEqual({ code: '320800', disclosure: { filed: 0 }, hotlineTicketsReceived: 3 });
    // province, its children, then one batch per subgraph field for the province and one for
    // all its children: the count does not grow with the number of children. The tickets were
    // written just now, so 2024 is stale in the hotline year rollup: each hotline batch reads
    // it, then counts from the tickets (2 statements).
    expect(statements).toBe(8);
    await refreshYearRollups(hotline);
    const refreshed = await hub.countedQuery(`{ region(code: "320000") { hotlineTicketsReceived(year: 2024) children { hotlineTicketsReceived(year: 2024) } } }`);
    expect(refreshed.response.data.region.hotlineTicketsReceived).toBe(3);
    // region, children, and one read of the rollup per batch
    expect(refreshed.statements).toBe(4);
  });
});
