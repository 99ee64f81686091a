// Read-after-write under load: while the mixed workload runs, editors re-file an agency's report
// again and again with a new figure, and after each write an anonymous dashboard reads the
// agency's figure and its province's total through the gateway. Every read must show the write
// just committed — the answer cache must never serve what the write changed.
//
// One writer per province of `counties` (the most popular ones: their answers are the most
// cached), each with the benchmark's own agency (`读写一致性基准局`, created once in a county of
// it), whose report of the latest year gains a version per try. The province's total is
// compared with the total without that report plus the figure just written: writers of
// different provinces do not disturb each other's totals. Each writer files its first figure
// again at the end, so that the figures the other runs compare are the same before and after.
import { benchToken } from './benchTokens.ts';
import { quantile } from './statistics.ts';

const AGENCY_NAME = '读写一致性基准局';
const KEY = 'applications.received';

export interface ReadAfterWriteResult {
  tries: number;
  /** Tries whose read was answered while the load still ran. */
  duringLoad: number;
  writers: number;
  /** Reads that showed the write before them. */
  fresh: number;
  /** The first few that did not. */
  stale: string[];
  writeP50: number;
  readP50: number;
  readP99: number;
}

async function post<T>(url: string, query: string, variables: Record<string, unknown>, token: string | null): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(`bench read-after-write: ${body.errors?.[0]?.message ?? `HTTP ${response.status}`}`);
  return body.data;
}

const READ = `query ($province: ID!, $agency: ID!, $year: Int!, $key: String!) {
  region(code: $province) { disclosure(year: $year) { totals { applicationsReceived } } }
  agency(id: $agency) { report(year: $year) { figure(key: $key) { value } } }
}`;
interface Read {
  region: { disclosure: { totals: { applicationsReceived: number } } };
  agency: { report: { figure: { value: number } | null } | null };
}

/** The benchmark's agency in `county` (created the first time), as an editor of the whole country. */
async function benchAgency(url: string, token: string, county: string): Promise<string> {
  const found = await post<{ agencies: { nodes: { id: string }[] } }>(
    url,
    'query ($region: ID!, $name: String!) { agencies(regionCode: $region, search: $name, first: 1) { nodes { id } } }',
    { region: county, name: AGENCY_NAME },
    token,
  );
  if (found.agencies.nodes[0]) return found.agencies.nodes[0].id;
  const created = await post<{ createAgency: { id: string } }>(
    url,
    'mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { id } }',
    { input: { name: AGENCY_NAME, regionCode: county, sector: 'GOVERNMENT' } },
    token,
  );
  return created.createAgency.id;
}


interface Tally {
  fresh: number;
  duringLoad: number;
  stale: string[];
  writes: number[];
  reads: number[];
}

/** `tries` writes in all, shared by one writer per county's province, each followed by a read of what it changed. */
export async function probeReadAfterWrite(options: {
  url: string;
  env: NodeJS.ProcessEnv;
  counties: readonly string[];
  year: number;
  tries: number;
  /** Whether the load is still running. */
  loading: () => boolean;
  /** Milliseconds to wait before the first write (the load's own first reads, compared between gateways, see the data as it was). */
  startAfterMs: number;
  log: (line: string) => void;
}): Promise<ReadAfterWriteResult> {
  await new Promise((resolve) => setTimeout(resolve, options.startAfterMs));
  const token = await benchToken(options.env, { subject: 'bench-editor', region: '000000', roles: ['editor'] });
  const tally: Tally = { fresh: 0, duringLoad: 0, stale: [], writes: [], reads: [] };
  const per = Math.ceil(options.tries / options.counties.length);
  await Promise.all(options.counties.map((county) => writeAndRead({ ...options, token, county, tries: per, tally })));
  const tries = per * options.counties.length;
  return {
    tries,
    duringLoad: tally.duringLoad,
    writers: options.counties.length,
    fresh: tally.fresh,
    stale: tally.stale,
    writeP50: quantile(tally.writes, 0.5),
    readP50: quantile(tally.reads, 0.5),
    readP99: quantile(tally.reads, 0.99),
  };
}

async function writeAndRead(options: {
  url: string;
  token: string;
  county: string;
  year: number;
  tries: number;
  tally: Tally;
  loading: () => boolean;
  log: (line: string) => void;
}): Promise<void> {
  const { url, year, token, tally } = options;
  const agency = await benchAgency(url, token, options.county);
  const province = `${options.county.slice(0, 2)}0000`;
  const read = async () => {
    const data = await post<Read>(url, READ, { province, agency, year, key: KEY }, null);
    return { total: data.region.disclosure.totals.applicationsReceived, own: data.agency.report?.figure?.value ?? 0 };
  };
  const first = await read();
  // the province without the agency's report: what each read adds the figure just written to
  const others = first.total - first.own;
  const file = (value: number) =>
    post(
      url,
      'mutation ($input: SubmitAnnualReportInput!) { submitAnnualReport(input: $input) { outcome } }',
      { input: { agencyId: agency, year, agencyName: AGENCY_NAME, figures: [{ key: KEY, value }] } },
      token,
    );
  for (let i = 1; i <= options.tries; i++) {
    const value = first.own === 1000 + i ? 5000 + i : 1000 + i;
    const started = performance.now();
    await file(value);
    const written = performance.now();
    const seen = await read();
    tally.reads.push(performance.now() - written);
    tally.writes.push(written - started);
    if (options.loading()) tally.duringLoad++;
    if (seen.own === value && seen.total === others + value) tally.fresh++;
    else if (tally.stale.length < 5) tally.stale.push(`${province} try ${i}: wrote ${value}, read ${seen.own} (province ${seen.total}, expected ${others + value})`);
  }
  if (first.own > 0) await file(first.own);
  options.log(`read-after-write in ${province}: ${options.tries} tries done`);
}
