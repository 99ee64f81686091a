// Every read of the hotline graph goes through these loaders: a batch of regions, agencies or
// tickets costs one SQL statement, per distinct argument set (loaderFamily).
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphContext } from '../../lib/runtime/subgraph.ts';
import type { Identity } from '../../lib/auth/identity.ts';
import { groupedByKey, loaderFamily } from '../../lib/graphql/batching.ts';
import { sql } from '../../lib/database/sql.ts';
import type { Period } from './rollups/period.ts';
import { agencyScopes, rollup, type Figures } from './rollups/rollupSql.ts';
import { figuresOfRegions } from './rollups/yearRollup.ts';
import { monthlyFigures, type MonthFigures, type SeriesScope } from './rollups/monthly.ts';

export interface StatusChangeRow {
  ticket_id: string;
  status: string;
  at: Date;
  recorded_at: Date;
  source: string | null;
}

export interface ReferenceRow {
  code: string;
  name: string;
}

export type ReferenceKind = 'line' | 'category' | 'channel';

export function createHotlineLoaders(em: EntityManager, identity: Identity) {
  const regionFigures = loaderFamily(
    (args: { period: Period; includeSubtree: boolean; breakdowns: boolean }) =>
      new DataLoader<string, Figures>((codes) => figuresOfRegions(em, codes, args.period, args)),
  );

  const agencyFigures = loaderFamily(
    (period: Period) => new DataLoader<string, Figures>((ids) => rollup(em, agencyScopes(ids), period, ids)),
  );

  const monthFigures = loaderFamily(
    (args: { period: Period; scope: SeriesScope }) =>
      new DataLoader<string, MonthFigures[]>((keys) => monthlyFigures(em, keys, args.period, args.scope)),
  );

  const statusHistory = new DataLoader<string, StatusChangeRow[]>(async (ids) =>
    groupedByKey(
      ids,
      await sql<StatusChangeRow>(
        em,
        `select ticket_id::text as ticket_id, status, at, recorded_at, source
           from hotline.ticket_status_change where ticket_id = any($1::bigint[]) order by ticket_id, at, id`,
        [[...ids]],
      ),
      (row) => row.ticket_id,
    ),
  );

  // The reference tables are short: the first use in a request loads all three.
  let reference: Promise<Record<ReferenceKind, ReferenceRow[]>> | undefined;
  const referenceTables = () =>
    (reference ??= sql<ReferenceRow & { kind: ReferenceKind }>(
      em,
      `select 'line' as kind, code, name, position from hotline.line
       union all select 'category', code, name, position from hotline.category
       union all select 'channel', code, name, position from hotline.channel
       order by kind, position, code`,
    ).then((rows) => ({
      line: rows.filter((r) => r.kind === 'line'),
      category: rows.filter((r) => r.kind === 'category'),
      channel: rows.filter((r) => r.kind === 'channel'),
    })));
  const referenceRow = async (kind: ReferenceKind, code: string | null): Promise<ReferenceRow | null> =>
    code === null ? null : ((await referenceTables())[kind].find((r) => r.code === code) ?? { code, name: code });

  /** The region an agency of the directory belongs to (null for an id no agency has). */
  const agencyRegion = new DataLoader<string, string | null>(async (ids) => {
    const rows = await sql<{ id: string; region_code: string }>(
      em,
      `select id::text as id, region_code from directory.agency where id = any($1::int[])`,
      [ids.map(Number)],
    );
    const regions = new Map(rows.map((row) => [row.id, row.region_code]));
    return ids.map((id) => regions.get(id) ?? null);
  });

  /**
   * Every ticket whose personal data a response shows in clear is written to the audit log:
   * one statement for all the tickets of a request.
   */
  const recordPersonalDataRead = new DataLoader<string, true, string>(
    async (keys) => {
      const reads = keys.map((key) => key.split(':') as [string, string]);
      await sql(
        em,
        `insert into hotline.personal_data_read (subject, subject_region, ticket_id, fields)
         select $1, $2, ticket_id, array_agg(field order by field)
           from unnest($3::bigint[], $4::text[]) as r(ticket_id, field) group by ticket_id`,
        [identity.subject, identity.region, reads.map(([ticket]) => ticket), reads.map(([, field]) => field)],
      );
      return keys.map(() => true as const);
    },
  );

  return { regionFigures, agencyFigures, monthFigures, statusHistory, referenceTables, referenceRow, agencyRegion, recordPersonalDataRead };
}

export type HotlineLoaders = ReturnType<typeof createHotlineLoaders>;
export type HotlineContext = SubgraphContext<HotlineLoaders>;
