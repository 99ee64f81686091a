import type { HotlineContext, ReferenceKind } from '../loaders.ts';
import { demand } from '../../../lib/auth/policy.ts';
import type { RegionLevel } from '../../../lib/regions/divisions.ts';
import { sql } from '../../../lib/database/sql.ts';
import { invalidArgument } from '../../../lib/graphql/errors.ts';
import { decodeCursor, encodeCursor, isEpochMillis } from '../../../lib/graphql/cursor.ts';
import { idArgument, pageSizeArgument, regionCodeArgument } from '../../../lib/graphql/arguments.ts';
import { subtreePrefix } from '../../../lib/regions/codes.ts';
import { periodArguments, type PeriodArgs } from '../rollups/period.ts';
import { agenciesInSubtree, rollup, type Figures } from '../rollups/rollupSql.ts';
import { scoped } from './figures.ts';
import { TICKET_COLUMNS, type TicketRow } from './ticket.ts';

interface TicketsArgs extends PeriodArgs {
  regionCode: string;
  line?: string | null;
  category?: string | null;
  status?: string | null;
  agencyId?: string | null;
  first?: number | null;
  after?: string | null;
}

type Metric = 'RECEIVED' | 'OVERDUE' | 'ON_TIME_RATE' | 'SATISFACTION_RATE' | 'DISSATISFIED' | 'MEDIAN_HANDLING_HOURS';

interface RankingArgs extends PeriodArgs {
  regionCode: string;
  metric: Metric;
  by?: 'CHILD_REGIONS' | 'AGENCIES' | null;
  level?: RegionLevel | null;
  descending?: boolean | null;
  first?: number | null;
  after?: string | null;
}

// (value, key): a finite number or null, and a region code or an agency id padded to 18 digits
const isRankingPosition = (value: unknown): value is [number | null, string] =>
  Array.isArray(value) &&
  value.length === 2 &&
  (value[0] === null || Number.isFinite(value[0])) &&
  typeof value[1] === 'string' &&
  /^([0-9]{6}|[0-9]{18})$/.test(value[1]);

// Keyset cursor over (received_at desc, id desc): the position is [epoch ms, id].
const encodeTicketCursor = (t: TicketRow): string => encodeCursor('ticket', [new Date(t.received_at).getTime(), t.id]);

const isTicketPosition = (value: unknown): value is [number, string] =>
  Array.isArray(value) && value.length === 2 && isEpochMillis(value[0]) && typeof value[1] === 'string' && /^[0-9]{1,18}$/.test(value[1]);

function decodeTicketCursor(cursor: string): { at: string; id: string } {
  const [ms, id] = decodeCursor('ticket', cursor, isTicketPosition);
  return { at: new Date(ms).toISOString(), id };
}

async function codeArgument(kind: ReferenceKind, argument: string, value: string | null | undefined, context: HotlineContext) {
  if (value == null) return null;
  const known = (await context.loaders.referenceTables())[kind];
  if (!known.some((r) => r.code === value)) {
    throw invalidArgument(argument, `unknown ${kind} '${value}'; the codes are ${known.map((r) => r.code).join(', ')}`);
  }
  return value;
}

const METRICS: Record<Metric, (f: Figures) => number | null> = {
  RECEIVED: (f) => f.received,
  OVERDUE: (f) => f.overdue,
  ON_TIME_RATE: (f) => f.onTimeRate,
  SATISFACTION_RATE: (f) => f.satisfactionRate,
  DISSATISFIED: (f) => f.dissatisfied,
  MEDIAN_HANDLING_HOURS: (f) => f.medianHandlingHours,
};

export const queryResolvers = {
  hotlineLines: async (_: unknown, __: unknown, { loaders }: HotlineContext) => (await loaders.referenceTables()).line,
  hotlineCategories: async (_: unknown, __: unknown, { loaders }: HotlineContext) => (await loaders.referenceTables()).category,
  hotlineChannels: async (_: unknown, __: unknown, { loaders }: HotlineContext) => (await loaders.referenceTables()).channel,

  tickets: async (_: unknown, args: TicketsArgs, context: HotlineContext) => {
    const code = regionCodeArgument('regionCode', args.regionCode);
    demand(context.identity, 'read-internal', code, `the tickets of region ${code}`);
    const period = periodArguments(args);
    const first = pageSizeArgument('first', args.first ?? 50, 200);
    const line = await codeArgument('line', 'line', args.line, context);
    const category = await codeArgument('category', 'category', args.category, context);
    const agencyId = args.agencyId == null ? null : String(idArgument('agencyId', args.agencyId));
    const after = args.after ? decodeTicketCursor(args.after) : null;
    const prefix = subtreePrefix(code);
    const filter = `t.region_code >= $1 and t.region_code < $2 and t.received_at >= $3::timestamptz and t.received_at < $4::timestamptz
        and ($5::text is null or t.line_code = $5) and ($6::text is null or t.category_code = $6)
        and ($7::text is null or t.status = $7) and ($8::bigint is null or t.agency_id = $8::bigint)`;
    const params = [prefix, `${prefix}:`, period.start, period.end, line, category, args.status ?? null, agencyId];
    const rows = await sql<TicketRow>(
      context.em,
      `select ${TICKET_COLUMNS} from hotline.ticket t
        where ${filter} and ($9::timestamptz is null or (t.received_at, t.id) < ($9::timestamptz, $10::bigint))
        order by t.received_at desc, t.id desc limit $11`,
      [...params, after?.at ?? null, after?.id ?? null, first + 1],
    );
    const nodes = rows.slice(0, first);
    const edges = nodes.map((node) => ({ cursor: encodeTicketCursor(node), node }));
    return {
      edges,
      nodes,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: async () =>
        (await sql<{ n: number }>(context.em, `select count(*)::int as n from hotline.ticket t where ${filter}`, params))[0]!.n,
    };
  },

  hotlineRanking: async (_: unknown, args: RankingArgs, { em, loaders, identity }: HotlineContext) => {
    const code = regionCodeArgument('regionCode', args.regionCode);
    // Child regions are public rollups; a ranking of agencies shows per-agency figures, which are internal.
    if (args.by === 'AGENCIES') demand(identity, 'read-internal', code, `the agencies' hotline figures in region ${code}`);
    const period = periodArguments(args);
    const first = pageSizeArgument('first', args.first ?? 20, 500);
    const metric = METRICS[args.metric];
    const level = args.level ?? null;
    const sign = args.descending === false ? 1 : -1;
    // The cursor names its ranking: a position in another one (metric, period, order…) would
    // silently skip or repeat entries, so it is refused. The value, then the code or id, orders it totally.
    const kind = ['hotlineRanking', code, period.from, period.to, args.metric, args.by ?? 'CHILD_REGIONS', level ?? '', sign].join(':');
    const after = args.after ? decodeCursor(kind, args.after, isRankingPosition) : null;
    let entries: { region: { code: string } | null; agency: { id: string } | null; figures: Figures }[];
    if ((args.by ?? 'CHILD_REGIONS') === 'CHILD_REGIONS') {
      const children = await sql<{ code: string }>(
        em,
        `select code from directory.region where parent_code = $1 and ($2::text is null or level = $2) order by code`,
        [code, level],
      );
      const figures = await loaders.regionFigures({ period, includeSubtree: true, breakdowns: true }).loadMany(children.map((c) => c.code));
      entries = children.map((child, i) => {
        const f = figures[i];
        if (f instanceof Error || f === undefined) throw f ?? new Error('missing figures');
        return { region: { code: child.code }, agency: null, figures: scoped(f, period, { kind: 'region', includeSubtree: true }) };
      });
    } else {
      const figures = await rollup(em, agenciesInSubtree(subtreePrefix(code), level), period, null);
      entries = figures.map((f) => ({ region: null, agency: { id: f.key! }, figures: scoped(f, period, { kind: 'agency' }) }));
    }
    const key = (e: (typeof entries)[number]) => e.region?.code ?? e.agency!.id.padStart(18, '0');
    const valued = entries.map((e) => ({ ...e, value: metric(e.figures) }));
    const compare = (a: { value: number | null; key: string }, b: { value: number | null; key: string }): number => {
      if (a.value === null || b.value === null) return a.value === b.value ? a.key.localeCompare(b.key) : a.value === null ? 1 : -1;
      return sign * (a.value - b.value) || a.key.localeCompare(b.key);
    };
    valued.sort((a, b) => compare({ value: a.value, key: key(a) }, { value: b.value, key: key(b) }));
    const start = after ? valued.findIndex((e) => compare({ value: e.value, key: key(e) }, { value: after[0], key: after[1] }) > 0) : 0;
    if (start < 0) return [];
    // Ranks over the whole ranking, so equal values share a rank across pages too.
    let rank = 0;
    return valued.slice(0, start + first).flatMap((e, i) => {
      if (i === 0 || e.value !== valued[i - 1]!.value) rank = i + 1;
      return i < start ? [] : [{ ...e, rank, cursor: encodeCursor(kind, [e.value, key(e)]) }];
    });
  },
};
