// `gongkai` command-line entry: dispatches to one module per command under cli/commands/.
// Commands are imported lazily so that `gongkai extract` never loads the gateway or the ORM.
import { describeFailure } from './errors.ts';
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
  subgraph: { summary: 'register municipal subgraphs: add NAME URL [--region CODE], list, remove NAME, rollback [VERSION]', load: () => import('./commands/subgraph.ts') },
  sample: { summary: 'remove the sample data from every subgraph (gongkai sample remove); later starts do not load it again', load: () => import('./commands/sample.ts') },
  seed: { summary: 'fill every subgraph with a deterministic synthetic dataset: --synthetic --scale national|demo|tiny', load: () => import('./commands/seed.ts') },
  backup: { summary: 'write the hub\'s data to a pg_dump plain-format file (one snapshot, while the hub runs or not)', load: () => import('./commands/backup.ts') },
  restore: { summary: 'load a backup into an empty database (new GONGKAI_DATA_DIR or DATABASE_URL), migrating it', load: () => import('./commands/restore.ts') },
  extract: {
    summary: 'read an annual report (.txt, .html, .pdf) and print its figures',
    load: () => import('./commands/extract.ts'),
  },
};

function help(): void {
  const lines = ['Usage: gongkai <command> [options]', '', 'Commands:'];
  for (const [name, { summary }] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${summary}`);
  lines.push('', 'Run `gongkai <command> --help` for the options of one command.');
  console.log(lines.join('\n'));
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    help();
    return name ? EXIT.ok : EXIT.nothingDone;
  }
  const entry = commands[name];
  if (!entry) {
    console.error(`gongkai: unknown command '${name}' (USAGE); run 'gongkai --help' for the list`);
    return EXIT.nothingDone;
  }
  const { default: command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${entry.summary}\n\nUsage: ${command.usage}`);
    return EXIT.ok;
  }
  return (await command.run(rest)) ?? EXIT.ok;
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // One line with a stable code; the stack only when asked for (GONGKAI_DEBUG=1).
    const failure = describeFailure(error);
    if (process.env.GONGKAI_DEBUG === '1') console.error(error);
    if (wantsJson(argv)) printJson({ ok: false, error: { code: failure.code, message: failure.message } });
    console.error(`gongkai: ${failure.message} (${failure.code})`);
    process.exitCode = failure.exitCode;
  },
);
