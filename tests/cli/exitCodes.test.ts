// Every command's exit code means the same (cli/outcome.ts): 0 all done, 1 some items failed, 2
// nothing done — bad usage, a refusal, no database. Errors are one line ending in a stable code;
// --json prints one JSON document on stdout with ok and exitCode. The table runs each command
// line in this process (runGongkai, what bin/gongkai.js runs: a process per case costs seconds);
// a few cases run as processes too, for the exit status and the output a user really gets.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runGongkai } from '../../cli/main.ts';
import { runCliAsync, type CliRun } from '../support/cli.ts';
import { createTestDatabase } from '../support/database.ts';
import { fixturesDir } from '../support/goldReports.ts';

const goodDocument = join(fixturesDir, '000_c9f5d288153c8add.txt');
const scratch = mkdtempSync(join(tmpdir(), 'gongkai-exit-codes-'));
const emptyDocument = join(scratch, 'only-empty', 'empty.txt');
/** One report the extractor reads and one empty file: the fixture linked, not copied. */
const mixedFolder = join(scratch, 'mixed');

let databaseUrl: string;
/** A port on 127.0.0.1 nothing listens on. */
let closedPort: number;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  for (const dir of ['only-empty', 'mixed']) {
    mkdirSync(join(scratch, dir));
    writeFileSync(join(scratch, dir, 'empty.txt'), '');
  }
  symlinkSync(goodDocument, join(mixedFolder, 'good.txt'));
});

/** Nothing a user sees may be a stack trace, `undefined`, a driver's message or a database's address. */
function expectClean(run: CliRun): void {
  const all = `${run.stdout}\n${run.stderr}`;
  expect(all).not.toMatch(/\bundefined\b/);
  expect(all).not.toMatch(/^\s+at \S+/m);
  expect(all).not.toMatch(/ECONNREFUSED|connect E[A-Z]+/);
  expect(all).not.toContain(databaseUrl);
  // progress lines may name the database the operator chose; an error never names an address
  const errors = [run.stdout, ...run.stderr.split('\n').filter((line) => line.startsWith('gongkai:'))].join('\n');
  expect(errors).not.toMatch(/127\.0\.0\.1:\d+/);
}

/** The one line a failed command ends with: `gongkai: … (CODE)`. */
function expectErrorLine(run: CliRun, code: string): void {
  const last = run.stderr.trim().split('\n').at(-1) ?? '';
  expect(last, run.stderr).toMatch(new RegExp(`^gongkai: \\S.* \\(${code}\\)$`));
}

function jsonOf(run: CliRun): Record<string, any> {
  const parsed = JSON.parse(run.stdout);
  expect(parsed).toMatchObject({ ok: run.status === 0, exitCode: run.status });
  return parsed;
}

interface Case {
  name: string;
  args: string[];
  env?: () => NodeJS.ProcessEnv;
  status: 0 | 1 | 2;
  /** The code of the error line (and of the JSON error): for a failure. */
  code?: string;
  /** Whether stdout is one JSON document (the case passes --json). */
  json?: boolean;
  check?: (run: CliRun) => void;
}

const withDatabase = () => ({ DATABASE_URL: databaseUrl });
const withoutDatabase = () => ({ DATABASE_URL: `postgres://gongkai:secret@127.0.0.1:${closedPort}/gongkai` });

const usage = (name: string, args: string[]): Case => ({ name: `${name}: usage error`, args: [...args, '--json'], status: 2, code: 'USAGE', json: true });

const cases: Case[] = [
  { name: 'no command', args: [], status: 2, code: 'USAGE' },
  usage('unknown command', ['frobnicate']),
  usage('ingest without a path', ['ingest']),
  usage('ingest with an unknown option', ['ingest', '--regoin', '320800', goodDocument]),
  usage('extract without a file', ['extract']),
  usage('compose with an unknown option', ['compose', '--chekc']),
  usage('token without --sub', ['token', '--region', '430100']),
  usage('token with a bad --ttl', ['token', '--sub', 'me', '--ttl', 'forever']),
  usage('seed without --synthetic', ['seed', '--scale', 'tiny']),
  usage('subgraph without an action', ['subgraph']),
  usage('subgraph rollback to a non-number', ['subgraph', 'rollback', 'latest']),
  usage('serve without a service', ['serve']),
  usage('hotline without a subcommand', ['hotline']),
  usage('sample without an action', ['sample']),
  usage('backup with an unknown option', ['backup', '--everything']),
  usage('restore without a file', ['restore']),
  { name: 'ingest of a path that does not exist', args: ['ingest', join(scratch, 'nope'), '--json'], status: 2, code: 'FILE_NOT_FOUND', json: true },

  {
    name: '--help',
    args: ['--help'],
    status: 0,
    check: (run) => {
      for (const command of ['start', 'serve', 'compose', 'hotline', 'ingest', 'token', 'subgraph', 'sample', 'seed', 'backup', 'restore', 'extract']) {
        expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      }
    },
  },
  { name: 'a command\'s --help', args: ['ingest', '--help'], status: 0, check: (run) => expect(run.stdout).toContain('Exit code') },
  {
    name: 'token',
    args: ['token', '--sub', 'me', '--region', '430100', '--roles', 'editor', '--json'],
    env: () => ({ GONGKAI_DATA_DIR: join(scratch, 'data') }),
    status: 0,
    json: true,
    check: (run) => expect(jsonOf(run)).toMatchObject({ token: expect.stringMatching(/^ey/), claims: { sub: 'me', region: '430100', roles: ['editor'] } }),
  },
  {
    name: 'extract',
    args: ['extract', goodDocument, '--json'],
    status: 0,
    json: true,
    check: (run) => expect(jsonOf(run).reports).toHaveLength(1),
  },
  { name: 'extract of an empty document', args: ['extract', emptyDocument, '--json'], status: 2, code: 'EMPTY_DOCUMENT', json: true },
  { name: 'compose --check', args: ['compose', '--check', '--json'], status: 0, json: true, check: (run) => expect(jsonOf(run).status).toBe('current') },
  {
    name: 'subgraph list',
    args: ['subgraph', 'list', '--json'],
    env: withDatabase,
    status: 0,
    json: true,
    check: (run) => expect(jsonOf(run)).toMatchObject({ version: 0, subgraphs: [] }),
  },
  {
    name: 'ingest of one good and one empty document',
    args: ['ingest', mixedFolder, '--json'],
    env: withDatabase,
    status: 1,
    json: true,
    check: (run) => {
      const { summary, documents } = jsonOf(run);
      expect(summary).toMatchObject({ documents: 2, stored: 1, failed: 1, unreadable: 1, failedDocuments: [join(mixedFolder, 'empty.txt')] });
      expect(documents).toHaveLength(2);
      expect(run.stderr).toContain('documents 2 (unreadable 1)');
    },
  },
  { name: 'seed into a database that is not empty (after the ingest before)', args: ['seed', '--synthetic', '--scale', 'tiny', '--json'], env: withDatabase, status: 2, code: 'DATABASE_NOT_EMPTY', json: true },
  {
    name: 'ingest of nothing readable',
    args: ['ingest', join(scratch, 'only-empty')],
    env: withDatabase,
    status: 2,
    check: (run) => expect(run.stdout).toMatch(/empty\.txt: not read: .*\(EMPTY_DOCUMENT\)$/m),
  },

  ...[
    ['ingest', goodDocument],
    ['seed', '--synthetic', '--scale', 'tiny'],
    ['subgraph', 'list'],
    ['subgraph', 'add', 'county_portal', 'http://127.0.0.1:9/graphql'],
    ['subgraph', 'remove', 'county_portal'],
    ['subgraph', 'rollback'],
    ['hotline', 'refresh-rollups'],
    ['sample', 'remove'],
    ['backup', join(scratch, 'backup.sql')],
  ].map(
    (args): Case => ({
      name: `${args.slice(0, 2).join(' ')} without a database`,
      args: [...args, '--json'],
      env: withoutDatabase,
      status: 2,
      code: 'DATABASE_UNAVAILABLE',
      json: true,
      check: (run) => expect(`${run.stdout}${run.stderr}`).not.toContain(String(closedPort)),
    }),
  ),
];

/** A command line run in this process with `env` set, its output captured as a process's would be. */
async function runInProcess(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  let stdout = '';
  let stderr = '';
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...parts) => void (stdout += `${format(...parts)}\n`)),
    vi.spyOn(console, 'error').mockImplementation((...parts) => void (stderr += `${format(...parts)}\n`)),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true)),
  ];
  try {
    const status = await runGongkai(args);
    return { status, signal: null, stdout, stderr };
  } finally {
    for (const spy of spies) spy.mockRestore();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

function expectOutcome(run: CliRun, { status, code, json, check }: Case): void {
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(status);
  expectClean(run);
  if (code) expectErrorLine(run, code);
  if (json) {
    const parsed = jsonOf(run);
    if (code) expect(parsed.error).toMatchObject({ code, message: expect.stringMatching(/^[^\n]+$/) });
  }
  check?.(run);
}

// In order, one at a time (the environment is the process's): the ingests write before seed reads.
describe('exit codes, error lines and --json of every command', () => {
  it.each(cases)('$name → $status', { timeout: 120_000 }, async (testCase) => {
    expectOutcome(await runInProcess(testCase.args, testCase.env?.() ?? {}), testCase);
  });
});

describe.concurrent('as a process', () => {
  const spawned: Case[] = [
    { name: 'unknown command', args: ['frobnicate'], status: 2, code: 'USAGE' },
    usage('ingest with an unknown option', ['ingest', '--regoin', '320800', goodDocument]),
    cases.find((c) => c.name === 'ingest of one good and one empty document')!,
    cases.find((c) => c.name.startsWith('subgraph list without'))!,
    {
      // the service's own check, before anything starts (in this process it would end the test run)
      name: 'serve of a subgraph without DATABASE_URL',
      args: ['serve', 'agencies'],
      env: () => ({ DATABASE_URL: '' }),
      status: 2,
      check: (run) => expect(run.stderr).toContain('DATABASE_URL is not set'),
    },
  ];
  it.each(spawned)('$name → $status', { timeout: 120_000 }, async (testCase) => {
    const started = Date.now();
    expectOutcome(await runCliAsync(testCase.args, testCase.env?.() ?? {}), testCase);
    // without a database: at once, not after a connection attempt's minutes
    if (testCase.code === 'DATABASE_UNAVAILABLE') expect(Date.now() - started).toBeLessThan(30_000);
  });
});
