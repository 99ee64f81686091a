// `gongkai` command-line entry: dispatches to one module per command under cli/commands/.
// Commands are imported lazily so that `gongkai extract` never loads the gateway or the ORM.
import { CliError } from './errors.ts';

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
  seed: { summary: 'fill every subgraph with a deterministic synthetic dataset: --synthetic --scale national|demo|tiny', load: () => import('./commands/seed.ts') },
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
    return name ? 0 : 1;
  }
  const entry = commands[name];
  if (!entry) {
    console.error(`gongkai: unknown command '${name}'. Run 'gongkai --help' for the list.`);
    return 2;
  }
  const { default: command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${entry.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  return (await command.run(rest)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      console.error(`gongkai: ${error.message}`);
      process.exitCode = error.exitCode;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
