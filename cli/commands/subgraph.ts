// `gongkai subgraph add|list|remove|rollback|check|deprecate`: the registry of municipal
// subgraphs. On the database, by an operator who holds its credentials (like `gongkai ingest`),
// or through a running gateway's admin API with an admin token (--url/--token or GONGKAI_URL/
// GONGKAI_TOKEN), which is what a city's team has. Either way the checks and the composition are
// the gateway's own (gateway/registry/operations.ts, subgraphCheck.ts, deprecations.ts);
// running gateways switch to a new version through their poller within seconds.
import { readFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { EXIT, printJson, wantsJson } from '../outcome.ts';
import { adminApiTargetFrom } from '../adminApiClient.ts';
import { apiRegistry, databaseRegistry, type MadeVersion, type SubgraphRegistryClient } from '../subgraphRegistry.ts';
import { isRegionCode } from '../../lib/regions/codes.ts';
import { MAX_DEPRECATION_DAYS } from '../../gateway/registry/deprecations.ts';
import type { SubgraphCheckReport } from '../../gateway/registry/subgraphCheck.ts';
import { SETTINGS_OPTIONS, settingsFromOptions } from './subgraphSettingsOptions.ts';

/** Where to work: the gateway named by --url/--token (GONGKAI_URL/GONGKAI_TOKEN), else the database. */
const API_OPTIONS = ['--url', '--token'];

/** Options each action accepts; anything else is a usage error rather than silently ignored. */
const ACTION_OPTIONS: Record<string, string[]> = {
  add: ['--region', '--serves', ...SETTINGS_OPTIONS, ...API_OPTIONS, '--json'],
  list: ['--versions', ...API_OPTIONS, '--json'],
  remove: [...API_OPTIONS, '--json'],
  rollback: [...API_OPTIONS, '--json'],
  check: ['--sdl', '--region', ...API_OPTIONS, '--json'],
  deprecate: ['--days', '--reason', ...API_OPTIONS, '--json'],
};

/** The options followed by a value, which is not a positional argument. */
const VALUED = new Set(['--region', '--serves', '--sdl', '--days', '--reason', ...SETTINGS_OPTIONS, ...API_OPTIONS]);

function checkOptions(action: string, rest: string[]): void {
  const allowed = ACTION_OPTIONS[action]!;
  const unknown = rest.find((arg, i) => arg.startsWith('-') && !allowed.includes(arg) && !(i > 0 && VALUED.has(rest[i - 1]!)));
  if (unknown !== undefined) throw new CliError('USAGE', `subgraph ${action}: unknown option ${unknown}; it takes ${allowed.join(', ')}`);
}

const optionValue = (rest: string[], option: string): string | undefined => {
  const at = rest.indexOf(option);
  return at < 0 ? undefined : (rest[at + 1] ?? '');
};

function regionOption(action: string, rest: string[]): string | null {
  const region = optionValue(rest, '--region');
  if (region !== undefined && !isRegionCode(region)) throw new CliError('USAGE', `subgraph ${action}: --region needs a 6-digit GB/T 2260 code, got '${region}'`);
  return region ?? null;
}

/** What add, remove and rollback print: the version they made. */
function printVersion(row: MadeVersion, json: boolean): number {
  if (json) printJson({ ok: true, exitCode: EXIT.ok, version: row.version, note: row.note, subgraphs: row.subgraphs });
  else console.log(`supergraph version ${row.version}: ${row.note ?? ''}; subgraphs: ${row.subgraphs.map((s) => s.name).join(', ') || "the hub's own only"}`);
  return EXIT.ok;
}

/** A check's report: 0 when it passes, 1 when it found problems (each listed, code and one line). */
function printCheck(report: SubgraphCheckReport, json: boolean): number {
  const exitCode = report.passed ? EXIT.ok : EXIT.someFailed;
  if (json) {
    printJson({ ok: report.passed, exitCode, ...report });
    return exitCode;
  }
  console.log(report.summary);
  for (const problem of report.problems) console.log(`  - [${problem.code}] ${problem.message.replace(/\s*\n\s*/g, ' ')}`);
  for (const accepted of report.accepted) console.log(`  + [${accepted.code}] ${accepted.message}`);
  return exitCode;
}

const pad = (value: string, width: number) => value + ' '.repeat(Math.max(0, width - [...value].length));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...row[i]!].length)));
  return rows.map((row) => row.map((cell, i) => pad(cell, widths[i]!)).join('  ').trimEnd()).join('\n');
}

const iso = (date: Date | string | null | undefined): string => (date ? new Date(date).toISOString() : '-');

const USAGE =
  'gongkai subgraph add NAME URL [--region CODE] [--serves CODE,CODE…] [--timeout-ms N] [--max-concurrency N]\n' +
  '           [--breaker-failures N] [--breaker-cooldown-ms N] [--header \'Name: value\']... [--json]\n' +
  '       gongkai subgraph list [--versions] [--json]\n' +
  '       gongkai subgraph remove NAME [--json]\n' +
  '       gongkai subgraph rollback [VERSION] [--json]\n' +
  '       gongkai subgraph check NAME (URL | --sdl FILE) [--region CODE] [--json]\n' +
  '       gongkai subgraph deprecate NAME Type.field --days N [--reason TEXT] [--json]\n' +
  '   each also: [--url http://gateway:4000/graphql --token JWT]\n\n' +
  'add       fetch the SDL at URL ({ _service { sdl } }), check it and compose it with the graph;\n' +
  '          refused with a report when it does not compose, breaks fields clients use, claims a\n' +
  '          hub field or adds a non-null field to Region/Agency. --region: the owning region.\n' +
  '          --serves: the regions it answers for (a 市 and a 县 of another 市: 430100,430211);\n' +
  '          the gateway asks it about nothing else. Default: --region\'s subtree (all: none).\n' +
  '          --timeout-ms, --max-concurrency, --breaker-*: how the gateway protects itself from it\n' +
  '          (defaults 5000 ms, 32, 5 failures, 30000 ms); --header: sent with every request to it\n' +
  '          (an Authorization the city asks for; stored, never shown back). Unset: unchanged.\n' +
  'list      registered municipal subgraphs with their health, the fields being deprecated\n' +
  '          (--versions: the supergraph history)\n' +
  'remove    take a subgraph and its fields out of the graph\n' +
  'rollback  a new version with the subgraphs of VERSION (default: the one before the current)\n' +
  'check     what add would say of the SDL at URL, or of FILE — rules, composition, breaking\n' +
  '          changes against the graph served — changing nothing: for a city\'s CI. Exit 0 passes,\n' +
  '          1 problems found (each listed with its code), 2 could not check.\n' +
  'deprecate record that Type.field (or Type) will be removed, giving clients N days from now;\n' +
  '          an add without it passes the breaking-change check once they are over.\n\n' +
  '--url, --token (or GONGKAI_URL, GONGKAI_TOKEN): work through that gateway\'s admin API as the\n' +
  'token\'s admin (within its region), instead of on the database as a national operator.\n' +
  'The URL\'s host must be allowed by GONGKAI_SUBGRAPH_ALLOW (CIDRs, host names, *.domain; unset:\n' +
  'loopback in development, nothing when NODE_ENV=production); it is resolved once and pinned.\n' +
  'Without --url: works on the registry in DATABASE_URL (or the running hub\'s embedded Postgres);\n' +
  'running gateways follow within GONGKAI_REGISTRY_POLL_MS. See docs/subgraphs.md.\n' +
  'Exit code: 0 done, 2 refused (the reason and its code on stderr; the graph is unchanged), bad\n' +
  'arguments, DATABASE_UNAVAILABLE or GATEWAY_UNREACHABLE; check: 1 when it found problems.\n' +
  '--json: {ok, exitCode, version, …} on stdout.';

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
      throw new CliError('USAGE', `subgraph needs one of ${Object.keys(ACTION_OPTIONS).join(', ')}${action ? `, not '${action}'` : ''} (gongkai subgraph --help)`);
    }
    checkOptions(action, rest);
    const json = wantsJson(rest);
    const positional = rest.filter((arg, i) => !arg.startsWith('--') && !(i > 0 && VALUED.has(rest[i - 1]!)));
    const api = adminApiTargetFrom(rest);
    // opened only once the arguments are known to be right
    const registry = (): SubgraphRegistryClient => (api ? apiRegistry(api) : databaseRegistry());
    switch (action) {
      case 'add': {
        const [name, url] = positional;
        if (!name || !url || positional.length > 2) throw new CliError('USAGE', 'subgraph add needs a NAME and a URL: gongkai subgraph add NAME URL [--region CODE]');
        const region = regionOption(action, rest);
        const serves = servedRegionsOption(rest);
        const settings = settingsFromOptions(rest);
        return printVersion(await registry().add({ name, url, ownerRegion: region, regions: serves }, settings), json);
      }
      case 'remove': {
        const [name] = positional;
        if (!name || positional.length > 1) throw new CliError('USAGE', 'subgraph remove needs one NAME: gongkai subgraph remove NAME');
        return printVersion(await registry().remove(name), json);
      }
      case 'rollback': {
        const [raw] = positional;
        const version = raw === undefined ? null : Number(raw);
        if ((version !== null && !(Number.isInteger(version) && version >= 0)) || positional.length > 1) {
          throw new CliError('USAGE', `subgraph rollback: VERSION is a version number such as 3 (gongkai subgraph list --versions), got '${positional.join(' ')}'`);
        }
        return printVersion(await registry().rollback(version), json);
      }
      case 'check': {
        const [name, url] = positional;
        const file = optionValue(rest, '--sdl');
        if (!name || positional.length > 2 || (url === undefined) === (file === undefined)) {
          throw new CliError('USAGE', 'subgraph check needs a NAME and either the URL to fetch its SDL from or --sdl FILE: gongkai subgraph check NAME (URL | --sdl FILE)');
        }
        const sdl = file === undefined ? null : readFileSync(file, 'utf8');
        const region = regionOption(action, rest);
        return printCheck(await registry().check({ name, url: url ?? null, sdl, ownerRegion: region }), json);
      }
      case 'deprecate': {
        const [name, coordinate] = positional;
        const rawDays = optionValue(rest, '--days');
        const days = Number(rawDays);
        if (!name || !coordinate || positional.length > 2 || rawDays === undefined || !Number.isInteger(days) || days < 0 || days > MAX_DEPRECATION_DAYS) {
          throw new CliError('USAGE', `subgraph deprecate needs a NAME, a Type.field and --days 0–${MAX_DEPRECATION_DAYS}: gongkai subgraph deprecate city_hotline Region.cityHotline --days 30`);
        }
        const record = await registry().deprecate({ name, coordinate, days, reason: optionValue(rest, '--reason') ?? null });
        if (json) printJson({ ok: true, exitCode: EXIT.ok, deprecation: record });
        else {
          console.log(
            `${record.coordinate} of ${record.subgraph}: deprecated on ${record.deprecatedAt.slice(0, 10)} for ${record.days} days; a registration without it passes the check from ${record.removableAfter}` +
              (record.removable ? ' (now)' : '') +
              `. Mark it @deprecated in the SDL too, for clients to see.`,
          );
        }
        return EXIT.ok;
      }
      case 'list': {
        if (positional.length) throw new CliError('USAGE', `subgraph list takes no NAME, only --versions and --json; got '${positional[0]}'`);
        const withVersions = rest.includes('--versions');
        const { subgraphs, current, versions, deprecations } = await registry().list(withVersions);
        if (json) {
          printJson({ ok: true, exitCode: EXIT.ok, version: current, subgraphs, deprecations, ...(withVersions ? { versions } : {}) });
          return EXIT.ok;
        }
        console.log(`supergraph version ${current}${current === 0 ? " (the hub's own graph)" : ''}`);
        if (!subgraphs.length) console.log('no municipal subgraph registered');
        else {
          const rows = [['NAME', 'URL', 'REGION', 'STATUS', 'LATENCY', 'CHECKED', 'LAST ERROR']];
          for (const s of subgraphs) rows.push([s.name, s.url, s.ownerRegion ?? '-', s.status, s.latencyMs == null ? '-' : `${s.latencyMs} ms`, iso(s.lastCheckedAt), s.lastError ?? '']);
          console.log(table(rows));
        }
        if (deprecations.length) {
          console.log('');
          const rows = [['DEPRECATED', 'SUBGRAPH', 'SINCE', 'DAYS', 'REMOVABLE FROM', 'REASON']];
          for (const d of deprecations) rows.push([d.coordinate, d.subgraph, d.deprecatedAt.slice(0, 10), String(d.days), d.removable ? 'now' : d.removableAfter, d.reason ?? '']);
          console.log(table(rows));
        }
        if (versions.length) {
          console.log('');
          const rows = [['VERSION', 'CREATED', 'BY', 'SUBGRAPHS', 'NOTE']];
          for (const v of versions) rows.push([String(v.version), iso(v.createdAt), v.createdBy ?? '-', v.subgraphs.join(',') || '-', v.note ?? '']);
          console.log(table(rows));
        }
        return EXIT.ok;
      }
    }
    return EXIT.nothingDone;
  },
};

export default command;
