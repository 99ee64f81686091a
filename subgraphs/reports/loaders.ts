import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphContext } from '../../lib/runtime/subgraph.ts';
import { loaderFamily } from '../../lib/graphql/batching.ts';
import { subtreeBatchParams } from '../../lib/regions/codes.ts';
import { sql } from '../../lib/database/sql.ts';

export function createReportsLoaders(em: EntityManager) {
  const reportsFiled = loaderFamily(
    (year: number) =>
      new DataLoader<string, number>(async (codes) => {
        const rows = await sql<{ code: string; filed: string }>(
          em,
          `select r.code, count(distinct a.agency_id) as filed
             from unnest($1::text[], $2::text[]) as r(code, prefix)
             left join reports.annual_report a
               on a.region_code like r.prefix || '%' and a.year = $3 and a.superseded_at is null
            group by r.code`,
          [...subtreeBatchParams(codes), year],
        );
        const filed = new Map(rows.map((row) => [row.code, Number(row.filed)]));
        return codes.map((code) => filed.get(code) ?? 0);
      }),
  );
  return { reportsFiled };
}

export type ReportsContext = SubgraphContext<ReturnType<typeof createReportsLoaders>>;
