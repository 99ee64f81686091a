// One answer for every caller of a while: a flood of /health calls costs one round of subgraph
// calls (and their database pings) per period, however many callers there are.

/**
 * `fn`, called at most once per `ms` milliseconds: every caller in between — and every caller
 * while a call is under way — gets that call's result (or error).
 */
export function sharedFor<T>(ms: number, fn: () => Promise<T>): () => Promise<T> {
  let last: { promise: Promise<T>; settledAt: number | null } | null = null;
  return () => {
    const now = Date.now();
    if (last && (last.settledAt === null || now - last.settledAt < ms)) return last.promise;
    const entry: { promise: Promise<T>; settledAt: number | null } = { promise: fn(), settledAt: null };
    const settled = () => {
      entry.settledAt = Date.now();
    };
    entry.promise.then(settled, settled);
    last = entry;
    return entry.promise;
  };
}
