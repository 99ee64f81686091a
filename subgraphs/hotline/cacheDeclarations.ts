// What each resolver of the hotline subgraph reads, for the gateway's answer cache
// (lib/cache/answerDependencies.ts). Figures depend on the tickets of their region's subtree in
// the years of their period: an import records the region and year of every ticket it wrote.
// A period that has not ended is counted "as of now" (overdue, resolved): its answer changes
// with the clock alone and is never cached. Tickets and their callers are never cached.
import type { CacheDeclarations } from '../../lib/cache/answerDependencies.ts';
import { subtreeDependency } from '../../lib/cache/changes.ts';
import { NATIONAL } from '../../lib/auth/identity.ts';
import type { HotlineContext } from './loaders.ts';
import { periodArguments, type PeriodArgs } from './rollups/period.ts';

/** The subtree in every year of the period; null (not cached) while the period runs. */
function periodDependencies(code: string, args: PeriodArgs, now = Date.now()): string[] | null {
  const period = periodArguments(args);
  if (Date.parse(period.end) > now) return null;
  const first = Number(period.from.slice(0, 4));
  const last = Number(period.to.slice(0, 4));
  return Array.from({ length: last - first + 1 }, (_, i) => subtreeDependency(code, first + i));
}

export const hotlineCacheDeclarations: CacheDeclarations<HotlineContext> = {
  'Query.hotlineLines': 'static',
  'Query.hotlineCategories': 'static',
  'Query.hotlineChannels': 'static',
  // worklists of tickets: read to be acted on, and their callers are personal data
  'Query.tickets': 'uncacheable',
  'Query.hotlineRanking': (_parent: unknown, args: PeriodArgs & { regionCode: string }) => periodDependencies(args.regionCode, args),
  'Query._listSizes': 'uncacheable',
  'Region.__resolveReference': 'parent',
  'Region.hotlineTicketsReceived': (region: { code: string }, args: { year: number }) => periodDependencies(region.code, { year: args.year }),
  'Region.hotline': (region: { code: string }, args: PeriodArgs) => periodDependencies(region.code, args),
  'Agency.__resolveReference': 'parent',
  // the agency's tickets are coded to regions that need not be its own: any region's
  'Agency.hotline': (_agency: unknown, args: PeriodArgs) => periodDependencies(NATIONAL, args),
  'Ticket.platformId': 'uncacheable',
  'Ticket.line': 'uncacheable',
  'Ticket.channel': 'uncacheable',
  'Ticket.category': 'uncacheable',
  'Ticket.region': 'uncacheable',
  'Ticket.agency': 'uncacheable',
  'Ticket.dispatchMode': 'uncacheable',
  'Ticket.receivedAt': 'uncacheable',
  'Ticket.dispatchedAt': 'uncacheable',
  'Ticket.dueAt': 'uncacheable',
  'Ticket.resolvedAt': 'uncacheable',
  'Ticket.closedAt': 'uncacheable',
  'Ticket.statusHistory': 'uncacheable',
  'Ticket.overdue': 'uncacheable',
  'Ticket.handlingHours': 'uncacheable',
  'Ticket.callerName': 'uncacheable',
  'Ticket.callerPhone': 'uncacheable',
  'Ticket.text': 'uncacheable',
  'Ticket.personalDataMasked': 'uncacheable',
  'Ticket.dataOrigin': 'uncacheable',
  'HotlineFigures.byCategory': 'parent',
  'HotlineFigures.byLine': 'parent',
  'HotlineFigures.byChannel': 'parent',
  'HotlineFigures.byMonth': 'parent',
  'HotlineCount.name': 'static',
};
