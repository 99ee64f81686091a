// Every request a service answers has an id: the client gets it (the `x-request-id` header, and
// `extensions.requestId` on every error), and the service's log names it beside whatever the
// client was not shown. The gateway passes its id on to the hub's subgraphs, so one id finds a
// request in every log. It is kept in async context, so code deep in a request (an error
// formatter, a data source) can name it without being handed it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

interface RequestScope {
  requestId: string;
}

const scope = new AsyncLocalStorage<RequestScope>();

export const newRequestId = (): string => randomUUID();

/** The id of the request being answered, or null outside one. */
export const currentRequestId = (): string | null => scope.getStore()?.requestId ?? null;

export const withRequestId = <T>(requestId: string, work: () => T): T => scope.run({ requestId }, work);

/**
 * An id given by the caller, when it looks like one (letters, digits, `-`, `_`; 8–64 of them):
 * subgraphs keep the gateway's, so that both logs name the request alike. Anything else is
 * ignored, and a fresh id is used.
 */
export function requestIdFromHeader(value: string | string[] | undefined): string | null {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(value) ? value : null;
}
