// The HTTP side of SERVICE_UNAVAILABLE (the database is away), the same at the gateway and at
// every subgraph: an answer with such an error carries `Retry-After: DATABASE_RETRY_AFTER_SECONDS`.
// Its status is what GraphQL over HTTP gives an answer with data — 200, the fields that could be
// read are there, the others are null with their errors — unless there is no data at all (`data`
// null or absent): then nothing of the request was done and the status is 503, as for a request
// refused before GraphQL ran (lib/graphql/httpServer.ts). The gateway reads a subgraph's 503 back
// into SERVICE_UNAVAILABLE for that subgraph's fields (gateway/server.ts).
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_CODE } from '../database/availability.ts';

export const retryAfterHeader = (): Record<string, string> => ({ 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) });

export function serviceUnavailablePlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!errors?.some((error) => error.extensions?.code === DATABASE_UNAVAILABLE_CODE)) return;
          for (const [name, value] of Object.entries(retryAfterHeader())) response.http.headers.set(name, value);
          if (data === null || data === undefined) response.http.status = 503;
        },
      };
    },
  };
}
