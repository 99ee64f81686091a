// Every resolver of every subgraph says what it reads, or the subgraph does not start: this
// test finds a missing declaration before a start does.
import { describe, expect, it } from 'vitest';
import { AnswerDependencies, declareAnswerDependencies } from '../../lib/cache/answerDependencies.ts';
import { agenciesSubgraph } from '../../subgraphs/agencies/subgraph.ts';
import { reportsSubgraph } from '../../subgraphs/reports/subgraph.ts';
import { hotlineSubgraph } from '../../subgraphs/hotline/subgraph.ts';

const answerOf = (context: { answer: AnswerDependencies }) => context.answer;

describe('cache declarations', () => {
  for (const module of [agenciesSubgraph, reportsSubgraph, hotlineSubgraph]) {
    it(`${module.name}: one declaration per resolver, none left over`, () => {
      expect(() =>
        declareAnswerDependencies(module.resolvers as Record<string, Record<string, unknown>>, module.cacheDeclarations as never, answerOf),
      ).not.toThrow();
    });
  }

  it('names the resolvers without a declaration and the declarations without a resolver', () => {
    expect(() =>
      declareAnswerDependencies({ Query: { a: () => 1, b: () => 2 } }, { 'Query.a': 'static', 'Query.c': 'static' }, answerOf),
    ).toThrow('without a declaration: Query.b; declared without a resolver: Query.c');
  });

  it('scopes an answer by what the resolvers read of the caller', async () => {
    const resolvers = declareAnswerDependencies(
      {
        Query: {
          open: () => 1,
          scoped: (_: unknown, __: unknown, context: { identity: { region: string | null } }) => context.identity.region,
          named: (_: unknown, __: unknown, context: { identity: { subject: string | null } }) => context.identity.subject,
          later: async () => ({ code: '430102' }),
          running: () => 0,
        },
      },
      {
        'Query.open': 'static',
        'Query.scoped': 'static',
        'Query.named': 'static',
        'Query.later': (_parent: unknown, _args: unknown, _context: unknown, result: { code: string }) => [`r:${result.code}@2024`],
        'Query.running': () => null,
      },
      answerOf,
    ) as { Query: Record<string, (...args: unknown[]) => unknown> };
    const fresh = () => {
      const answer = new AnswerDependencies();
      return { answer, identity: answer.track({ subject: 'li', region: '430000', roles: ['analyst'] }) };
    };
    const open = fresh();
    resolvers.Query.open!(null, {}, open);
    expect(open.answer.verdict()).toEqual({ scope: 'public', dependencies: [] });
    const scoped = fresh();
    expect(resolvers.Query.scoped!(null, {}, scoped)).toBe('430000');
    expect(scoped.answer.verdict()).toEqual({ scope: 'jurisdiction', dependencies: [] });
    const named = fresh();
    resolvers.Query.named!(null, {}, named);
    expect(named.answer.verdict()).toBeNull();
    // the public has no name: asking for it scopes the answer, as the jurisdiction does
    const publicAnswer = new AnswerDependencies();
    resolvers.Query.named!(null, {}, { answer: publicAnswer, identity: publicAnswer.track({ subject: null, region: null, roles: [] }) });
    expect(publicAnswer.verdict()).toEqual({ scope: 'jurisdiction', dependencies: [] });
    const later = fresh();
    expect(await resolvers.Query.later!(null, {}, later)).toEqual({ code: '430102' });
    expect(later.answer.verdict()).toEqual({ scope: 'public', dependencies: ['r:430102@2024'] });
    const running = fresh();
    resolvers.Query.running!(null, {}, running);
    expect(running.answer.verdict()).toBeNull();
  });
});
