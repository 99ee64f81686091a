// Where the answer cache meets the gateway's calls to the hub's own subgraphs: a subrequest of
// a query is answered from the cache when it holds a current answer for the caller's scope,
// otherwise fetched and kept if the subgraph said what it was computed from. Mutations and
// answers with errors other than access refusals are never kept. The caller sees no difference
// but the time.
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { PUBLIC, type Identity } from '../../lib/auth/identity.ts';
import { CACHE_EXTENSION } from '../../lib/cache/answerCachePlugin.ts';
import type { CacheVerdict } from '../../lib/cache/answerDependencies.ts';
import type { MetricsRegistry } from '../../lib/observability/metrics.ts';
import { createLogger } from '../../lib/observability/log.ts';
import { AnswerCache } from './answerCache.ts';
import { ChangeFeed, type Generations } from './changeFeed.ts';

type Response = Awaited<ReturnType<NonNullable<import('@apollo/gateway').GraphQLDataSource['process']>>>;
type Options = GraphQLDataSourceProcessOptions<{ identity?: Identity }>;

const log = createLogger('gateway');

/** The verdict a subgraph attached, removed from the answer (no client sees it). */
function takeVerdict(response: Response): CacheVerdict | null {
  const extensions = response.extensions as Record<string, unknown> | undefined;
  const verdict = extensions?.[CACHE_EXTENSION] as CacheVerdict | undefined;
  if (!extensions || verdict === undefined) return null;
  delete extensions[CACHE_EXTENSION];
  if (Object.keys(extensions).length === 0) delete response.extensions;
  return verdict;
}

const isQuery = (text: string): boolean => !/^\s*(mutation|subscription)\b/.test(text);

/**
 * The change-log generations a subrequest was sent after. In-flight deduplication keys on the
 * request's headers (gateway/dedupe.ts), so a request joins one in flight only if no write
 * committed between their barriers: an answer sent before a write is never shared with — nor
 * cached for — a request that arrived after it.
 */
const GENERATIONS_HEADER = 'x-gongkai-cache-generations';

function stampRequest(options: Options, generations: Generations): void {
  const headers = new Headers(options.request.http?.headers as ConstructorParameters<typeof Headers>[0]);
  headers.set(GENERATIONS_HEADER, `${generations.epoch}:${generations.read.join(',')}`);
  options.request.http = { ...options.request.http, method: 'POST', url: options.request.http?.url ?? '', headers } as NonNullable<Options['request']['http']>;
}

export interface AnswerCacheOptions {
  /** Where the subgraphs' change logs are (the hub's database). */
  databaseUrl: string;
  /** The schemas of the subgraphs whose answers are cached (their names). */
  subgraphs: readonly string[];
  /** Memory for answers (GONGKAI_ANSWER_CACHE_MB; 0 turns the cache off). */
  maxBytes: number;
}

/**
 * The cache's settings from the environment: on with the hub's database (DATABASE_URL), in
 * GONGKAI_ANSWER_CACHE_MB of memory (256; 0 turns it off).
 */
export function answerCacheOptionsFromEnv(databaseUrl: string | undefined, subgraphs: readonly string[]): AnswerCacheOptions | null {
  const raw = process.env.GONGKAI_ANSWER_CACHE_MB?.trim() || '256';
  const megabytes = Number(raw);
  if (!Number.isFinite(megabytes) || megabytes < 0) throw new Error(`GONGKAI_ANSWER_CACHE_MB must be a number of megabytes (0 turns the cache off), got '${raw}'`);
  if (!databaseUrl || megabytes === 0) return null;
  return { databaseUrl, subgraphs, maxBytes: megabytes * 1024 * 1024 };
}

export class CachedSubrequests {
  readonly cache: AnswerCache;
  /** One barrier per client request, shared by all its subrequests (a WeakMap: it ends with the request). */
  readonly #barriers = new WeakMap<object, Promise<boolean>>();
  #warned = false;

  constructor(options: AnswerCacheOptions) {
    this.cache = new AnswerCache(new ChangeFeed(options.databaseUrl, options.subgraphs), options.maxBytes);
  }

  /** Whether the cache may be used for this request: the change logs were read after it arrived. */
  #ready(context: object): Promise<boolean> {
    let barrier = this.#barriers.get(context);
    if (!barrier) {
      barrier = this.cache.feed.barrier().then(
        () => true,
        (error: Error) => {
          // without the logs no answer can be known current: the request goes to the subgraphs
          if (!this.#warned) log.warn(`answer cache: cannot read the change logs (${error.message}); answering without the cache`);
          this.#warned = true;
          return false;
        },
      );
      this.#barriers.set(context, barrier);
    }
    return barrier;
  }

  async process(subgraph: string, options: Options, fetch: () => Promise<Response>): Promise<Response> {
    // health checks and schema loading are not a client's operation (GraphQLDataSourceRequestKind, not exported)
    if (String(options.kind) !== 'incoming operation' || !isQuery(options.request.query ?? '')) {
      const response = await fetch();
      takeVerdict(response);
      return response;
    }
    const context = options.context as { identity?: Identity };
    const identity = context.identity ?? PUBLIC;
    const subrequest = `${options.request.query}\0${JSON.stringify(options.request.variables ?? {})}`;
    const ready = await this.#ready(context);
    if (ready) {
      const cached = this.cache.lookup(subgraph, identity, subrequest);
      if (cached !== undefined) return cached as Response;
      this.#warned = false;
    }
    const generations = ready ? this.cache.feed.generations() : null;
    if (generations) stampRequest(options, generations);
    const response = await fetch();
    const verdict = takeVerdict(response);
    // the subgraph attaches a verdict only to answers whose errors may be kept (access refusals)
    if (verdict && generations && response.data) {
      this.cache.store(subgraph, identity, subrequest, verdict, { data: response.data, ...(response.errors?.length ? { errors: response.errors } : {}) }, generations);
    }
    return response;
  }

  observe(metrics: MetricsRegistry): void {
    const counts = metrics.gauge('gongkai_answer_cache_events', 'Answer cache events since the gateway started: hit, miss, stored, stale (dropped at lookup: a write changed it), evicted (memory)', ['event']);
    const size = metrics.gauge('gongkai_answer_cache_bytes', 'Memory held by cached subgraph answers (estimated)');
    const entries = metrics.gauge('gongkai_answer_cache_entries', 'Subgraph answers in the cache');
    const applied = metrics.gauge('gongkai_answer_cache_changes_applied', 'Changes read from the subgraphs\' change logs since the gateway started');
    metrics.collect(() => {
      const s = this.cache.statistics;
      for (const event of ['hits', 'misses', 'stored', 'stale', 'evicted'] as const) counts.set({ event }, s[event]);
      size.set({}, s.bytes);
      entries.set({}, this.cache.size);
      applied.set({}, this.cache.feed.applied);
    });
  }

  close(): Promise<void> {
    return this.cache.feed.close();
  }
}
