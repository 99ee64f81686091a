// The gateway's reading of its subgraphs' change logs (lib/cache/changeLog.ts): for each
// subgraph, the generation it has read up to and, for every key a change made stale
// (lib/cache/changes.ts), the generation of its latest change. An answer cached when the
// gateway had read up to generation g is stale once a key it is checked against has a later one.
//
// Read-after-write: before a request may use the cache, `barrier()` reads every log up to its
// end, in one statement (one snapshot), started after the request arrived — so every write
// committed before the request is applied before its lookups. Concurrent requests share one
// read: those that arrive while one is in flight wait for the next, which starts after them.
import pg from 'pg';
import { DATABASE_CONNECT_TIMEOUT_MS } from '../../lib/database/availability.ts';
import { EVERYTHING, staleKeysOf, type Change } from '../../lib/cache/changes.ts';

/** Generations read per subgraph, in the order of the feed's subgraphs, and the feed's epoch. */
export interface Generations {
  readonly read: readonly number[];
  readonly epoch: number;
}

interface LogRow {
  subgraph: number;
  generation: string;
  changes: Change[] | null;
  /** On the generation row: which server run and which log table (a restored or new database, a restarted server: others). */
  origin: string | null;
}

export class ChangeFeed {
  readonly subgraphs: readonly string[];
  readonly #pool: pg.Pool;
  readonly #statement: string;
  /** -1: not read yet; nothing may be cached before the first read. */
  readonly #read: number[];
  readonly #latest: Map<string, number>[];
  #current: Promise<void> | null = null;
  #next: Promise<void> | null = null;
  /** Changes applied since the start, for the metrics. */
  applied = 0;
  /** Starts over when a log went back or is another one (a restored or new database): every earlier stamp is stale. */
  #epoch = 0;
  readonly #origins: (string | null)[];

  constructor(databaseUrl: string, subgraphs: readonly string[]) {
    this.subgraphs = subgraphs;
    this.#pool = new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS, keepAlive: true });
    // an idle connection lost (the database restarting) is replaced by the next read
    this.#pool.on('error', () => {});
    this.#read = subgraphs.map(() => -1);
    this.#latest = subgraphs.map(() => new Map());
    this.#origins = subgraphs.map(() => null);
    // per subgraph: its current generation (changes null), then its changes after what was read
    this.#statement = subgraphs
      .map((schema, i) => {
        if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`'${schema}' is not a schema name`);
        return `select ${i} as subgraph, value::text as generation, null::text[] as changes,
                       pg_postmaster_start_time()::text || ':' || '${schema}.cache_generation'::regclass::oid::text as origin
                  from ${schema}.cache_generation
                union all select ${i}, generation::text, changes, null from ${schema}.cache_change where generation > $${i + 1}`;
      })
      .join(' union all ');
  }

  /** Resolves once every change committed before the call is applied; rejects when the logs cannot be read. */
  barrier(): Promise<void> {
    if (!this.#current) {
      this.#current = this.#readLogs().finally(() => {
        this.#current = null;
      });
      return this.#current;
    }
    // the read in flight may have started before this caller arrived: the next one
    this.#next ??= this.#current.catch(() => {}).then(() => {
      this.#next = null;
      return this.barrier();
    });
    return this.#next;
  }

  /** What has been read, to stamp an answer about to be fetched; null before the first read. */
  generations(): Generations | null {
    return this.#read.includes(-1) ? null : { read: [...this.#read], epoch: this.#epoch };
  }

  /** Whether an answer stamped `generations` and checked against `keys` has been changed since. */
  isStale(generations: Generations, keys: readonly string[]): boolean {
    if (generations.epoch !== this.#epoch) return true;
    for (let s = 0; s < this.#latest.length; s++) {
      const latest = this.#latest[s]!;
      const stamp = generations.read[s]!;
      for (const key of keys) if ((latest.get(key) ?? -1) > stamp) return true;
    }
    return false;
  }

  async #readLogs(): Promise<void> {
    const { rows } = await this.#pool.query<LogRow>(this.#statement, this.#read.map((g) => Math.max(g, 0)));
    const bySubgraph = this.subgraphs.map(() => [] as LogRow[]);
    for (const row of rows) bySubgraph[row.subgraph]!.push(row);
    bySubgraph.forEach((subgraphRows, s) => this.#apply(s, subgraphRows));
  }

  #apply(s: number, rows: LogRow[]): void {
    const head = rows.find((row) => row.changes === null);
    const current = Number(head?.generation ?? 0);
    const read = this.#read[s]!;
    const origin = head?.origin ?? null;
    const known = this.#origins[s];
    this.#origins[s] = origin;
    // the first read: nothing is cached yet, so there is nothing to make stale
    if (read < 0) {
      this.#read[s] = current;
      return;
    }
    if (current < read || origin !== known) {
      this.#epoch++;
      this.#latest.forEach((latest) => latest.clear());
      this.#read[s] = current;
      return;
    }
    const changes = rows.filter((row) => row.changes !== null).sort((a, b) => Number(a.generation) - Number(b.generation));
    let expected = read + 1;
    for (const row of changes) {
      const generation = Number(row.generation);
      // a gap: changes pruned before this gateway read them, so anything may have changed
      const applied = generation === expected ? row.changes! : [EVERYTHING];
      for (const change of applied) for (const key of staleKeysOf(change)) this.#latest[s]!.set(key, generation);
      this.applied++;
      expected = generation + 1;
    }
    if (current >= expected) {
      this.#latest[s]!.set(EVERYTHING, current);
      this.applied++;
    }
    this.#read[s] = Math.max(read, current);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
