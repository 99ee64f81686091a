// `gongkai serve NAME`: one service in this process, as docker-compose runs them.
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { entryPoint, type ServiceName } from '../../lib/runtime/services.ts';

const NAMES: ServiceName[] = ['agencies', 'reports', 'hotline', 'gateway'];

const command: Command = {
  usage: 'gongkai serve agencies|reports|hotline|gateway\n\nA subgraph needs DATABASE_URL; the gateway reads AGENCIES_URL, REPORTS_URL, HOTLINE_URL.',
  async run(args) {
    const name = args[0] as ServiceName | undefined;
    if (!name || !NAMES.includes(name)) throw new CliError('USAGE', `serve needs one of: ${NAMES.join(', ')}`);
    await import(entryPoint(name));
  },
};

export default command;
