// The answer cache's counters as the hub's gateway reports them on /metrics (loopback), to say
// how a run used the cache: hits, misses, answers stored and dropped as stale.
const EVENTS = ['hits', 'misses', 'stored', 'stale', 'evicted'] as const;
export type AnswerCacheEvents = Record<(typeof EVENTS)[number], number>;

/** The counters now; null when the gateway has no answer cache. */
export async function answerCacheEvents(graphqlUrl: string): Promise<AnswerCacheEvents | null> {
  const text = await (await fetch(new URL('/metrics', graphqlUrl))).text();
  const events = Object.fromEntries(
    EVENTS.map((event) => [event, Number(new RegExp(`^gongkai_answer_cache_events\\{[^}]*event="${event}"[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? NaN)]),
  ) as AnswerCacheEvents;
  return Number.isNaN(events.hits) ? null : events;
}

/** What happened between two readings. */
export const eventsBetween = (before: AnswerCacheEvents, after: AnswerCacheEvents): AnswerCacheEvents =>
  Object.fromEntries(EVENTS.map((event) => [event, after[event] - before[event]])) as AnswerCacheEvents;

export function describeEvents(events: AnswerCacheEvents): string {
  const lookups = events.hits + events.misses;
  const share = lookups ? ((100 * events.hits) / lookups).toFixed(1) : '—';
  return `${events.hits} subrequests answered from the cache, ${events.misses} sent (${share} % hits); ${events.stored} answers kept, ${events.stale} dropped as changed by a write, ${events.evicted} evicted`;
}
