// `gongkai seed --synthetic --scale national|demo|tiny`: a deterministic synthetic dataset in
// every subgraph's tables, bulk-loaded (seed/). Uses the hub's database (DATABASE_URL, the
// running hub's embedded Postgres, or a new one under GONGKAI_DATA_DIR), migrated first.
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { EXIT, printJson } from '../outcome.ts';
import { migrate, openSubgraphDatabase } from '../../lib/database/orm.ts';
import { provisionDatabase } from '../../lib/database/provision.ts';
import { SUBGRAPH_MODULES } from '../../subgraphs/modules.ts';
import { SCALES, type Scale } from '../../seed/scales.ts';
import { DEFAULT_SEED, SeedRefused, seedSynthetic } from '../../seed/seed.ts';

const USAGE = `gongkai seed --synthetic --scale national|demo|tiny [options]

  Fills the agencies, reports and hotline tables with a deterministic synthetic dataset, every
  row marked data_origin = SYNTHETIC (docs/performance.md describes what each scale holds):
    national  every region, 60/50/40 agencies per province/city/county (~137 000), reports
              2008–2024 (~2.2 million), 10 million tickets over 2023–2024
    demo      江苏 and 湖南 at the size of the start-up sample
    tiny      宁夏, for tests

  --seed N            PRNG seed (default ${DEFAULT_SEED}); the same seed gives the same data
  --provinces 32,43   only these provinces (two-digit prefixes), at the scale's density
  --tickets N         another number of tickets
  --reset             replace the agencies, reports and tickets already there (deletes them)
  --json              print the summary as JSON: {ok, exitCode, scale, seed, counts, totalSeconds…}

  Environment: DATABASE_URL, or GONGKAI_DATA_DIR for the embedded Postgres; GONGKAI_PII_KEY.
  Exit code: 0 seeded, 2 nothing seeded (bad arguments, a database that is not empty without
  --reset, DATABASE_UNAVAILABLE).`;

function parseArgs(args: string[]) {
  let synthetic = false;
  let scale: Scale | undefined;
  let seed = DEFAULT_SEED;
  let reset = false;
  let json = false;
  let provinces: string[] | null = null;
  let tickets: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new CliError('USAGE', `seed: ${arg} needs a value (gongkai seed --help)`);
      return v;
    };
    if (arg === '--synthetic') synthetic = true;
    else if (arg === '--scale') {
      const name = value();
      scale = SCALES[name];
      if (!scale) throw new CliError('USAGE', `seed: unknown scale '${name}'; the scales are ${Object.keys(SCALES).join(', ')}`);
    } else if (arg === '--seed') {
      seed = Number(value());
      if (!Number.isSafeInteger(seed)) throw new CliError('USAGE', 'seed: --seed needs a whole number such as 42');
    } else if (arg === '--provinces') {
      provinces = value().split(',').map((p) => p.trim().slice(0, 2));
      if (provinces.some((p) => !/^[1-9][0-9]$/.test(p))) throw new CliError('USAGE', 'seed: --provinces takes two-digit prefixes, e.g. 32,43');
    } else if (arg === '--tickets') {
      tickets = Number(value());
      if (!Number.isSafeInteger(tickets) || tickets < 0) throw new CliError('USAGE', 'seed: --tickets needs a whole number such as 300');
    } else if (arg === '--reset') reset = true;
    else if (arg === '--json') json = true;
    else throw new CliError('USAGE', `seed: unknown option ${arg}; the options are --synthetic, --scale, --seed, --provinces, --tickets, --reset, --json`);
  }
  if (!synthetic) throw new CliError('USAGE', 'seed: only synthetic data can be seeded; give --synthetic');
  if (!scale) throw new CliError('USAGE', `seed: give --scale ${Object.keys(SCALES).join('|')}`);
  return { scale: { ...scale, ...(provinces ? { provinces } : {}), ...(tickets !== null ? { tickets } : {}) }, seed, reset, json };
}

const command: Command = {
  usage: USAGE,
  async run(args) {
    const options = parseArgs(args);
    const log = (line: string) => console.error(`[seed] ${line}`);
    const database = await provisionDatabase(log);
    try {
      log(`database: ${database.description}`);
      for (const module of SUBGRAPH_MODULES) {
        const orm = await openSubgraphDatabase({ url: database.url, schema: module.name, entities: module.entities, migrations: module.migrations });
        try {
          await migrate(orm);
          await module.bootstrap?.(orm, { sampleData: false, serving: false, log });
        } finally {
          await orm.close();
        }
      }
      const started = performance.now();
      const summary = await seedSynthetic({ databaseUrl: database.url, scale: options.scale, seed: options.seed, reset: options.reset, progress: true, log });
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      if (options.json) printJson({ ok: true, exitCode: EXIT.ok, ...summary, totalSeconds: seconds });
      else {
        console.log(
          `seeded scale ${summary.scale} (seed ${summary.seed}) in ${seconds} s: ` +
            Object.entries(summary.counts).map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`).join(', '),
        );
      }
      return EXIT.ok;
    } catch (error) {
      if (error instanceof SeedRefused) throw new CliError('DATABASE_NOT_EMPTY', `seed: ${error.message}`);
      throw error;
    } finally {
      await database.stop();
    }
  },
};

export default command;
