import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphContext } from '../../lib/runtime/subgraph.ts';
import { loaderFamily } from '../../lib/graphql/batching.ts';
import { subtreeBatchParams } from '../../lib/regions/codes.ts';
import { sql } from '../../lib/database/sql.ts';

export function createHotlineLoaders(em: EntityManager) {
  const ticketsReceived = loaderFamily(
    (year: number) =>
      new DataLoader<string, number>(async (codes) => {
        // Calendar year in China Standard Time: a ticket at 2024-12-31 23:30 +08 belongs to 2024.
        const rows = await sql<{ code: string; received: string }>(
          em,
          `select r.code, count(t.id) as received
             from unnest($1::text[], $2::text[]) as r(code, prefix)
             left join hotline.ticket t
               on t.region_code like r.prefix || '%'
              and t.received_at >= make_timestamptz($3, 1, 1, 0, 0, 0, 'Asia/Shanghai')
              and t.received_at < make_timestamptz($3 + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')
            group by r.code`,
          [...subtreeBatchParams(codes), year],
        );
        const received = new Map(rows.map((row) => [row.code, Number(row.received)]));
        return codes.map((code) => received.get(code) ?? 0);
      }),
  );
  return { ticketsReceived };
}

export type HotlineContext = SubgraphContext<ReturnType<typeof createHotlineLoaders>>;
