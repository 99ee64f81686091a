// `gongkai subgraph add|list|remove|rollback`: the registry of municipal subgraphs, worked on
// directly in the database by an operator who holds its credentials (like `gongkai ingest`).
// The checks and the composition are the gateway's own (gateway/registry/operations.ts);
// running gateways switch to the new version through their poller within seconds.
import { userInfo } from 'node:os';
import { GraphQLError } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { EXIT, printJson, wantsJson } from '../outcome.ts';
import { isDatabaseUnavailable } from '../../lib/database/availability.ts';
import { NATIONAL, type Identity } from '../../lib/auth/identity.ts';
import { provisionDatabase } from '../../lib/database/provision.ts';
import { isRegionCode } from '../../lib/regions/codes.ts';
import { registerSubgraph, removeSubgraph, rollbackSupergraph } from '../../gateway/registry/operations.ts';
import { checkSettings, saveSettings } from '../../gateway/registry/subgraphSettings.ts';
import { SETTINGS_OPTIONS, settingsFromOptions } from './subgraphSettingsOptions.ts';
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
 * too — no stack trace, no URL (a library's message may carry the subgraph's). A refused change
 * changed nothing: exit 2, like every command whose one item failed. A lost database is left to
 * describeFailure (DATABASE_UNAVAILABLE).
 */
async function refusalsAsCliErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GraphQLError) throw new CliError(String(error.extensions.code ?? 'REGISTRY_REFUSED'), oneLine(error.message));
    if (error instanceof CliError || isDatabaseUnavailable(error)) throw error;
    const line = oneLine(String((error as Error)?.message ?? error).split('\n')[0]!).replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>');
    throw new CliError('REGISTRY_FAILED', `the registry could not do this: ${line}; nothing was changed — run again with GONGKAI_DEBUG=1 for the details`);
  }
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, '; ').trim();

/** Options each action accepts; anything else is a usage error rather than silently ignored. */
const ACTION_OPTIONS: Record<string, string[]> = { add: ['--region', '--serves', ...SETTINGS_OPTIONS, '--json'], list: ['--versions', '--json'], remove: ['--json'], rollback: ['--json'] };

function checkOptions(action: string, rest: string[]): void {
  const allowed = ACTION_OPTIONS[action]!;
  const unknown = rest.find((arg) => arg.startsWith('-') && !allowed.includes(arg));
  if (unknown !== undefined) throw new CliError('USAGE', `subgraph ${action}: unknown option ${unknown}; it takes ${allowed.join(', ')}`);
}

/** What add, remove and rollback print: the version they made. */
function printVersion(row: SupergraphVersionRow, json: boolean): number {
  if (json) {
    printJson({ ok: true, exitCode: EXIT.ok, version: row.version, note: row.note, subgraphs: row.subgraphs.map(({ name, url, ownerRegion }) => ({ name, url, ownerRegion })) });
  } else console.log(describeVersion(row));
  return EXIT.ok;
}

const describeVersion = (row: SupergraphVersionRow): string =>
  `supergraph version ${row.version}: ${row.note ?? ''}; subgraphs: ${row.subgraphs.map((s) => s.name).join(', ') || "the hub's own only"}`;

const pad = (value: string, width: number) => value + ' '.repeat(Math.max(0, width - [...value].length));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...row[i]!].length)));
  return rows.map((row) => row.map((cell, i) => pad(cell, widths[i]!)).join('  ').trimEnd()).join('\n');
}

const USAGE =
  'gongkai subgraph add NAME URL [--region CODE] [--serves CODE,CODE…] [--timeout-ms N] [--max-concurrency N]\n' +
  '           [--breaker-failures N] [--breaker-cooldown-ms N] [--header \'Name: value\']... [--json]\n' +
  '       gongkai subgraph list [--versions] [--json]\n' +
  '       gongkai subgraph remove NAME [--json]\n' +
  '       gongkai subgraph rollback [VERSION] [--json]\n\n' +
  'add       fetch the SDL at URL ({ _service { sdl } }), check it and compose it with the graph;\n' +
  '          refused with a report when it does not compose, breaks fields clients use, claims a\n' +
  '          hub field or adds a non-null field to Region/Agency. --region: the owning region.\n' +
  '          --serves: the regions it answers for (a 市 and a 县 of another 市: 430100,430211);\n' +
  '          the gateway asks it about nothing else. Default: --region\'s subtree (all: none).\n' +
  '          --timeout-ms, --max-concurrency, --breaker-*: how the gateway protects itself from it\n' +
  '          (defaults 5000 ms, 32, 5 failures, 30000 ms); --header: sent with every request to it\n' +
  '          (an Authorization the city asks for; stored, never shown back). Unset: unchanged.\n' +
  'list      registered municipal subgraphs with their health (--versions: the supergraph history)\n' +
  'remove    take a subgraph and its fields out of the graph\n' +
  'rollback  a new version with the subgraphs of VERSION (default: the one before the current)\n\n' +
  'The URL\'s host must be allowed by GONGKAI_SUBGRAPH_ALLOW (CIDRs, host names, *.domain; unset:\n' +
  'loopback in development, nothing when NODE_ENV=production); it is resolved once and pinned.\n' +
  'Works on the registry in DATABASE_URL (or the running hub\'s embedded Postgres); running\n' +
  'gateways follow within GONGKAI_REGISTRY_POLL_MS. See docs/subgraphs.md.\n' +
  'Exit code: 0 done, 2 refused (the reason and its code on stderr; the graph is unchanged), bad\n' +
  'arguments, or DATABASE_UNAVAILABLE. --json: {ok, exitCode, version, …} on stdout.';

/** --serves 430100,430211: the regions the subgraph serves; null when not given (its owner region's subtree). */
function servedRegionsOption(rest: string[]): string[] | null {
  const at = rest.indexOf('--serves');
  if (at < 0) return null;
  const codes = (rest[at + 1] ?? '').split(',').map((code) => code.trim()).filter(Boolean);
  const bad = codes.find((code) => !isRegionCode(code));
  if (!codes.length || bad !== undefined) throw new CliError('USAGE', `subgraph add: --serves needs 6-digit GB/T 2260 codes separated by commas (430100,430211), got '${rest[at + 1] ?? ''}'`);
  return codes;
}

const command: Command = {
  usage: USAGE,
  async run(args) {
    const [action, ...rest] = args;
    if (action === undefined || !(action in ACTION_OPTIONS)) {
      throw new CliError('USAGE', `subgraph needs one of add, list, remove, rollback${action ? `, not '${action}'` : ''} (gongkai subgraph --help)`);
    }
    checkOptions(action, rest);
    const json = wantsJson(rest);
    const positional = rest.filter((arg, i) => !arg.startsWith('--') && !(i > 0 && ['--region', '--serves', ...SETTINGS_OPTIONS].includes(rest[i - 1]!)));
    switch (action) {
      case 'add': {
        const [name, url] = positional;
        if (!name || !url || positional.length > 2) throw new CliError('USAGE', 'subgraph add needs a NAME and a URL: gongkai subgraph add NAME URL [--region CODE]');
        const at = rest.indexOf('--region');
        const region = at >= 0 ? rest[at + 1] : undefined;
        if (at >= 0 && (!region || !isRegionCode(region))) throw new CliError('USAGE', `subgraph add: --region needs a 6-digit GB/T 2260 code, got '${region ?? ''}'`);
        const serves = servedRegionsOption(rest);
        const settings = settingsFromOptions(rest);
        const row = await withRegistry((orm) =>
          refusalsAsCliErrors(async () => {
            checkSettings(settings);
            const registered = await registerSubgraph(orm.em, operator(), { name, url, ownerRegion: region ?? null, regions: serves });
            await saveSettings(orm.em.fork(), name, settings);
            return registered;
          }),
        );
        return printVersion(row, json);
      }
      case 'remove': {
        const [name] = positional;
        if (!name || positional.length > 1) throw new CliError('USAGE', 'subgraph remove needs one NAME: gongkai subgraph remove NAME');
        const row = await withRegistry((orm) => refusalsAsCliErrors(() => removeSubgraph(orm.em, operator(), name)));
        return printVersion(row, json);
      }
      case 'rollback': {
        const [raw] = positional;
        const version = raw === undefined ? null : Number(raw);
        if ((version !== null && !(Number.isInteger(version) && version >= 0)) || positional.length > 1) {
          throw new CliError('USAGE', `subgraph rollback: VERSION is a version number such as 3 (gongkai subgraph list --versions), got '${positional.join(' ')}'`);
        }
        const row = await withRegistry((orm) => refusalsAsCliErrors(() => rollbackSupergraph(orm.em, operator(), version)));
        return printVersion(row, json);
      }
      case 'list': {
        if (positional.length) throw new CliError('USAGE', `subgraph list takes no NAME, only --versions and --json; got '${positional[0]}'`);
        const { subgraphs, current, versions } = await withRegistry(async (orm) => {
          const em = orm.em.fork();
          return { subgraphs: await listSubgraphs(em), current: await currentVersionNumber(em), versions: rest.includes('--versions') ? await listVersions(em, 50) : [] };
        });
        if (json) {
          printJson({ ok: true, exitCode: EXIT.ok, version: current, subgraphs: subgraphs.map(({ sdl: _sdl, ...s }) => s), ...(rest.includes('--versions') ? { versions } : {}) });
          return EXIT.ok;
        }
        console.log(`supergraph version ${current}${current === 0 ? " (the hub's own graph)" : ''}`);
        if (!subgraphs.length) console.log('no municipal subgraph registered');
        else {
          const rows = [['NAME', 'URL', 'REGION', 'STATUS', 'LATENCY', 'CHECKED', 'LAST ERROR']];
          for (const s of subgraphs) {
            rows.push([s.name, s.url, s.ownerRegion ?? '-', s.status, s.latencyMs === null ? '-' : `${s.latencyMs} ms`, s.lastCheckedAt ? new Date(s.lastCheckedAt).toISOString() : '-', s.lastError ?? '']);
          }
          console.log(table(rows));
        }
        if (versions.length) {
          console.log('');
          const rows = [['VERSION', 'CREATED', 'BY', 'SUBGRAPHS', 'NOTE']];
          for (const v of versions) rows.push([String(v.version), new Date(v.createdAt).toISOString(), v.createdBy, v.subgraphs.map((s) => s.name).join(',') || '-', v.note ?? '']);
          console.log(table(rows));
        }
        return EXIT.ok;
      }
    }
    return EXIT.nothingDone;
  },
};

export default command;
