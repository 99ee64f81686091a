// `gongkai` command-line entry: dispatches to one module per command under cli/commands/.
// Commands are imported lazily so that `gongkai extract` never loads the gateway or the ORM.
// bin/gongkai.js runs it (runAsProcess); tests run a command line in-process (runGongkai).
import { isDatabaseUnavailable } from '../lib/database/availability.ts';
import { CliError, describeFailure } from './errors.ts';
import { EXIT, printJson, wantsJson } from './outcome.ts';

import type { Command } from './command.ts';

export type { Command };

const commands: Record<string, { summary: string; load: () => Promise<{ default: Command }> }> = {
  start: {
    summary: 'start the hub: database, subgraphs and gateway (with sample data on first start)',
    load: () => import('./commands/start.ts'),
  },
  serve: {
    summary: 'run one service alone: agencies, reports, hotline or gateway',
    load: () => import('./commands/serve.ts'),
  },
  compose: {
    summary: 'compose schema/*.graphql into schema/supergraph.graphql (--check: fail if it is stale)',
    load: () => import('./commands/compose.ts'),
  },
  hotline: { summary: 'import hotline ticket exports (gongkai hotline import FILE…, CSV or JSON Lines); refresh-rollups', load: () => import('./commands/hotline.ts') },
  ingest: {
    summary: 'extract report documents (files or folders) and store their reports, idempotently',
    load: () => import('./commands/ingest.ts'),
  },
  token: {
    summary: 'mint a bearer token for development and tests (--sub, --region, --roles)',
    load: () => import('./commands/token.ts'),
  },
  subgraph: { summary: 'municipal subgraphs: add NAME URL [--region CODE], list, remove NAME, rollback [VERSION], check NAME (URL | --sdl FILE), deprecate NAME Type.field --days N; on the database or --url GATEWAY --token JWT', load: () => import('./commands/subgraph.ts') },
  sample: { summary: 'remove the sample data from every subgraph (gongkai sample remove); later starts do not load it again', load: () => import('./commands/sample.ts') },
  seed: { summary: 'fill every subgraph with a deterministic synthetic dataset: --synthetic --scale national|demo|tiny', load: () => import('./commands/seed.ts') },
  backup: { summary: 'write the hub\'s data to a pg_dump plain-format file (one snapshot, while the hub runs or not)', load: () => import('./commands/backup.ts') },
  restore: { summary: 'load a backup into an empty database (new GONGKAI_DATA_DIR or DATABASE_URL), migrating it', load: () => import('./commands/restore.ts') },
  extract: {
    summary: 'read an annual report (.txt, .html, .pdf) and print its figures',
    load: () => import('./commands/extract.ts'),
  },
};

function help(): string {
  const lines = ['Usage: gongkai <command> [options]', '', 'Commands:'];
  for (const [name, { summary }] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${summary}`);
  lines.push(
    '',
    'Run `gongkai <command> --help` for the options of one command.',
    'Exit codes: 0 all done, 1 some items failed (the summary names them), 2 nothing done (bad usage, no database…).',
    '--json: one JSON summary on stdout, {ok, exitCode, …} or {ok: false, error: {code, message}}.',
  );
  return lines.join('\n');
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return EXIT.ok;
  }
  if (!name) {
    console.error(help());
    throw new CliError('USAGE', "no command given; run 'gongkai --help' for the list");
  }
  const entry = commands[name];
  if (!entry) throw new CliError('USAGE', `unknown command '${name}'; run 'gongkai --help' for the list`);
  const { default: command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${entry.summary}\n\nUsage: ${command.usage}`);
    return EXIT.ok;
  }
  return (await command.run(rest)) ?? EXIT.ok;
}

/** One line with a stable code, and the JSON error with --json; the stack only when asked for (GONGKAI_DEBUG=1). */
function report(error: unknown, argv: string[]): number {
  const failure = describeFailure(error);
  if (process.env.GONGKAI_DEBUG === '1') console.error(error);
  if (wantsJson(argv)) printJson({ ok: false, exitCode: failure.exitCode, error: { code: failure.code, message: failure.message } });
  console.error(`gongkai: ${failure.message} (${failure.code})`);
  return failure.exitCode;
}

/** A `gongkai` command line run to its end: its exit code, every failure reported. Tests call it in-process. */
export async function runGongkai(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    return report(error, argv);
  }
}

/** Commands that run services until stopped: their own crash handling (and supervision) applies. */
const SERVICES = new Set(['start', 'serve']);

/**
 * An error no promise of the command receives (a pooled database connection that dies while
 * idle emits one) would otherwise end the process with a stack trace. A lost connection is left
 * to the command, whose next statement fails and says so; anything else ends it in one line.
 */
function stayOneLineOnStrayErrors(argv: string[]): void {
  const stray = (error: unknown) => {
    if (isDatabaseUnavailable(error)) {
      if (process.env.GONGKAI_DEBUG === '1') console.error(error);
      return;
    }
    process.exit(report(error, argv));
  };
  process.on('uncaughtException', stray);
  process.on('unhandledRejection', stray);
}

/**
 * bin/gongkai.js: this process's arguments, its exit code. A command whose promise is still
 * pending when nothing is left to run (it waited on a connection that died without a word) must
 * not end as a silent exit 0: it says so in one line and exits 2.
 */
export function runAsProcess(): void {
  const argv = process.argv.slice(2);
  if (!SERVICES.has(argv[0] ?? '')) stayOneLineOnStrayErrors(argv);
  let settled = false;
  // beforeExit: the event loop ran dry (process.exit(), which a service's own start-up check calls, does not emit it)
  process.once('beforeExit', () => {
    if (settled) return;
    console.error(
      'gongkai: the command stopped before it finished: it waited on something that can no longer answer (a lost database?); run it again, with GONGKAI_DEBUG=1 for the details (INCOMPLETE)',
    );
    process.exitCode = EXIT.nothingDone;
  });
  void runGongkai(argv).then((code) => {
    settled = true;
    process.exitCode = code;
  });
}
