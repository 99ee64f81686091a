// Read-after-write under load: while the mixed workload runs, an editor re-files one agency's
// report again and again with a new figure, and after each write an anonymous dashboard reads
// the agency's figure and its province's total through the gateway. Every read must show the
// write just committed — the answer cache must never serve what the write changed.
//
// The agency is the benchmark's own (`读写一致性基准局`, created once in a county of the most
// popular province); its report of the latest year gains a version per try. The province's
// total is compared with the total without that report plus the figure just written.
import { SignJWT } from 'jose';
import { tokenConfigFromEnv } from '../gateway/auth/tokens.ts';
import { quantile } from './statistics.ts';

const AGENCY_NAME = '读写一致性基准局';
const KEY = 'applications.received';

export interface ReadAfterWriteResult {
  tries: number;
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

export async function editorToken(env: NodeJS.ProcessEnv): Promise<string> {
  const config = tokenConfigFromEnv(env);
  if (!config.secret) throw new Error('bench read-after-write: GONGKAI_JWT_SECRET is not set');
  return new SignJWT({ region: '000000', roles: ['editor'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench-editor')
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt()
    .setExpirationTime('4h')
    .sign(config.secret);
}

/** `tries` writes, each followed by a read of what it changed. */
export async function probeReadAfterWrite(options: {
  url: string;
  env: NodeJS.ProcessEnv;
  county: string;
  year: number;
  tries: number;
  log: (line: string) => void;
}): Promise<ReadAfterWriteResult> {
  const { url, year } = options;
  const token = await editorToken(options.env);
  const agency = await benchAgency(url, token, options.county);
  const province = `${options.county.slice(0, 2)}0000`;
  const read = async () => {
    const data = await post<Read>(url, READ, { province, agency, year, key: KEY }, null);
    return { total: data.region.disclosure.totals.applicationsReceived, own: data.agency.report?.figure?.value ?? 0 };
  };
  const first = await read();
  // the province without the agency's report: what each read adds the figure just written to
  const others = first.total - first.own;
  const stale: string[] = [];
  const writes: number[] = [];
  const reads: number[] = [];
  let fresh = 0;
  for (let i = 1; i <= options.tries; i++) {
    const value = first.own === 1000 + i ? 5000 + i : 1000 + i;
    const started = performance.now();
    await post(
      url,
      'mutation ($input: SubmitAnnualReportInput!) { submitAnnualReport(input: $input) { outcome } }',
      { input: { agencyId: agency, year, agencyName: AGENCY_NAME, figures: [{ key: KEY, value }] } },
      token,
    );
    const written = performance.now();
    const seen = await read();
    reads.push(performance.now() - written);
    writes.push(written - started);
    if (seen.own === value && seen.total === others + value) fresh++;
    else if (stale.length < 5) stale.push(`try ${i}: wrote ${value}, read ${seen.own} (province ${seen.total}, expected ${others + value})`);
    if (i % 100 === 0) options.log(`read-after-write: ${i}/${options.tries}, ${fresh} fresh`);
  }
  return { tries: options.tries, fresh, stale, writeP50: quantile(writes, 0.5), readP50: quantile(reads, 0.5), readP99: quantile(reads, 0.99) };
}
