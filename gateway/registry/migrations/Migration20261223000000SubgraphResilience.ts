import { Migration } from '@mikro-orm/migrations';

/**
 * How the gateway protects itself from a slow or failing municipal subgraph, set per
 * registration (null: the defaults of gateway/registry/subgraphLimits.ts), the headers the hub
 * sends it (a static Authorization; never shown back), what the last health check measured,
 * and DRIFTED: the subgraph answers with another SDL than the one it was registered with.
 */
export class Migration20261223000000SubgraphResilience extends Migration {
  override name = 'Migration20261223000000SubgraphResilience';

  override up(): void {
    this.addSql(`
      alter table registry.subgraph
        add column if not exists timeout_ms integer check (timeout_ms between 50 and 60000),
        add column if not exists max_concurrency integer check (max_concurrency between 1 and 1000),
        add column if not exists breaker_failures integer check (breaker_failures between 1 and 100),
        add column if not exists breaker_cooldown_ms integer check (breaker_cooldown_ms between 100 and 3600000),
        -- { "Authorization": "Bearer …" }: sent with every request to the subgraph; a secret
        add column if not exists outbound_headers jsonb not null default '{}'::jsonb check (jsonb_typeof(outbound_headers) = 'object'),
        -- how long the last health check took
        add column if not exists latency_ms integer`);
    this.addSql(`alter table registry.subgraph drop constraint if exists subgraph_status_check`);
    this.addSql(`alter table registry.subgraph add constraint subgraph_status_check check (status in ('UP', 'DOWN', 'UNKNOWN', 'DRIFTED'))`);
  }
}
