// The sample tickets of the first start wait for the agencies subgraph's directory.
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { hotlineSubgraph } from '../../subgraphs/hotline/subgraph.ts';
import { agenciesSubgraph } from '../../subgraphs/agencies/subgraph.ts';
import { loadSampleTickets, SAMPLE_TICKET_COUNT } from '../../subgraphs/hotline/sample/sampleTickets.ts';
import { openOrm, query, useTestKey } from './support.ts';

useTestKey();

const ticketCount = async (url: string) => (await query<{ n: number }>(url, `select count(*)::int as n from hotline.ticket`))[0]!.n;
const fingerprint = async (url: string) =>
  (await query<{ f: string }>(
    url,
    `select md5(string_agg(concat_ws('|', platform_id, line_code, region_code, received_at, agency_id, status, satisfaction, data_origin), ',' order by platform_id)) as f from hotline.ticket`,
  ))[0]!.f;

describe('sample tickets on first start', () => {
  it('skip with a log line when no agency appears in time, and when the directory is not there at all', async () => {
    const url = await createTestDatabase();
    const orm = await openOrm(url, hotlineSubgraph);
    const logs: string[] = [];
    expect(await loadSampleTickets(orm.em.fork(), { log: (l) => logs.push(l), waitMs: 300, pollMs: 50 })).toBe(0);
    await query(url, 'drop schema directory cascade');
    expect(await loadSampleTickets(orm.em.fork(), { log: (l) => logs.push(l), waitMs: 300, pollMs: 50 })).toBe(0);
    expect(logs).toEqual([expect.stringMatching(/^sample tickets skipped: directory.agency still had no agencies after 0.3s/), expect.stringMatching(/^sample tickets skipped/)]);
    expect(await ticketCount(url)).toBe(0);
  });

  it('wait for the agencies subgraph started alongside, then load the same tickets on every machine', async () => {
    const fingerprints: string[] = [];
    for (let run = 0; run < 2; run++) {
      const url = await createTestDatabase();
      const hotline = await openOrm(url, hotlineSubgraph);
      const agencies = await openOrm(url, agenciesSubgraph);
      const logs: string[] = [];
      // hotline first, agencies' directory 1.5 s later: as when `gongkai start` runs them in parallel
      const loading = hotlineSubgraph.bootstrap!(hotline, { sampleData: true, serving: false, log: (l) => logs.push(l) });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await ticketCount(url)).toBe(0);
      await agenciesSubgraph.bootstrap!(agencies, { sampleData: true, serving: false, log: () => {} });
      await loading;
      expect(logs).toEqual([`sample data: ${SAMPLE_TICKET_COUNT} hotline tickets (marked SAMPLE)`]);
      expect(await ticketCount(url)).toBe(SAMPLE_TICKET_COUNT);
      // the next start finds tickets and leaves them
      await hotlineSubgraph.bootstrap!(hotline, { sampleData: true, serving: false, log: (l) => logs.push(l) });
      expect(await ticketCount(url)).toBe(SAMPLE_TICKET_COUNT);
      fingerprints.push(await fingerprint(url));
    }
    expect(fingerprints[0]).toBe(fingerprints[1]);
  }, 60_000);
});
