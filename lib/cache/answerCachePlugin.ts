// The subgraph's side of the answer cache: each query's answer carries what it was computed
// from (`extensions.cache`), for the gateway to key and invalidate it by
// (gateway/cache/answerCache.ts). Only queries without errors: a mutation changes data, and
// an error's message may name the caller or be transient (the database away).
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { AnswerDependencies } from './answerDependencies.ts';

/** The extension's name in a subgraph's answer; the gateway removes it before anyone sees it. */
export const CACHE_EXTENSION = 'cache';

export function answerCachePlugin<TContext extends BaseContext>(answerOf: (context: TContext) => AnswerDependencies): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operation }) {
          if (response.body.kind !== 'single' || operation?.operation !== 'query') return;
          const result = response.body.singleResult;
          if (result.errors?.length) return;
          const verdict = answerOf(contextValue).verdict();
          if (!verdict) return;
          result.extensions = { ...result.extensions, [CACHE_EXTENSION]: verdict };
        },
      };
    },
  };
}
