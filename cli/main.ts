// `gongkai` command-line entry: dispatches to one module per command under cli/commands/.
// Commands are imported lazily so that `gongkai extract` never loads the gateway or the ORM.
import { CliError } from './errors.ts';

export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number | void>;
}

const commands: Record<string, () => Promise<{ default: Command }>> = {
  start: () => import('./commands/start.ts'),
  compose: () => import('./commands/compose.ts'),
  serve: () => import('./commands/serve.ts'),
  extract: () => import('./commands/extract.ts'),
};

async function help(): Promise<void> {
  const lines = ['Usage: gongkai <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(commands)) {
    const { default: command } = await load();
    lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  }
  lines.push('', 'Run `gongkai <command> --help` for the options of one command.');
  console.log(lines.join('\n'));
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await help();
    return name ? 0 : 1;
  }
  const load = commands[name];
  if (!load) {
    console.error(`gongkai: unknown command '${name}'. Run 'gongkai --help' for the list.`);
    return 2;
  }
  const { default: command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\nUsage: ${command.usage}`);
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
