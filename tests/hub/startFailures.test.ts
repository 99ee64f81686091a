// An embedded Postgres that cannot start says why in one line with a stable code and exit code 2
// (issue 14) — not `undefined`, not a stack — for `gongkai start` and for the commands that start
// it themselves (`gongkai ingest`); Postgres' own words are kept in $GONGKAI_DATA_DIR/postgres.log.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../lib/database/embeddedPostgres.ts';
import { runCli } from '../support/cli.ts';
import { freePort } from '../support/ports.ts';

const folders: string[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-start-failure-'));
  folders.push(dir);
  return dir;
};

/** A command run against the embedded Postgres of `dataDir` on `pgPort`: exit code 2 and one line with `code`. */
function expectOneLineFailure(args: string[], dataDir: string, pgPort: number, code: string): string {
  const run = runCli(args, { DATABASE_URL: '', GONGKAI_DATA_DIR: dataDir, GONGKAI_PG_PORT: String(pgPort), GONGKAI_DEBUG: '', GONGKAI_DEBUG_SQL: '' });
  const printed = `${run.stdout}${run.stderr}`;
  expect(run.status, printed).toBe(2);
  const failure = run.stderr.split('\n').filter((line) => line.startsWith('gongkai: ') && !line.startsWith('gongkai: using node'));
  expect(failure, printed).toHaveLength(1);
  expect(failure[0]).toContain(`(${code})`);
  expect(printed).not.toMatch(/undefined|\n\s+at |ENOENT|ECONNREFUSED/);
  return failure[0]!;
}

// a data directory with a live Postgres in it, started the way `gongkai start` starts one
let held: string;
let heldPort: number;
let live: EmbeddedDatabase | null = null;

beforeAll(async () => {
  held = newDataDir();
  heldPort = await freePort();
  live = await startEmbeddedPostgres({ dir: join(held, 'postgres'), port: heldPort });
}, 120_000);

afterAll(async () => {
  await live?.stop();
  for (const dir of folders) {
    spawnSync('umount', [dir]);
    chmodSync(dir, 0o700);
    if (existsSync(join(dir, 'postgres'))) chmodSync(join(dir, 'postgres'), 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('a Postgres that cannot start', () => {
  it('data directory held by a live Postgres: DATA_DIR_IN_USE', { timeout: 60_000 }, async () => {
    const line = expectOneLineFailure(['start', '--no-sample-data'], held, await freePort(), 'DATA_DIR_IN_USE');
    expect(line).toContain(join(held, 'postgres'));
  });

  it('port taken: PORT_IN_USE, for start and for ingest alike', { timeout: 60_000 }, async () => {
    const empty = newDataDir();
    mkdirSync(join(empty, 'postgres'));
    const line = expectOneLineFailure(['start', '--no-sample-data'], empty, heldPort, 'PORT_IN_USE');
    expect(line).toContain(`port ${heldPort}`);
    expect(line).toContain('GONGKAI_PG_PORT');
    // a command that starts the embedded server itself fails alike, before reading a document
    writeFileSync(join(empty, 'report.txt'), '2024年政府信息公开工作年度报告');
    expect(expectOneLineFailure(['ingest', join(empty, 'report.txt')], empty, heldPort, 'PORT_IN_USE')).toBe(line);
  });

  it('read-only data directory: DATA_DIR_NOT_WRITABLE, Postgres\' words in postgres.log', { timeout: 60_000 }, async () => {
    await live!.stop();
    live = null;
    // Postgres runs as the user `postgres` when we are root, which cannot write it now
    chmodSync(join(held, 'postgres'), 0o500);
    const line = expectOneLineFailure(['start', '--no-sample-data'], held, await freePort(), 'DATA_DIR_NOT_WRITABLE');
    expect(line).toContain(join(held, 'postgres'));
    expect(readFileSync(join(held, 'postgres.log'), 'utf8')).toMatch(/FATAL: .*(could not create lock file|invalid permissions)/);
  });

  it('empty data directory on a read-only file system: DATA_DIR_NOT_WRITABLE, not ENOENT', { timeout: 60_000 }, async (context) => {
    const readOnly = newDataDir();
    // as root only a read-only mount stops us writing (chmod does not); otherwise chmod does
    const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', readOnly]).status === 0;
    if (!mounted && process.getuid?.() === 0) return context.skip();
    if (!mounted) chmodSync(readOnly, 0o555);
    const line = expectOneLineFailure(['start', '--no-sample-data'], readOnly, await freePort(), 'DATA_DIR_NOT_WRITABLE');
    expect(line).toContain(readOnly);
  });
});
