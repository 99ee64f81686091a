// `gongkai compose [--check] [--json]`: schema/*.graphql composed into schema/supergraph.graphql.
// Exit code: 0 written or already current; 1 with --check when the committed file is stale (the
// check ran and its one item, the file, failed — as `diff` says 1 for "differs"); 2 when the
// subgraphs do not compose (nothing written) or on bad usage.
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { EXIT, printJson, wantsJson } from '../outcome.ts';
import { composeSupergraph } from '../../gateway/composeSupergraph.ts';
import { schemaFile } from '../../lib/graphql/sdl.ts';

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

const command: Command = {
  usage:
    'gongkai compose [--check] [--json]\n\n' +
    '  --check  write nothing; exit 1 when schema/supergraph.graphql is not what composition gives\n' +
    '  --json   print {ok, exitCode, supergraph, status} on stdout (status: written, current, stale)\n' +
    'Exit code: 0 written or current, 1 stale (--check), 2 composition failed (each problem on stderr).',
  async run(args) {
    const unknown = args.find((arg) => arg !== '--check' && arg !== '--json');
    if (unknown !== undefined) throw new CliError('USAGE', `compose: unknown argument ${unknown}; the options are --check and --json`);
    const json = wantsJson(args);
    const outcome = composeSupergraph();
    if (!outcome.ok) {
      const problems = outcome.errors.map((error) => oneLine(error.message));
      for (const problem of problems) console.error(`  - ${problem}`);
      const error = {
        code: 'COMPOSITION_FAILED',
        message: `compose: schema/*.graphql do not compose (${problems.length} problem${problems.length === 1 ? '' : 's'}${json ? '' : ', listed above'}): fix the subgraph SDL and run again; nothing was written`,
      };
      if (json) printJson({ ok: false, exitCode: EXIT.nothingDone, error, problems });
      console.error(`gongkai: ${error.message} (${error.code})`);
      return EXIT.nothingDone;
    }
    const target = schemaFile('supergraph');
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    const upToDate = current === outcome.supergraphSdl;
    if (args.includes('--check')) {
      const exitCode = upToDate ? EXIT.ok : EXIT.someFailed;
      if (json) printJson({ ok: upToDate, exitCode, supergraph: target, status: upToDate ? 'current' : 'stale' });
      if (!upToDate) console.error(`gongkai: compose: ${target} is stale: run 'npm run compose' and commit the result (SUPERGRAPH_STALE)`);
      return exitCode;
    }
    if (!upToDate) writeFileSync(target, outcome.supergraphSdl);
    if (json) printJson({ ok: true, exitCode: EXIT.ok, supergraph: target, status: upToDate ? 'current' : 'written' });
    else console.log(upToDate ? `${target} is up to date` : `wrote ${target}`);
    return EXIT.ok;
  },
};

export default command;
