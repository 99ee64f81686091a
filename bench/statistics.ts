// What every benchmark section computes the same way: quantiles of its timings, and the wait
// for the database to be idle after a load (a gateway finishes what it accepted after the load
// stops, so the next measurement would otherwise share the machine with its tail).
import type { Queryable } from './dashboard.ts';

/** The q-quantile (0–1) by linear interpolation between the closest ranks; NaN for no values. */
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (i - lo);
}

/** Waits (at most 3 minutes) until no other statement is active in the client's database. */
export async function waitUntilDatabaseIdle(client: Queryable): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const { rows } = await client.query(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`,
    );
    if (rows[0].n === 0) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
