// `gongkai serve NAME`: one service in this process, as docker-compose runs them.
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { entryPoint, type ServiceName } from '../../lib/runtime/services.ts';

const NAMES: ServiceName[] = ['agencies', 'reports', 'hotline', 'gateway'];

const command: Command = {
  usage:
    'gongkai serve agencies|reports|hotline|gateway\n\n' +
    'A subgraph needs DATABASE_URL; the gateway reads AGENCIES_URL, REPORTS_URL, HOTLINE_URL.\n' +
    'Runs until SIGINT or SIGTERM (then exit 0).\n' +
    'Exit code 2: an unknown service or a setting missing (DATABASE_URL for a subgraph).',
  async run(args) {
    const [name, ...extra] = args as [ServiceName | undefined, ...string[]];
    if (!name || !NAMES.includes(name)) {
      throw new CliError('USAGE', `serve needs one service: ${NAMES.join(', ')}${name ? `, not '${name}'` : ''} (gongkai serve agencies)`);
    }
    if (extra.length) throw new CliError('USAGE', `serve takes only the service's name; its settings are environment variables (gongkai serve --help), not '${extra[0]}'`);
    await import(entryPoint(name));
  },
};

export default command;
