// `gongkai subgraph add`'s resilience options on the database route: the timeout, cap, breaker
// and headers are stored with the registration, kept when it is re-registered without them, and a
// header's value is printed by nothing (list, --json, a refusal).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCityHotline, type RunningCityHotline } from '../../examples/city-hotline/server.ts';
import { createTestDatabase, firstRow } from '../support/database.ts';
import { runCliAsync } from '../support/cli.ts';

let databaseUrl: string;
let city: RunningCityHotline;
const SECRET = 'Bearer province-token-77aa';

const gongkai = (...args: string[]) => runCliAsync(['subgraph', ...args], { DATABASE_URL: databaseUrl });

const settingsRow = () =>
  firstRow(databaseUrl, `select timeout_ms, max_concurrency, breaker_failures, breaker_cooldown_ms, outbound_headers from registry.subgraph where name = 'city_hotline'`);

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  city = await startCityHotline({ port: 0 });
});
afterAll(async () => {
  await city.stop();
});

describe('gongkai subgraph add with resilience settings', () => {
  it('stores the timeout, cap, breaker and headers, and shows no header value', async () => {
    const added = await gongkai('add', 'city_hotline', city.url, '--region', '430100', '--timeout-ms', '800', '--max-concurrency', '4', '--breaker-failures', '2', '--breaker-cooldown-ms', '9000', '--header', `Authorization: ${SECRET}`);
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(await settingsRow()).toEqual({ timeout_ms: 800, max_concurrency: 4, breaker_failures: 2, breaker_cooldown_ms: 9000, outbound_headers: { Authorization: SECRET } });
    for (const listed of [await gongkai('list'), await gongkai('list', '--json'), added]) expect(listed.stdout + listed.stderr).not.toContain('province-token');
  });

  it('keeps them when re-registered without them, and changes only what is given', async () => {
    const again = await gongkai('add', 'city_hotline', city.url, '--region', '430100', '--timeout-ms', '1200');
    expect(again.status).toBe(0);
    expect(await settingsRow()).toEqual({ timeout_ms: 1200, max_concurrency: 4, breaker_failures: 2, breaker_cooldown_ms: 9000, outbound_headers: { Authorization: SECRET } });
  });

  it('refuses a value out of range or a bad header without registering or repeating the value', async () => {
    const slow = await gongkai('add', 'city_hotline', city.url, '--region', '430100', '--timeout-ms', '999999');
    expect(slow.status).toBe(2);
    expect(slow.stderr).toMatch(/timeoutMs is 50 to 60000/);
    const host = await gongkai('add', 'city_hotline', city.url, '--region', '430100', '--header', 'Host: evil.example');
    expect(host.status).toBe(2);
    expect(host.stderr).toMatch(/Host is set by the gateway itself/);
    const noColon = await gongkai('add', 'city_hotline', city.url, '--region', '430100', '--header', 'Bearer-secret-value');
    expect(noColon.status).toBe(2);
    expect(noColon.stderr).not.toContain('secret-value');
    expect((await settingsRow()).timeout_ms).toBe(1200);
  });
});
