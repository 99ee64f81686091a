import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import type { Command } from '../command.ts';
import { composeSupergraph } from '../../gateway/composeSupergraph.ts';
import { schemaFile } from '../../lib/graphql/sdl.ts';

const command: Command = {
  usage: 'gongkai compose [--check]',
  async run(args) {
    const outcome = composeSupergraph();
    if (!outcome.ok) {
      console.error('composition failed:');
      for (const error of outcome.errors) console.error(`  - ${error.message}`);
      return 1;
    }
    const target = schemaFile('supergraph');
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (args.includes('--check')) {
      if (current === outcome.supergraphSdl) return 0;
      console.error(`${target} is stale: run 'npm run compose' and commit the result`);
      return 1;
    }
    if (current !== outcome.supergraphSdl) writeFileSync(target, outcome.supergraphSdl);
    console.log(current === outcome.supergraphSdl ? `${target} is up to date` : `wrote ${target}`);
    return 0;
  },
};

export default command;
