// A service's connection pool as gauges, read when scraped: connections in use and idle, callers
// waiting for one (the first sign of a pool too small or a database too slow), and the maximum.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { MetricsRegistry } from './metrics.ts';

/** `pool`: which of the service's pools (`main`, or the gateway's `registry`). */
export function watchDatabasePool(metrics: MetricsRegistry, orm: MikroORM, pool = 'main'): void {
  const connections = metrics.gauge('gongkai_db_pool_connections', 'Connections of the service\'s database pool, by state (in_use, idle)', ['pool', 'state']);
  const waiting = metrics.gauge('gongkai_db_pool_waiting', 'Callers waiting for a connection of the service\'s database pool', ['pool']);
  const max = metrics.gauge('gongkai_db_pool_max', 'Most connections the service\'s database pool opens', ['pool']);
  metrics.collect(async () => {
    const native = await orm.em.getConnection().getNativeClient();
    connections.set({ pool, state: 'in_use' }, native.totalCount - native.idleCount);
    connections.set({ pool, state: 'idle' }, native.idleCount);
    waiting.set({ pool }, native.waitingCount);
    max.set({ pool }, native.options.max ?? 10);
  });
}
