// `gongkai sample remove`: deletes the labelled sample (data_origin = 'SAMPLE') from every
// subgraph, each through its own module, on the same database as the hub (running or not), and
// leaves a marker in each so that no later start loads it again. Reports and tickets go first,
// the directory last: an agency that real reports or tickets are filed under is kept (as an
// OFFICIAL agency awaiting review), and that is known only once the sample's own rows are gone.
// Each part is one transaction with its marker: interrupted, a rerun finishes the rest; run
// again, it finds nothing and says so (exit 0).
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { EXIT, printJson } from '../outcome.ts';
import { withSubgraphDatabase } from '../../lib/runtime/subgraphDatabase.ts';
import { agenciesSubgraph } from '../../subgraphs/agencies/subgraph.ts';
import { removeSampleAgencies } from '../../subgraphs/agencies/sample/removeSample.ts';
import { hotlineSubgraph } from '../../subgraphs/hotline/subgraph.ts';
import { agenciesWithTickets, removeSampleTickets } from '../../subgraphs/hotline/sample/removeSample.ts';
import { reportsSubgraph } from '../../subgraphs/reports/subgraph.ts';
import { agenciesWithReports, removeSampleReports } from '../../subgraphs/reports/sample/removeSample.ts';

const USAGE = `gongkai sample remove [--json]

  Deletes the sample data (江苏省 and 湖南省, marked SAMPLE) from every subgraph: the sample
  reports with their figures and flags, the sample hotline tickets (their year rollups are
  computed again), then the sample agencies and their lineage. A sample agency that real reports
  or tickets are filed under is kept, as an OFFICIAL agency PENDING_REVIEW for an editor to
  confirm (Mutation.confirmAgency). Later starts do not load the sample again.
  Works while the hub runs; safe to interrupt and run again.

  --json   print the summary as JSON on stdout

  Environment: DATABASE_URL (unset: the hub's embedded Postgres).`;

function parseArgs(args: string[]): { json: boolean } {
  const [action, ...rest] = args;
  if (action !== 'remove') throw new CliError('USAGE', `sample: unknown action '${action ?? ''}'; the one action is 'gongkai sample remove [--json]'`);
  for (const arg of rest) if (arg !== '--json') throw new CliError('USAGE', `sample remove: unknown option ${arg}`);
  return { json: rest.includes('--json') };
}

const command: Command = {
  usage: USAGE,
  async run(args) {
    const options = parseArgs(args);
    const summary = await withSubgraphDatabase(agenciesSubgraph, (agencies) =>
      withSubgraphDatabase(reportsSubgraph, (reports) =>
        withSubgraphDatabase(hotlineSubgraph, async (hotline) => {
          const removedReports = await removeSampleReports(reports.em.fork());
          const removedTickets = await removeSampleTickets(hotline.em.fork());
          const inUse = [...new Set([...(await agenciesWithReports(reports.em.fork())), ...(await agenciesWithTickets(hotline.em.fork()))])];
          const removedAgencies = await removeSampleAgencies(agencies.em.fork(), inUse);
          return { reports: removedReports, hotline: removedTickets, agencies: removedAgencies };
        }),
      ),
    );
    const removedAnything =
      summary.reports.reports + summary.hotline.tickets + summary.agencies.agencies + summary.agencies.adopted.length > 0;
    if (options.json) {
      printJson({ ok: true, removedAnything, ...summary });
      return EXIT.ok;
    }
    if (!removedAnything) {
      console.log('no sample data: nothing removed; later starts will not load the sample');
      return EXIT.ok;
    }
    const { reports, hotline, agencies } = summary;
    console.log(`reports: ${reports.reports} sample report versions removed, with ${reports.figures} figures and ${reports.flags} flags`);
    console.log(`hotline: ${hotline.tickets} sample tickets removed; the year rollup of ${hotline.rollupsRefreshed} (province, year) computed again`);
    console.log(`agencies: ${agencies.agencies} sample agencies removed, with ${agencies.lineage} lineage links`);
    for (const agency of agencies.adopted) {
      console.log(
        `kept ${agency.name} (${agency.regionCode}, id ${agency.id}): real reports or tickets are filed under it; ` +
          'now OFFICIAL and PENDING_REVIEW until an editor confirms it (confirmAgency)',
      );
    }
    console.log('later starts will not load the sample');
    return EXIT.ok;
  },
};

export default command;
