// The hotline subgraph's own metrics, read from its tables when scraped (at most every 10 s).
// Imports run as their own processes (`gongkai hotline import`), which end with their summary of
// rows imported and rejected; what a scrape sees of them is the tickets they left. A count of
// millions of tickets would scan the table: the planner's estimate is shown instead.
import type { MikroORM } from '@mikro-orm/postgresql';
import { sql } from '../../lib/database/sql.ts';
import { atMostEvery, type MetricsRegistry } from '../../lib/observability/metrics.ts';

const TABLE_READ_MS = 10_000;

export function hotlineMetrics(metrics: MetricsRegistry, orm: MikroORM): void {
  const tickets = metrics.gauge('gongkai_hotline_tickets_estimate', 'Tickets stored, as Postgres estimates them (pg_class.reltuples, kept current by autovacuum and ANALYZE)');
  metrics.collect(
    atMostEvery(TABLE_READ_MS, async () => {
      const [row] = await sql<{ estimate: number }>(orm.em.fork(), `select reltuples::float8 as estimate from pg_class where oid = 'hotline.ticket'::regclass`);
      // -1: never analysed yet, no estimate
      if (row && row.estimate >= 0) tickets.set({}, row.estimate);
    }),
  );
}
