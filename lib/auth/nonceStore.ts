// The nonces of the gateway's signatures, remembered in Postgres so that every replica of a
// subgraph sees them: a signature accepted by one replica is refused by all (a memory of its own
// would let each replica accept it once). A check is an insert that does nothing when the nonce is
// already there, on a pool of its own with asynchronous commit (a nonce lost in a database crash
// could be replayed within its 60 s at most; an fsync per subrequest would cost every query). The
// checks that arrive in one turn of the event loop — the gateway sends a dashboard's entity
// batches to a subgraph at once — share one multi-row insert, whose `returning` says which nonces
// it stored: the unique key still decides between replicas, so sharing the statement weakens
// nothing. A sweep every minute deletes the nonces whose signatures are stale anyway.
//
// The table lives in each subgraph's own schema (`<schema>.internal_nonce`, made by the
// migration below, which every subgraph lists): signatures name their subgraph, so one
// subgraph's nonces never need checking against another's.
import { Migration } from '@mikro-orm/migrations';
import pg from 'pg';
import { DATABASE_CONNECT_TIMEOUT_MS, isDatabaseUnavailable } from '../database/availability.ts';
import type { NonceStore } from './internalSignature.ts';
import { createLogger } from '../observability/log.ts';

const MIGRATION_NAME = 'Migration20261216000000InternalNonces';

const schemaName = (schema: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`'${schema}' is not a schema name`);
  return schema;
};

/** The migration that makes `<schema>.internal_nonce`; each subgraph lists it with its own. */
export function internalNonceMigration(schema: string): { name: string; class: new () => Migration } {
  const table = `${schemaName(schema)}.internal_nonce`;
  class InternalNonces extends Migration {
    override name = MIGRATION_NAME;
    override up(): void {
      this.addSql(`create table ${table} (nonce text primary key, expires_at timestamptz not null)`);
      this.addSql(`create index internal_nonce_expires_idx on ${table} (expires_at)`);
    }
  }
  return { name: MIGRATION_NAME, class: InternalNonces as unknown as new () => Migration };
}

export interface PostgresNonceStoreOptions {
  /** How often expired nonces are deleted (ms); 60 s. */
  sweepMs?: number;
  log?: (line: string) => void;
}

interface PendingClaim {
  nonce: string;
  expiresAt: number;
  settle: (claimed: boolean) => void;
  fail: (error: unknown) => void;
}

export class PostgresNonceStore implements NonceStore {
  readonly #pool: pg.Pool;
  #pending: PendingClaim[] = [];
  readonly #table: string;
  readonly #sweeper: NodeJS.Timeout;
  readonly #log: (line: string) => void;
  #closed: Promise<void> | undefined;

  constructor(databaseUrl: string, schema: string, options: PostgresNonceStoreOptions = {}) {
    this.#table = `${schemaName(schema)}.internal_nonce`;
    const logger = createLogger(schema);
    this.#log = options.log ?? ((line) => logger.warn(line));
    // A connection that failed is dropped by the pool and the next claim opens a new one: the
    // store is whole again as soon as the database is back. While it is away a claim fails with
    // the driver's error, which the subgraph answers as SERVICE_UNAVAILABLE (lib/graphql/httpServer.ts).
    this.#pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 4,
      options: '-c synchronous_commit=off',
      connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    // an idle client's error (the database restarting) must not crash the process
    this.#pool.on('error', (error) => this.#log(`nonce store: lost an idle database connection: ${error.message}`));
    this.#sweeper = setInterval(() => {
      // with the database away the next sweep does it; the requests meanwhile say so themselves
      this.sweep().catch((error: unknown) => {
        if (!isDatabaseUnavailable(error)) this.#log(`nonce store: sweep failed: ${(error as Error).message}`);
      });
    }, options.sweepMs ?? 60_000);
    this.#sweeper.unref();
  }

  /** Joins the claims of this turn of the event loop; the first to arrive schedules their one insert. */
  claim(nonce: string, expiresAt: number): Promise<boolean> {
    return new Promise((settle, fail) => {
      if (this.#pending.push({ nonce, expiresAt, settle, fail }) === 1) setImmediate(() => this.#insertPending());
    });
  }

  #insertPending(): void {
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    // the same nonce twice in one batch: the first claim is the one that may succeed
    const first = new Map<string, PendingClaim>();
    for (const claim of batch) {
      if (first.has(claim.nonce)) claim.settle(false);
      else first.set(claim.nonce, claim);
    }
    const claims = [...first.values()];
    this.#pool
      .query<{ nonce: string }>(
        `insert into ${this.#table} (nonce, expires_at)
         select nonce, to_timestamp(expires_at / 1000) from unnest($1::text[], $2::float8[]) as c(nonce, expires_at)
         on conflict (nonce) do nothing returning nonce`,
        [claims.map((c) => c.nonce), claims.map((c) => c.expiresAt)],
      )
      .then(
        (result) => {
          const stored = new Set(result.rows.map((row) => row.nonce));
          for (const claim of claims) claim.settle(stored.has(claim.nonce));
        },
        (error: unknown) => {
          for (const claim of claims) claim.fail(error);
        },
      );
  }

  /** Deletes the nonces whose signatures every replica refuses as stale; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const result = await this.#pool.query(`delete from ${this.#table} where expires_at < to_timestamp($1::float8 / 1000)`, [now]);
    return result.rowCount ?? 0;
  }

  /** Idempotent: a subgraph closed twice (a test's own close, then its hub's) closes its pool once. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    // claims already made are answered before the pool ends
    this.#insertPending();
    this.#closed ??= this.#pool.end();
    await this.#closed;
  }
}
