// The subgraph's side of the answer cache: each query's answer carries what it was computed
// from (`extensions.cache`), for the gateway to key and invalidate it by
// (gateway/cache/answerCache.ts). Only queries (a mutation changes data), and only with no error
// but access refusals: those follow from the caller's scope and the data like the data itself
// (a refusal that names the caller read the name, and is not kept); any other error may be
// transient (the database away) or the caller's own mistake.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { AnswerDependencies } from './answerDependencies.ts';

/** The extension's name in a subgraph's answer; the gateway removes it before anyone sees it. */
export const CACHE_EXTENSION = 'cache';

const CACHEABLE_ERRORS = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

export function answerCachePlugin<TContext extends BaseContext>(answerOf: (context: TContext) => AnswerDependencies): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operation }) {
          if (response.body.kind !== 'single' || operation?.operation !== 'query') return;
          const result = response.body.singleResult;
          if (result.errors?.some((error) => !CACHEABLE_ERRORS.has(String(error.extensions?.code)))) return;
          const verdict = answerOf(contextValue).verdict();
          if (!verdict) return;
          result.extensions = { ...result.extensions, [CACHE_EXTENSION]: verdict };
        },
      };
    },
  };
}
