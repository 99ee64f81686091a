// `gongkai ingest PATH…`: every report document under the paths extracted and stored through
// the reports subgraph's code, agencies found in (or registered into) the directory through the
// agencies subgraph's. An agency registered here has only the name the extractor read: it is
// PENDING_REVIEW, its reports left out of the rollups, until an editor confirms it
// (Mutation.confirmAgency). Idempotent: the same document again changes nothing.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { GraphQLError } from 'graphql';
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { createProgress } from '../../lib/cli/progress.ts';
import { isRegionCode } from '../../lib/regions/codes.ts';
import { withSubgraphDatabase } from '../../lib/runtime/subgraphDatabase.ts';
import { agenciesSubgraph } from '../../subgraphs/agencies/subgraph.ts';
import { createAgency } from '../../subgraphs/agencies/directory/agencyWrites.ts';
import { sectorOfName } from '../../subgraphs/agencies/directory/sectorOfName.ts';
import { reportsSubgraph } from '../../subgraphs/reports/subgraph.ts';
import { findDirectoryAgency } from '../../subgraphs/reports/ingestion/directoryAgency.ts';
import { lookupName } from '../../lib/text/names.ts';
import { AgencyResolutionError, ingestDocument, type AgencyResolver, type IngestedDocument } from '../../subgraphs/reports/ingestion/ingestDocument.ts';

const DOCUMENT_EXTENSIONS = new Set(['.txt', '.html', '.htm', '.pdf']);

interface Options {
  paths: string[];
  regionCode: string | null;
  year: number | null;
  register: boolean;
  json: boolean;
}

function parseOptions(args: string[]): Options {
  const options: Options = { paths: [], regionCode: null, year: null, register: true, json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--region') options.regionCode = args[++i] ?? '';
    else if (arg === '--year') options.year = Number(args[++i]);
    else if (arg === '--no-register') options.register = false;
    else if (arg === '--json') options.json = true;
    else if (arg.startsWith('--')) throw new CliError('USAGE', `unknown option ${arg}`);
    else options.paths.push(arg);
  }
  if (!options.paths.length) throw new CliError('USAGE', 'ingest needs at least one file or folder');
  if (options.regionCode !== null && !isRegionCode(options.regionCode)) throw new CliError('USAGE', `--region needs a 6-digit code, got '${options.regionCode}'`);
  if (options.year !== null && !Number.isInteger(options.year)) throw new CliError('USAGE', '--year needs a year such as 2024');
  return options;
}

/** Files named on the command line are all tried; folders contribute their report documents. */
function documentsUnder(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry.startsWith('.')) continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (DOCUMENT_EXTENSIONS.has(extname(entry).toLowerCase())) files.push(path);
    }
  };
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new CliError('USAGE', `no such file or folder: ${path}`);
    }
    if (stat.isDirectory()) walk(path);
    else files.push(path);
  }
  return files;
}

/** An agency this run registered in the directory, awaiting an editor's confirmation. */
interface RegisteredAgency {
  id: number;
  name: string;
  regionCode: string;
}

function summarise(results: IngestedDocument[], registered: RegisteredAgency[]): { lines: string[]; readable: number } {
  const reports = results.flatMap((r) => r.reports);
  const count = (outcome: string) => reports.filter((r) => r.outcome === outcome).length;
  const lines: string[] = [];
  for (const result of results) {
    if (result.unreadable) lines.push(`${result.fileName}: not read: ${result.unreadable.message} (${result.unreadable.code})`);
    for (const report of result.reports.filter((r) => r.failure)) {
      lines.push(`${result.fileName}: ${report.agencyName ?? 'unknown agency'} ${report.year ?? ''}: not stored: ${report.failure!.message} (${report.failure!.code})`);
    }
  }
  for (const agency of registered) {
    lines.push(`registered ${agency.name} (${agency.regionCode}, id ${agency.id}): PENDING_REVIEW until an editor confirms it (confirmAgency)`);
  }
  const unreadable = results.filter((r) => r.unreadable).length;
  lines.push(
    `documents ${results.length} (unreadable ${unreadable}); reports new ${count('CREATED')}, updated ${count('NEW_VERSION')}, ` +
      `unchanged ${count('UNCHANGED')}, failed ${count('FAILED')}`,
  );
  return { lines, readable: results.length - unreadable };
}

const command: Command = {
  usage:
    'gongkai ingest PATH… [--region CODE] [--year YYYY] [--no-register] [--json]\n\n' +
    'Reads .txt, .html, .htm and .pdf files (folders recursively) and stores their reports.\n' +
    '  --region CODE   region for documents whose text names none\n' +
    '  --year YYYY     statistical year for documents whose text states none\n' +
    '  --no-register   do not add agencies missing from the directory (their reports fail);\n' +
    '                  without it they are added PENDING_REVIEW: their reports stay out of the\n' +
    '                  rollups until an editor confirms them (Mutation.confirmAgency)\n' +
    '  --json          print every result as JSON on stdout\n' +
    'Uses DATABASE_URL, or the embedded Postgres of the running hub (or starts it).',
  async run(args) {
    const options = parseOptions(args);
    const files = documentsUnder(options.paths);
    if (!files.length) throw new CliError('NO_DOCUMENTS', `no report documents (.txt, .html, .pdf) under ${options.paths.join(', ')}`, 1);

    const registered: RegisteredAgency[] = [];
    const results = await withSubgraphDatabase(agenciesSubgraph, (agencies) =>
      withSubgraphDatabase(reportsSubgraph, async (reports) => {
        const em = reports.em.fork();
        const resolveAgency: AgencyResolver = async (agencyName, regionCode) => {
          const found = await findDirectoryAgency(em, regionCode, agencyName);
          if (found !== null) return found;
          if (!options.register) throw new AgencyResolutionError('AGENCY_NOT_REGISTERED', `'${agencyName}' is not in the directory of ${regionCode}`);
          try {
            // The name is what the extractor read: an editor confirms it before the agency counts.
            const agency = await createAgency(
              agencies.em.fork(),
              // without the invisible characters a document may carry, which createAgency refuses
              { name: lookupName(agencyName), regionCode, sector: sectorOfName(agencyName) },
              { reviewStatus: 'PENDING_REVIEW' },
            );
            registered.push({ id: agency.id, name: agency.name, regionCode: agency.regionCode });
            return agency.id;
          } catch (error) {
            if (error instanceof GraphQLError) throw new AgencyResolutionError(String(error.extensions.code), error.message);
            throw error;
          }
        };
        const progress = createProgress('ingest', files.length);
        const done: IngestedDocument[] = [];
        for (const file of files) {
          done.push(await ingestDocument(em.fork(), { fileName: file, bytes: readFileSync(file), regionCode: options.regionCode, year: options.year, resolveAgency }));
          progress.tick(1, file);
        }
        progress.done();
        return done;
      }),
    );

    const { lines, readable } = summarise(results, registered);
    if (options.json) {
      const registeredAgencies = registered.map((agency) => ({ ...agency, reviewStatus: 'PENDING_REVIEW' }));
      console.log(JSON.stringify({ documents: results, registeredAgencies }, null, 2));
    }
    else for (const line of lines) console.log(line);
    if (options.json) console.error(lines.at(-1));
    return readable === 0 ? 1 : 0;
  },
};

export default command;
