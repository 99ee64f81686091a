// A service's pool stays whole when connections die inside transactions (the database
// restarted, a session terminated): kysely gives a transaction's connection back only after a
// rollback that succeeded, so without lib/database/orm.ts's releaseConnectionsThatDie every
// transaction that lost its connection before its commit kept a slot taken for good, and a pool
// of N was stuck after N losses.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openSubgraphDatabase } from '../../lib/database/orm.ts';
import { isDatabaseUnavailable } from '../../lib/database/availability.ts';
import { createTestDatabase } from '../support/database.ts';

let url: string;
let orm: MikroORM;
const POOL = 2;

beforeAll(async () => {
  url = await createTestDatabase();
  orm = await openSubgraphDatabase({ url, schema: 'reports', entities: [], migrations: [], poolSize: POOL });
});
afterAll(() => orm?.close());

/** Ends the one session of this database that `condition` (on pg_stat_activity) picks, once it shows up. */
async function terminateSession(condition: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      const { rowCount } = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and ${condition}`,
      );
      if (rowCount) return rowCount;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return 0;
  } finally {
    await admin.end();
  }
}

const failureOf = (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => null,
    (error: unknown) => error,
  );

/** A trivial query, or 'pool exhausted' when no connection comes within 10 s. */
const poolAnswers = () =>
  Promise.race([
    orm.em.fork().getConnection().execute('select 1 as one'),
    new Promise((resolve) => setTimeout(() => resolve('pool exhausted'), 10_000)),
  ]);

describe('a pool whose connections die inside transactions', () => {
  it(`still answers after ${POOL * 2} transactions lost their connection before their commit`, { timeout: 60_000 }, async () => {
    for (let loss = 0; loss < POOL * 2; loss++) {
      let resume!: () => void;
      const terminated = new Promise<void>((resolve) => (resume = resolve));
      const em = orm.em.fork();
      const failure = failureOf(
        em.transactional(async (tx) => {
          await tx.getConnection().execute('select 1', [], 'all', tx.getTransactionContext());
          await terminated;
        }),
      );
      expect(await terminateSession(`state = 'idle in transaction'`)).toBe(1);
      // the client notices its connection's end before the commit is tried
      await new Promise((resolve) => setTimeout(resolve, 100));
      resume();
      expect(isDatabaseUnavailable(await failure)).toBe(true);
    }
    expect(await poolAnswers()).toEqual([{ one: 1 }]);
  });

  it(`still answers after ${POOL * 2} transactions lost their connection in a statement`, { timeout: 60_000 }, async () => {
    for (let loss = 0; loss < POOL * 2; loss++) {
      const em = orm.em.fork();
      const failure = failureOf(em.transactional(async (tx) => tx.getConnection().execute('select pg_sleep(30)', [], 'all', tx.getTransactionContext())));
      expect(await terminateSession(`query like 'select pg_sleep%'`)).toBe(1);
      expect(isDatabaseUnavailable(await failure)).toBe(true);
    }
    expect(await poolAnswers()).toEqual([{ one: 1 }]);
  });
});
