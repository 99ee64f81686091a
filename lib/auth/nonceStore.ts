// The nonces of the gateway's signatures, remembered in Postgres so that every replica of a
// subgraph sees them: a signature accepted by one replica is refused by all (a memory of its own
// would let each replica accept it once). One statement per check — an insert that does nothing
// when the nonce is already there — on a pool of its own with asynchronous commit (a nonce lost
// in a database crash could be replayed within its 60 s at most; an fsync per subrequest would
// cost every query). A sweep every minute deletes the nonces whose signatures are stale anyway.
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

export class PostgresNonceStore implements NonceStore {
  readonly #pool: pg.Pool;
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

  async claim(nonce: string, expiresAt: number): Promise<boolean> {
    const result = await this.#pool.query(
      `insert into ${this.#table} (nonce, expires_at) values ($1, to_timestamp($2::float8 / 1000)) on conflict (nonce) do nothing`,
      [nonce, expiresAt],
    );
    return result.rowCount === 1;
  }

  /** Deletes the nonces whose signatures every replica refuses as stale; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const result = await this.#pool.query(`delete from ${this.#table} where expires_at < to_timestamp($1::float8 / 1000)`, [now]);
    return result.rowCount ?? 0;
  }

  /** Idempotent: a subgraph closed twice (a test's own close, then its hub's) closes its pool once. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#closed ??= this.#pool.end();
    await this.#closed;
  }
}
