// gongkai backup and gongkai restore: a hub with the sample data (agencies, reports with figures
// and flags, hotline tickets with encrypted personal data, the year rollup) is backed up while it
// runs, restored into a new data directory's embedded Postgres, and a hub on the restored data
// answers the same queries with the same JSON. Then what restore refuses, with nothing written.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { knownSchemas } from '../../cli/commands/restore.ts';
import { startGateway } from '../../gateway/server.ts';
import { gatewayLimitsFromEnv } from '../../gateway/limits/config.ts';
import { newInternalKey } from '../../lib/auth/internalSignature.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config.ts';
import { emptyTables, migrateToBackup, restoreBackup } from '../../lib/database/backup/restoreBackup.ts';
import { inspectBackup } from '../../lib/database/backup/readBackup.ts';
import { writeBackup } from '../../lib/database/backup/writeBackup.ts';
import { dropDatabase, ensureDatabase } from '../../lib/database/createDatabase.ts';
import { startEmbeddedPostgres } from '../../lib/database/embeddedPostgres.ts';
import { databaseUrl } from '../../lib/database/urls.ts';
import { startSubgraph, type RunningSubgraph } from '../../lib/runtime/subgraph.ts';
import { SUBGRAPH_MODULES } from '../../subgraphs/modules.ts';
import { ADMIN, testTokenConfig } from '../support/auth.ts';
import { projectRoot } from '../support/cli.ts';
import { postGraphQL, startTestHub, type TestHub } from '../support/hub.ts';
import { freePort } from '../support/ports.ts';

/** The last line of stderr: a command's error, one line with its code, no stack above it. */
function errorLine(run: Run): string {
  expect(run.stderr).not.toMatch(/^\s+at /m);
  return run.stderr.trim().split('\n').at(-1)!;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The gongkai bin, without blocking this process (its hub answers meanwhile). */
function gongkai(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', join(projectRoot, 'bin/gongkai.js'), ...args],
      { cwd: projectRoot, env: { ...process.env, ...env }, timeout: 180_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

async function query(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

const hubSchemas = (url: string) =>
  query(url, `select nspname from pg_namespace where nspname in ('agencies', 'directory', 'reports', 'hotline', 'registry')`);

/** A gateway and the three subgraphs on a database of our own (the restored one). */
async function startHubOn(url: string): Promise<{ url: string; close(): Promise<void> }> {
  const internalKey = Buffer.from(newInternalKey(), 'base64');
  const running: RunningSubgraph[] = [];
  for (const module of SUBGRAPH_MODULES) running.push(await startSubgraph(module, { databaseUrl: url, port: 0, internalKey, log: () => {} }));
  const urls = Object.fromEntries(running.map((s) => [s.name, s.url])) as Record<SubgraphName, string>;
  const gateway = await startGateway({
    port: 0,
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, urls[name]])) as Record<SubgraphName, string>,
    internalKey,
    tokens: testTokenConfig(),
    limits: { ...gatewayLimitsFromEnv(), ratePerSecond: 0 },
    registry: null,
  });
  return {
    url: gateway.url,
    async close() {
      await gateway.close();
      await Promise.all(running.map((s) => s.close()));
    },
  };
}

// Rollups per region, agency list counts, reports with their figures and flags, hotline figures,
// a page of tickets with the callers' data in clear (decrypted with the same key).
const QUERIES = [
  `{ huaian: region(code: "320800") {
      name
      disclosure(year: 2024) { agencies filed missing late flagged totals { applicationsReceived granted denied feesAmount } }
      hotline(year: 2024) { received overdue onTimeRate byLevel { level received } }
    }
    hunan: region(code: "430000") {
      disclosure(year: 2023) { agencies filed missing late flagged byLevel { level filed } }
      hotline(year: 2023) { received overdue onTimeRate }
      children { code hotline(year: 2024) { received } disclosure(year: 2022) { filed } }
    } }`,
  `{ agencies(regionCode: "430000", includeSubtree: true, first: 5) { totalCount nodes { id name level dataOrigin } }
     huaian: region(code: "320800") { agencies { id name dataOrigin reports { id year version isLate } } } }`,
  `{ tickets(regionCode: "320000", year: 2024, first: 20) {
      edges { node { id platformId callerName callerPhone text receivedAt resolvedAt status statusHistory { status at } } } } }`,
];

/** Reports with flags and the most figures, asked for one by one. */
const reportQuery = (id: number) => `{ annualReport(id: "${id}") { agencyName year isLate figures { key value } flags { code severity message } } }`;

let source: TestHub;
let dir: string;
let file: string;
let backupSummary: any;
let empty: string;

beforeAll(async () => {
  source = await startTestHub({ sampleData: true, registry: { pollMs: 60_000, healthMs: 60_000 } });
  dir = mkdtempSync(join(tmpdir(), 'gongkai-backup-'));
  file = join(dir, 'hub.sql');
  empty = databaseUrl(inject('pgServerUrl'), `gongkai_test_empty_${process.pid}`);
  await ensureDatabase(empty);
});

afterAll(async () => {
  await dropDatabase(empty);
  rmSync(dir, { recursive: true, force: true });
});

// a CLI run starts Node, connects, migrates: slow on a busy machine
describe('gongkai backup', { timeout: 180_000 }, () => {
  it('writes one consistent pg_dump plain-format, data-only file of every schema while the hub runs', async () => {
    const run = await gongkai(['backup', file, '--json'], { DATABASE_URL: source.databaseUrl });
    // stderr holds only progress (shown for tables over 200 000 rows)
    for (const line of run.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^backup [a-z_]+\.[a-z_]+ \d+\/\d+ \(\d+%\)/);
    expect(run.status).toBe(0);
    backupSummary = JSON.parse(run.stdout);
    expect(backupSummary).toMatchObject({ ok: true, exitCode: 0, file });
    expect(Object.keys(backupSummary.schemas).sort()).toEqual(['agencies', 'hotline', 'registry', 'reports']);
    const rows = Object.fromEntries(backupSummary.tables.map((t: { table: string; rows: number }) => [t.table, t.rows]));
    const [counts] = (await query(
      source.databaseUrl,
      `select (select count(*)::int from hotline.ticket) as tickets, (select count(*)::int from reports.figure) as figures,
              (select count(*)::int from agencies.agency) as agencies, (select count(*)::int from hotline.year_rollup) as rollup`,
    )) as { tickets: number; figures: number; agencies: number; rollup: number }[];
    expect(counts!.tickets).toBeGreaterThan(1000);
    expect(rows).toMatchObject({ 'hotline.ticket': counts!.tickets, 'reports.figure': counts!.figures, 'agencies.agency': counts!.agencies, 'hotline.year_rollup': counts!.rollup });
    expect(readdirSync(dir)).toEqual(['hub.sql']); // the temporary file was renamed

    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('--\n-- PostgreSQL database dump\n--\n')).toBe(true);
    expect(text.trimEnd().endsWith('-- PostgreSQL database dump complete\n--')).toBe(true);
    expect(text).toMatch(/^COPY hotline\.ticket \(id, line_code, platform_id, .*\) FROM stdin;$/m);
    expect(text).toMatch(/^COPY agencies\.sector \(code, name, "position"\) FROM stdin;$/m);
    expect(text).toMatch(/^SELECT pg_catalog\.setval\('agencies\.agency_id_seq', [0-9]+, true\);$/m);
    expect(text).toMatch(/^-- gongkai migrations hotline: Migration20261122000000Initial /m);
    // personal data stays encrypted: bytea, never a caller's phone number in clear
    expect(text).not.toMatch(/\t1[3-9][0-9]{9}\t/);
  });

  it('writes no file of a database without the hub\'s schemas', async () => {
    const nothing = join(dir, 'nothing.sql');
    await expect(writeBackup({ url: empty, file: nothing })).rejects.toMatchObject({ code: 'BACKUP_NOTHING_TO_SAVE' });
    expect(readdirSync(dir)).toEqual(['hub.sql']);
  });
});

describe('gongkai restore', { timeout: 180_000 }, () => {
  it('restores into an empty data directory, and a hub on it answers the same queries with the same JSON', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-restored-'));
    let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
    let hub: Awaited<ReturnType<typeof startHubOn>> | undefined;
    onTestFinished(async () => {
      await hub?.close();
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const port = await freePort();
    const run = await gongkai(['restore', file, '--json'], { DATABASE_URL: '', GONGKAI_DATA_DIR: dataDir, GONGKAI_PG_PORT: String(port) });
    expect(run.stderr).not.toContain('gongkai:');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ ok: true, exitCode: 0, rows: backupSummary.rows, tables: backupSummary.tables });
    for (const schema of Object.values(summary.schemas) as { upgradedWith: string[] }[]) expect(schema.upgradedWith).toEqual([]);

    server = await startEmbeddedPostgres({ dir: join(dataDir, 'postgres'), port });
    // backed up again before a hub writes anything there: the same file, row for row
    const again = join(dataDir, 'again.sql');
    await writeBackup({ url: databaseUrl(server.serverUrl, 'gongkai'), file: again });
    const withoutTime = (path: string) => readFileSync(path, 'utf8').replace(/^-- Snapshot taken .*$/m, '');
    expect(withoutTime(again) === withoutTime(file)).toBe(true);
    hub = await startHubOn(databaseUrl(server.serverUrl, 'gongkai'));
    const reports = (await query(
      source.databaseUrl,
      `select r.id from reports.annual_report r where r.flag_count > 0 order by (select count(*) from reports.figure f where f.report_id = r.id) desc, r.id limit 3`,
    )) as { id: number }[];
    expect(reports).toHaveLength(3);
    for (const text of [...QUERIES, ...reports.map((r) => reportQuery(r.id))]) {
      const before = await source.query(text, {}, ADMIN);
      const after = await postGraphQL(hub.url, text, {}, ADMIN);
      expect(before.errors).toBeUndefined();
      expect(after.data).toEqual(before.data);
    }
    const { data } = await source.query(QUERIES[2]!, {}, ADMIN);
    // the sample's callers, decrypted on both sides
    expect(data.tickets.edges.some((e: any) => e.node.callerPhone && !e.node.callerPhone.includes('*'))).toBe(true);
  });

  it('refuses a database that already has the hub\'s schemas, with exit 2 and nothing merged', async () => {
    const [before] = (await query(source.databaseUrl, 'select count(*)::int as n from hotline.ticket')) as { n: number }[];
    const run = await gongkai(['restore', file], { DATABASE_URL: source.databaseUrl });
    expect(run.status).toBe(2);
    expect(errorLine(run)).toMatch(/^gongkai: restore: the database already has the hub's schemas .*\(RESTORE_TARGET_NOT_EMPTY\)$/);
    expect(await query(source.databaseUrl, 'select count(*)::int as n from hotline.ticket')).toEqual([before]);
  });

  it('refuses a cut-short file before it touches the database', async () => {
    const cut = join(dir, 'cut.sql');
    const whole = readFileSync(file);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const run = await gongkai(['restore', cut], { DATABASE_URL: empty });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(errorLine(run)).toMatch(/^gongkai: restore: .*cut\.sql stops before the end of the dump .* cut short .*\(BACKUP_FILE_INCOMPLETE\)$/);
    expect(await hubSchemas(empty)).toEqual([]);
  });

  // The cases below call what the command calls, in this process (a CLI run costs seconds).
  const known = knownSchemas();
  const restoreInto = async (url: string, path: string) => restoreBackup({ url, info: await inspectBackup(path), known });

  it('refuses a file whose rows do not load, naming the line and column, and leaves the database empty', async () => {
    const damaged = join(dir, 'damaged.sql');
    const lines = readFileSync(file, 'utf8').split('\n');
    const copy = lines.findIndex((line) => line.startsWith('COPY hotline.ticket '));
    lines[copy + 2] = lines[copy + 2]!.replace(/\t[0-9]{4}-[0-9]{2}-[0-9]{2} [^\t]+/, '\tnot a time');
    writeFileSync(damaged, lines.join('\n'));
    await expect(restoreInto(empty, damaged)).rejects.toMatchObject({
      code: 'BACKUP_FILE_UNREADABLE',
      message: expect.stringMatching(new RegExp(`damaged\\.sql, line ${copy + 3}: the rows of hotline\\.ticket do not load \\(column received_at: .*; nothing was restored$`)),
    });
    expect(await hubSchemas(empty)).toEqual([]);
  });

  it('refuses a backup from a newer release (a migration this code does not have)', async () => {
    const newer = join(dir, 'newer.sql');
    writeFileSync(newer, readFileSync(file, 'utf8').replace(/^(-- gongkai migrations reports: .*)$/m, '$1 Migration29991231000000FromTheFuture'));
    await expect(restoreInto(empty, newer)).rejects.toMatchObject({
      code: 'BACKUP_FROM_NEWER_VERSION',
      message: expect.stringContaining('schema reports has the migration Migration29991231000000FromTheFuture, which this code does not have'),
    });
    expect(await hubSchemas(empty)).toEqual([]);
  });

  it('upgrades an older backup: the migrations it lacks run after its rows are loaded', async () => {
    // the file of a release before hotline's internal_nonce table: without the migration and the table's rows
    const older = join(dir, 'older.sql');
    const text = readFileSync(file, 'utf8')
      .replace(/^(-- gongkai migrations hotline: .*) Migration20261216000000InternalNonces(.*)$/m, '$1$2')
      .replace(/^COPY hotline\.internal_nonce [^\n]*\n(?:[^\n]*\n)*?\\\.\n/m, '');
    expect(text).not.toContain('COPY hotline.internal_nonce');
    writeFileSync(older, text);
    const summary = await restoreInto(empty, older);
    expect(summary.schemas.hotline!.upgradedWith).toEqual(['Migration20261216000000InternalNonces']);
    expect(summary.schemas.agencies!.upgradedWith).toEqual([]);
    const tickets = `select count(*)::int as n, max(id)::int as id from hotline.ticket`;
    expect(await query(empty, tickets)).toEqual(await query(source.databaseUrl, tickets));
    expect(await query(empty, `select count(*)::int as n from hotline.internal_nonce`)).toEqual([{ n: 0 }]);
  });

  it('reads a pg_dump --data-only file of the hub\'s database (migrations from its mikro_orm_migrations rows)', async () => {
    // pg_dump 17.6+'s shape: \restrict guards, its own settings, the migrations tables' rows among the others
    const pgDump = join(dir, 'pg_dump.sql');
    const info = await inspectBackup(file);
    const migrationRows = [...info.migrations]
      .map(([schema, names]) => [
        '--', `-- Data for Name: mikro_orm_migrations; Type: TABLE DATA; Schema: ${schema}; Owner: postgres`, '--', '',
        `COPY ${schema}.mikro_orm_migrations (id, name, executed_at) FROM stdin;`,
        ...names.map((name, i) => `${i + 1}\t${name}\t2026-12-01 08:00:00.123+00`), '\\.', '', '',
      ].join('\n'))
      .join('\n');
    const text = readFileSync(file, 'utf8')
      .replace(/^-- gongkai .*\n/gm, '')
      .replace('\nSET statement_timeout = 0;\n', '\n\\restrict 4bX9qQ\n\nSET statement_timeout = 0;\nSET transaction_timeout = 0;\n')
      .replace('\n--\n-- Data for Name: ', `\n${migrationRows}\n--\n-- Data for Name: `)
      .concat('\\unrestrict 4bX9qQ\n\n');
    writeFileSync(pgDump, text);
    const read = await inspectBackup(pgDump);
    expect(read.writtenBy).toBe('pg_dump');
    expect(read.migrations).toEqual(info.migrations);
    const target = databaseUrl(inject('pgServerUrl'), `gongkai_test_pgdump_${process.pid}`);
    await ensureDatabase(target);
    onTestFinished(() => dropDatabase(target));
    const summary = await restoreBackup({ url: target, info: read, known });
    expect(summary.rows).toBe(backupSummary.rows);
  });

  it.skipIf(spawnSync('which', ['psql']).status !== 0)('is a file psql replays into the migrated schemas', async () => {
    const target = databaseUrl(inject('pgServerUrl'), `gongkai_test_psql_${process.pid}`);
    await ensureDatabase(target);
    onTestFinished(() => dropDatabase(target));
    await migrateToBackup(target, await inspectBackup(file), known);
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    await client.query('set session_replication_role = replica'); // as restore does: no truncate trigger
    await emptyTables(client, known.map((k) => k.schema));
    await client.end();
    const psql = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-d', target, '-f', file], { encoding: 'utf8' });
    expect(psql.stderr).toBe('');
    expect(psql.status).toBe(0);
    const counts = `select (select count(*)::int from hotline.ticket) as tickets, (select count(*)::int from reports.figure) as figures,
                           (select max(id)::int from agencies.agency) as agency, (select last_value::int from agencies.agency_id_seq) as sequence`;
    expect(await query(target, counts)).toEqual(await query(source.databaseUrl, counts));
  });
});
