// One entity request per subgraph where the query plan makes several at once. A dashboard asks
// the same figures of a province, its cities and their counties: Apollo Gateway's plan fetches
// them as one `_entities` request per level, in parallel, each with the same selection — three
// requests to the reports subgraph, three to the hotline subgraph, each paying its HTTP round
// trip, signature, nonce, GraphQL pipeline and SQL statement (docs/performance.md, "Where a miss
// spends its time"). Requests of one incoming request, to one subgraph, started in the same turn
// of the event loop, that differ only in their operation's name and their representations are
// sent as one request whose representations are theirs end to end; each gets its own slice of
// the answer back, and the errors of its own entities (their `_entities` index moved back).
//
// Only `_entities` requests are joined (one entity batch is one loader batch in the subgraph, so
// the answer of each entity is what it would have been alone), only within one incoming request
// (one caller, one identity: nothing crosses callers), and only when the rest of the variables
// are equal. Anything else goes through unchanged.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';

type Options<TContext extends Record<string, any>> = GraphQLDataSourceProcessOptions<TContext>;
type Response = Awaited<ReturnType<GraphQLDataSource['process']>>;

interface Waiting<TContext extends Record<string, any>> {
  options: Options<TContext>;
  representations: unknown[];
  settle: (response: Response) => void;
  fail: (error: unknown) => void;
}

/** `query Name(` → `query (`: requests that differ only in their operation's name compare equal. */
const withoutOperationName = (query: string, name: string | undefined): string | null =>
  name && query.startsWith(`query ${name}(`) ? `query (${query.slice(`query ${name}(`.length)}` : null;

/** The part of a request that must be equal for two of them to be joined, or null: never joined. */
function joinKey(options: Options<Record<string, any>>): string | null {
  // an operation of a client's request (not a health check, not the schema's loading)
  if (!('incomingRequestContext' in options)) return null;
  const { query, variables, operationName } = options.request;
  if (typeof query !== 'string' || !variables || !Array.isArray(variables.representations) || !query.includes('_entities(')) return null;
  const shape = withoutOperationName(query, operationName);
  if (shape === null) return null;
  const { representations: _, ...rest } = variables;
  return `${shape}\n${JSON.stringify(rest)}`;
}

/** The part of a joined answer that belongs to the entities from `offset` to `offset + count`. */
function sliceOf(response: Response, offset: number, count: number): Response {
  const entities = (response.data as { _entities?: unknown[] } | null | undefined)?._entities;
  const errors = response.errors?.flatMap((error) => {
    const [root, index, ...rest] = error.path ?? [];
    // an error of no entity in particular concerns every part
    if (root !== '_entities' || typeof index !== 'number') return [error];
    if (index < offset || index >= offset + count) return [];
    return [{ ...error, path: ['_entities', index - offset, ...rest] }];
  });
  return {
    ...response,
    data: Array.isArray(entities) ? { ...response.data, _entities: entities.slice(offset, offset + count) } : response.data,
    ...(errors && errors.length > 0 ? { errors } : { errors: undefined }),
  };
}

/**
 * Wraps a subgraph's data source: concurrent entity requests of one incoming request, with the
 * same selection and variables, are joined into one. `joined` counts the requests not sent.
 */
export class EntityBatchingDataSource<TContext extends Record<string, any>> implements GraphQLDataSource<TContext> {
  readonly #inner: GraphQLDataSource<TContext>;
  /** Per incoming request (its context object), per join key: the requests of this turn. */
  readonly #waiting = new WeakMap<object, Map<string, Waiting<TContext>[]>>();
  joined = 0;

  constructor(inner: GraphQLDataSource<TContext>) {
    this.#inner = inner;
  }

  process(options: Options<TContext>): Promise<Response> {
    const key = joinKey(options as Options<Record<string, any>>);
    const owner = 'incomingRequestContext' in options ? (options.incomingRequestContext as object) : null;
    if (key === null || owner === null) return this.#inner.process(options);
    let byKey = this.#waiting.get(owner);
    if (!byKey) {
      byKey = new Map();
      this.#waiting.set(owner, byKey);
      // every fetch of a parallel plan node starts before this runs
      setImmediate(() => {
        this.#waiting.delete(owner);
        for (const group of byKey!.values()) this.#send(group);
      });
    }
    return new Promise((settle, fail) => {
      const group = byKey.get(key) ?? [];
      group.push({ options, representations: options.request.variables!.representations as unknown[], settle, fail });
      byKey.set(key, group);
    });
  }

  #send(group: Waiting<TContext>[]): void {
    if (group.length === 1) {
      const [only] = group;
      this.#inner.process(only!.options).then(only!.settle, only!.fail);
      return;
    }
    this.joined += group.length - 1;
    const [first] = group;
    const representations = group.flatMap((w) => w.representations);
    const request = { ...first!.options.request, variables: { ...first!.options.request.variables, representations } };
    this.#inner.process({ ...first!.options, request }).then(
      (response) => {
        let offset = 0;
        for (const waiting of group) {
          waiting.settle(sliceOf(response, offset, waiting.representations.length));
          offset += waiting.representations.length;
        }
      },
      (error: unknown) => {
        for (const waiting of group) waiting.fail(error);
      },
    );
  }
}

/**
 * A gateway's `buildService` whose data sources for the subgraphs `applies` names batch their
 * entity fetches (the hub's own; a municipal subgraph's requests are filtered per region first).
 */
export function batchingEntityFetches<TDefinition extends { name: string }, TSource extends GraphQLDataSource<any>>(
  applies: (name: string) => boolean,
  build: (definition: TDefinition) => TSource,
): (definition: TDefinition) => TSource | EntityBatchingDataSource<any> {
  return (definition) => {
    const source = build(definition);
    return applies(definition.name) ? new EntityBatchingDataSource(source) : source;
  };
}
