// `gongkai subgraph add|list|remove|rollback`: the registry of municipal subgraphs, worked on
// directly in the database by an operator who holds its credentials (like `gongkai ingest`).
// The checks and the composition are the gateway's own (gateway/registry/operations.ts);
// running gateways switch to the new version through their poller within seconds.
import { userInfo } from 'node:os';
import { GraphQLError } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { NATIONAL, type Identity } from '../../lib/auth/identity.ts';
import { provisionDatabase } from '../../lib/database/provision.ts';
import { isRegionCode } from '../../lib/regions/codes.ts';
import { registerSubgraph, removeSubgraph, rollbackSupergraph } from '../../gateway/registry/operations.ts';
import { currentVersionNumber, listSubgraphs, listVersions, openRegistryDatabase, type SupergraphVersionRow } from '../../gateway/registry/store.ts';

/** An operator at the database acts as a national admin. */
const operator = (): Identity => ({ subject: `operator:${process.env.USER || userInfo().username}`, region: NATIONAL, roles: ['admin'] });

async function withRegistry<T>(work: (orm: MikroORM) => Promise<T>): Promise<T> {
  const database = await provisionDatabase(() => {});
  try {
    const orm = await openRegistryDatabase(database.url, 2);
    try {
      return await work(orm);
    } finally {
      await orm.close();
    }
  } finally {
    await database.stop();
  }
}

/**
 * A refusal from the registry is the operator's to read, not a crash; anything else is one line
 * too — no stack trace, no URL (a library's message may carry the subgraph's).
 */
async function refusalsAsCliErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GraphQLError) throw new CliError(String(error.extensions.code), error.message, 1);
    const line = String((error as Error)?.message ?? error).split('\n')[0]!.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>');
    throw new CliError('REGISTRY_FAILED', `the registry could not do this: ${line}`, 1);
  }
}

const describeVersion = (row: SupergraphVersionRow): string =>
  `supergraph version ${row.version}: ${row.note ?? ''}; subgraphs: ${row.subgraphs.map((s) => s.name).join(', ') || "the hub's own only"}`;

const pad = (value: string, width: number) => value + ' '.repeat(Math.max(0, width - [...value].length));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...row[i]!].length)));
  return rows.map((row) => row.map((cell, i) => pad(cell, widths[i]!)).join('  ').trimEnd()).join('\n');
}

const USAGE =
  'gongkai subgraph add NAME URL [--region CODE]\n' +
  '       gongkai subgraph list [--versions] [--json]\n' +
  '       gongkai subgraph remove NAME\n' +
  '       gongkai subgraph rollback [VERSION]\n\n' +
  'add       fetch the SDL at URL ({ _service { sdl } }), check it and compose it with the graph;\n' +
  '          refused with a report when it does not compose, breaks fields clients use, claims a\n' +
  '          hub field or adds a non-null field to Region/Agency. --region: the owning region.\n' +
  'list      registered municipal subgraphs with their health (--versions: the supergraph history)\n' +
  'remove    take a subgraph and its fields out of the graph\n' +
  'rollback  a new version with the subgraphs of VERSION (default: the one before the current)\n\n' +
  'The URL\'s host must be allowed by GONGKAI_SUBGRAPH_ALLOW (CIDRs, host names, *.domain; unset:\n' +
  'loopback in development, nothing when NODE_ENV=production); it is resolved once and pinned.\n' +
  'Works on the registry in DATABASE_URL (or the running hub\'s embedded Postgres); running\n' +
  'gateways follow within GONGKAI_REGISTRY_POLL_MS. See docs/subgraphs.md.';

const command: Command = {
  usage: USAGE,
  async run(args) {
    const [action, ...rest] = args;
    const positional = rest.filter((arg, i) => !arg.startsWith('--') && !(i > 0 && rest[i - 1] === '--region'));
    switch (action) {
      case 'add': {
        const [name, url] = positional;
        if (!name || !url) throw new CliError('USAGE', 'usage: gongkai subgraph add NAME URL [--region CODE]');
        const at = rest.indexOf('--region');
        const region = at >= 0 ? rest[at + 1] : undefined;
        if (at >= 0 && (!region || !isRegionCode(region))) throw new CliError('USAGE', `--region needs a 6-digit GB/T 2260 code, got '${region ?? ''}'`);
        const row = await withRegistry((orm) => refusalsAsCliErrors(() => registerSubgraph(orm.em, operator(), { name, url, ownerRegion: region ?? null })));
        console.log(describeVersion(row));
        return 0;
      }
      case 'remove': {
        const [name] = positional;
        if (!name) throw new CliError('USAGE', 'usage: gongkai subgraph remove NAME');
        const row = await withRegistry((orm) => refusalsAsCliErrors(() => removeSubgraph(orm.em, operator(), name)));
        console.log(describeVersion(row));
        return 0;
      }
      case 'rollback': {
        const [raw] = positional;
        const version = raw === undefined ? null : Number(raw);
        if (version !== null && !Number.isInteger(version)) throw new CliError('USAGE', `VERSION is a version number, got '${raw}'`);
        const row = await withRegistry((orm) => refusalsAsCliErrors(() => rollbackSupergraph(orm.em, operator(), version)));
        console.log(describeVersion(row));
        return 0;
      }
      case 'list': {
        const { subgraphs, current, versions } = await withRegistry(async (orm) => {
          const em = orm.em.fork();
          return { subgraphs: await listSubgraphs(em), current: await currentVersionNumber(em), versions: rest.includes('--versions') ? await listVersions(em, 50) : [] };
        });
        if (rest.includes('--json')) {
          console.log(JSON.stringify({ version: current, subgraphs: subgraphs.map(({ sdl: _sdl, ...s }) => s), ...(rest.includes('--versions') ? { versions } : {}) }, null, 2));
          return 0;
        }
        console.log(`supergraph version ${current}${current === 0 ? " (the hub's own graph)" : ''}`);
        if (!subgraphs.length) console.log('no municipal subgraph registered');
        else {
          const rows = [['NAME', 'URL', 'REGION', 'STATUS', 'CHECKED', 'LAST ERROR']];
          for (const s of subgraphs) {
            rows.push([s.name, s.url, s.ownerRegion ?? '-', s.status, s.lastCheckedAt ? new Date(s.lastCheckedAt).toISOString() : '-', s.lastError ?? '']);
          }
          console.log(table(rows));
        }
        if (versions.length) {
          console.log('');
          const rows = [['VERSION', 'CREATED', 'BY', 'SUBGRAPHS', 'NOTE']];
          for (const v of versions) rows.push([String(v.version), new Date(v.createdAt).toISOString(), v.createdBy, v.subgraphs.map((s) => s.name).join(',') || '-', v.note ?? '']);
          console.log(table(rows));
        }
        return 0;
      }
      default:
        throw new CliError('USAGE', `subgraph needs one of add, list, remove, rollback\n\n${USAGE}`);
    }
  },
};

export default command;
