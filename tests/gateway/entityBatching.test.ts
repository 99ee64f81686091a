// gateway/entityBatching.ts: concurrent `_entities` requests of one incoming request to one
// subgraph, equal but for their operation's name and representations, are sent as one; each
// caller gets its own entities and errors back.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { describe, expect, it } from 'vitest';
import { EntityBatchingDataSource } from '../../gateway/entityBatching.ts';

type Options = GraphQLDataSourceProcessOptions<Record<string, any>>;
type Response = Awaited<ReturnType<GraphQLDataSource['process']>>;

const SELECTION = '($representations:[_Any!]!,$year:Int!){_entities(representations:$representations){...on Region{disclosure(year:$year){filed}}}}';

/** A subgraph that answers every representation with its code, and an error for the codes in `failing`. */
class FakeSubgraph implements GraphQLDataSource<Record<string, any>> {
  readonly requests: Options['request'][] = [];
  readonly failing: Set<string>;
  readonly broken: boolean;
  constructor(failing = new Set<string>(), broken = false) {
    this.failing = failing;
    this.broken = broken;
  }
  async process(options: Options): Promise<Response> {
    this.requests.push(options.request);
    if (this.broken) throw new Error('subgraph down');
    const representations = (options.request.variables?.representations ?? []) as { code: string }[];
    const errors = representations.flatMap((r, i) =>
      this.failing.has(r.code) ? [{ message: `no ${r.code}`, path: ['_entities', i, 'disclosure'] }] : [],
    );
    return {
      data: { _entities: representations.map((r) => (this.failing.has(r.code) ? null : { disclosure: { filed: Number(r.code) } })) },
      ...(errors.length ? { errors: errors as Response['errors'] } : {}),
    };
  }
}

const incoming = () => ({ request: {}, context: {} }) as unknown as Options & { kind: never };

function entityRequest(owner: object, name: string, codes: string[], year = 2024): Options {
  return {
    kind: 'incoming operation',
    incomingRequestContext: owner,
    context: {},
    request: { query: `query ${name}${SELECTION}`, operationName: name, variables: { representations: codes.map((code) => ({ __typename: 'Region', code })), year } },
  } as unknown as Options;
}

const filed = (response: Response) => (response.data as { _entities: ({ disclosure: { filed: number } } | null)[] })._entities.map((e) => e?.disclosure.filed ?? null);

describe('EntityBatchingDataSource', () => {
  it('sends concurrent entity requests of one incoming request as one, and gives each its own entities', async () => {
    const subgraph = new FakeSubgraph();
    const batching = new EntityBatchingDataSource(subgraph);
    const owner = incoming();
    const [a, b, c] = await Promise.all([
      batching.process(entityRequest(owner, 'Q__reports__2', ['1'])),
      batching.process(entityRequest(owner, 'Q__reports__4', ['11', '12'])),
      batching.process(entityRequest(owner, 'Q__reports__6', ['111', '112', '113'])),
    ]);
    expect(subgraph.requests).toHaveLength(1);
    expect((subgraph.requests[0]!.variables!.representations as unknown[]).length).toBe(6);
    expect([filed(a!), filed(b!), filed(c!)]).toEqual([[1], [11, 12], [111, 112, 113]]);
    expect(batching.joined).toBe(2);
  });

  it('gives each part the errors of its own entities, at their own index, and errors of no entity to all', async () => {
    const subgraph = new FakeSubgraph(new Set(['12']));
    const original = subgraph.process.bind(subgraph);
    subgraph.process = async (options) => {
      const response = await original(options);
      return { ...response, errors: [...(response.errors ?? []), { message: 'about the whole request' } as never] };
    };
    const batching = new EntityBatchingDataSource(subgraph);
    const owner = incoming();
    const [a, b] = await Promise.all([
      batching.process(entityRequest(owner, 'Q__reports__2', ['1'])),
      batching.process(entityRequest(owner, 'Q__reports__4', ['11', '12'])),
    ]);
    expect(a!.errors?.map((e) => [e.message, e.path])).toEqual([['about the whole request', undefined]]);
    expect(b!.errors?.map((e) => [e.message, e.path])).toEqual([
      ['no 12', ['_entities', 1, 'disclosure']],
      ['about the whole request', undefined],
    ]);
    expect(filed(b!)).toEqual([11, null]);
  });

  it('never joins requests of different incoming requests, other variables or other selections', async () => {
    const subgraph = new FakeSubgraph();
    const batching = new EntityBatchingDataSource(subgraph);
    const owner = incoming();
    const other = entityRequest(owner, 'Q__reports__6', ['3']);
    other.request.query = other.request.query!.replace('filed', 'late');
    await Promise.all([
      batching.process(entityRequest(owner, 'Q__reports__2', ['1'])),
      batching.process(entityRequest(incoming(), 'Q__reports__2', ['1'])),
      batching.process(entityRequest(owner, 'Q__reports__4', ['2'], 2023)),
      batching.process(other),
    ]);
    expect(subgraph.requests).toHaveLength(4);
    expect(batching.joined).toBe(0);
  });

  it('sends requests of different turns of the event loop, and requests that are not entity fetches, as they are', async () => {
    const subgraph = new FakeSubgraph();
    const batching = new EntityBatchingDataSource(subgraph);
    const owner = incoming();
    await batching.process(entityRequest(owner, 'Q__reports__2', ['1']));
    await batching.process(entityRequest(owner, 'Q__reports__4', ['2']));
    const plain = { ...entityRequest(owner, 'Q__reports__0', []), request: { query: 'query Q__reports__0{sectors{code}}', operationName: 'Q__reports__0' } } as Options;
    await Promise.all([batching.process(plain), batching.process(plain)]);
    expect(subgraph.requests.map((r) => r.operationName)).toEqual(['Q__reports__2', 'Q__reports__4', 'Q__reports__0', 'Q__reports__0']);
  });

  it('fails every joined request when the joined one fails', async () => {
    const batching = new EntityBatchingDataSource(new FakeSubgraph(new Set(), true));
    const owner = incoming();
    const outcomes = await Promise.allSettled([
      batching.process(entityRequest(owner, 'Q__reports__2', ['1'])),
      batching.process(entityRequest(owner, 'Q__reports__4', ['2'])),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});
