// Subgraph answers kept in the gateway's memory (docs/performance.md, "The answer cache").
//
// Key: the subgraph, the scope the answer was computed for and the subrequest itself (its
// query text and variables — the entity representations of a plan's fetch are variables).
// The scope is what the subgraph says its resolvers read of the caller (lib/cache/
// answerDependencies.ts): nothing — `public`, shared by every caller —, or the jurisdiction and
// roles — the region and sorted roles, shared by the callers with the same ones and no others.
// Never the token or the caller's name: answers that read the caller are not cached at all.
//
// Value: the answer's data, the keys of the changes that would make it stale and the
// generations of the change logs read before it was fetched (gateway/cache/changeFeed.ts).
// A lookup returns an answer only if no change since those generations touched its keys.
// Memory: least recently used answers go first beyond `maxBytes`.
import { createHash } from 'node:crypto';
import type { Identity } from '../../lib/auth/identity.ts';
import { EVERYTHING, keysCheckedFor, type Dependency } from '../../lib/cache/changes.ts';
import type { AnswerScope } from '../../lib/cache/answerDependencies.ts';
import type { ChangeFeed, Generations } from './changeFeed.ts';

interface Entry {
  /** The answer's data and errors (access refusals only), as JSON. */
  answer: string;
  keys: string[];
  generations: Generations;
  bytes: number;
}

export interface CachedAnswer {
  data: unknown;
  errors?: readonly unknown[];
}

export interface AnswerCacheStatistics {
  hits: number;
  misses: number;
  stored: number;
  stale: number;
  evicted: number;
  bytes: number;
}

/** The part of an identity an answer of the `jurisdiction` scope may depend on: signed in or not, region, roles. */
const jurisdictionOf = (identity: Identity): string =>
  `${identity.subject === null ? 'public' : 'signed'}|${identity.region ?? '-'}|${[...identity.roles].sort().join(',')}`;

export class AnswerCache {
  readonly feed: ChangeFeed;
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Entry>();
  readonly statistics: AnswerCacheStatistics = { hits: 0, misses: 0, stored: 0, stale: 0, evicted: 0, bytes: 0 };

  constructor(feed: ChangeFeed, maxBytes: number) {
    this.feed = feed;
    this.#maxBytes = maxBytes;
  }

  /** Answers held now. */
  get size(): number {
    return this.#entries.size;
  }

  #key(subgraph: string, scope: AnswerScope, identity: Identity, subrequest: string): string {
    const scopeKey = scope === 'public' ? 'public' : jurisdictionOf(identity);
    return createHash('sha256').update(subgraph).update('\0').update(scopeKey).update('\0').update(subrequest).digest('base64url');
  }

  /** The cached answer ({ data, errors }) of a subrequest for this caller, or undefined; call after the feed's barrier. */
  lookup(subgraph: string, identity: Identity, subrequest: string): CachedAnswer | undefined {
    for (const scope of ['public', 'jurisdiction'] as const) {
      const key = this.#key(subgraph, scope, identity, subrequest);
      const entry = this.#entries.get(key);
      if (!entry) continue;
      if (this.feed.isStale(entry.generations, entry.keys)) {
        this.#remove(key, entry);
        this.statistics.stale++;
        continue;
      }
      // most recently used last
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.statistics.hits++;
      return JSON.parse(entry.answer) as CachedAnswer;
    }
    this.statistics.misses++;
    return undefined;
  }

  /** Keeps an answer fetched after the feed had read `generations`. */
  store(subgraph: string, identity: Identity, subrequest: string, answer: { scope: AnswerScope; dependencies: Dependency[] }, value: CachedAnswer, generations: Generations): void {
    const key = this.#key(subgraph, answer.scope, identity, subrequest);
    // an answer of reference data alone is made stale by EVERYTHING only
    const keys = [...new Set([EVERYTHING, ...answer.dependencies.flatMap(keysCheckedFor)])];
    // changed while it was fetched: keeping it would only make the next lookup drop it
    if (this.feed.isStale(generations, keys)) return;
    const text = JSON.stringify(value);
    const entry: Entry = { answer: text, keys, generations, bytes: text.length * 2 + key.length + keys.length * 24 };
    if (entry.bytes > this.#maxBytes / 16) return;
    const previous = this.#entries.get(key);
    if (previous) this.#remove(key, previous);
    this.#entries.set(key, entry);
    this.statistics.bytes += entry.bytes;
    this.statistics.stored++;
    for (const [oldest, old] of this.#entries) {
      if (this.statistics.bytes <= this.#maxBytes) break;
      this.#remove(oldest, old);
      this.statistics.evicted++;
    }
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.statistics.bytes -= entry.bytes;
  }
}
