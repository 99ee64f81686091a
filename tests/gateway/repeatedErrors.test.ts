// A refusal repeated at every position of a list reaches the client as one error with its count
// (lib/graphql/collapseRepeatedErrors.ts); the data is the same, other errors stay apart.
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLFormattedError } from 'graphql';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { token } from '../support/auth.ts';
import { collapseRepeatedErrors } from '../../lib/graphql/collapseRepeatedErrors.ts';

let hub: TestHub;
let changshaAnalyst: string;

const REPORT_FLAGS = (region: string, extra = '') =>
  `{ agencies(regionCode: "${region}", first: 20) { nodes { id name reports { year flags { code } } } } ${extra} }`;

/** How many reports, i.e. how many `flags` fields, the answer holds. */
const reportCount = (data: any): number => data.agencies.nodes.reduce((sum: number, agency: any) => sum + agency.reports.length, 0);

beforeAll(async () => {
  hub = await startTestHub({ sampleData: true });
  changshaAnalyst = await token({ sub: 'cs-analyst', region: '430100', roles: ['analyst'] });
});

describe('refusals repeated down a list', () => {
  it("gives an anonymous caller one UNAUTHENTICATED error for every report's flags, with the count", async () => {
    const response = await hub.query(REPORT_FLAGS('430100'));
    const reports = reportCount(response.data);
    expect(reports).toBeGreaterThan(1);
    for (const agency of response.data.agencies.nodes) for (const report of agency.reports) expect(report.flags).toBeNull();
    expect(response.errors).toHaveLength(1);
    const [error] = response.errors!;
    expect(error!.extensions?.code).toBe('UNAUTHENTICATED');
    expect(error!.extensions?.count).toBe(reports);
    expect(typeof error!.extensions?.requestId).toBe('string');
    // the path of the first refused position: strings and indices, as GraphQL paths are
    expect(error!.path?.filter((segment) => typeof segment === 'string')).toEqual(['agencies', 'nodes', 'reports', 'flags']);
    expect(error!.path?.every((segment) => typeof segment === 'string' || Number.isInteger(segment))).toBe(true);
    expect(JSON.stringify(response.errors).length).toBeLessThan(1000);
  });

  it('keeps two refused fields as two errors, each with its count', async () => {
    const response = await hub.query(REPORT_FLAGS('430100', 'tickets(regionCode: "430100", year: 2024, first: 3) { totalCount }'));
    expect(response.errors).toHaveLength(2);
    const byField = Object.fromEntries(response.errors!.map((error) => [error.path!.at(-1), error]));
    expect(byField.flags?.extensions?.count).toBe(reportCount(response.data));
    expect(byField.tickets?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(byField.tickets?.extensions?.count).toBeUndefined();
  });

  it('gives an analyst of another region one FORBIDDEN error for the flags of its reports', async () => {
    const response = await hub.query(REPORT_FLAGS('430200'), {}, changshaAnalyst);
    expect(reportCount(response.data)).toBeGreaterThan(1);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions?.code).toBe('FORBIDDEN');
    expect(response.errors![0]!.extensions?.count).toBe(reportCount(response.data));
  });

  it('gives a token holder within the region the flags and no error', async () => {
    const response = await hub.query(REPORT_FLAGS('430100'), {}, changshaAnalyst);
    expect(response.errors).toBeUndefined();
    expect(reportCount(response.data)).toBeGreaterThan(1);
    for (const agency of response.data.agencies.nodes) for (const report of agency.reports) expect(Array.isArray(report.flags)).toBe(true);
  });
});

describe('collapseRepeatedErrors', () => {
  const refusal = (code: string, path: (string | number)[] | undefined, message = 'flags needs a signed-in user', requestId = 'r1'): GraphQLFormattedError =>
    ({ message, ...(path ? { path } : {}), extensions: { code, requestId } });

  it('merges a refusal at other positions, keeping the first and its request id', () => {
    const merged = collapseRepeatedErrors([
      refusal('FORBIDDEN', ['agencies', 'nodes', 0, 'flags']),
      refusal('FORBIDDEN', ['agencies', 'nodes', 1, 'flags'], undefined, 'r2'),
      refusal('FORBIDDEN', ['agencies', 'nodes', 2, 'flags']),
    ]);
    expect(merged).toEqual([{ message: 'flags needs a signed-in user', path: ['agencies', 'nodes', 0, 'flags'], extensions: { code: 'FORBIDDEN', requestId: 'r1', count: 3 } }]);
  });

  it('never merges other codes, other messages, other fields, or errors without a path', () => {
    const errors = [
      refusal('UNAUTHENTICATED', ['a', 0, 'flags']),
      refusal('FORBIDDEN', ['a', 1, 'flags']),
      refusal('UNAUTHENTICATED', ['a', 2, 'flags'], 'another message'),
      refusal('UNAUTHENTICATED', ['a', 3, 'hotline']),
      refusal('UNAUTHENTICATED', undefined),
      refusal('UNAUTHENTICATED', undefined),
      refusal('BAD_USER_INPUT', ['a', 0, 'page']),
      refusal('BAD_USER_INPUT', ['a', 1, 'page']),
      refusal('INTERNAL_SERVER_ERROR', ['a', 0, 'x']),
      refusal('INTERNAL_SERVER_ERROR', ['a', 1, 'x']),
    ];
    expect(collapseRepeatedErrors(errors)).toEqual(errors);
  });
});
