// Answers of the region and agency pages kept for a short while, so that going back up the
// breadcrumb (or the browser's back button) shows a page already seen at once. Keyed by the
// operation, its variables and the signed-in token (what the API shows depends on it); answers
// with errors are not kept, so a refusal or failure is always asked again.
import { query, type ApiResult } from '../../api/client';
import { session } from '../../api/session';
import type { TypedDocumentString } from '../../gql/graphql';

const KEEP_MS = 2 * 60_000;
const MAX_ENTRIES = 40;
const kept = new Map<string, { at: number; result: ApiResult<unknown> }>();

export async function recentQuery<TData, TVariables>(
  document: TypedDocumentString<TData, TVariables>,
  variables: TVariables,
): Promise<ApiResult<TData>> {
  const key = JSON.stringify([document.__meta__?.hash, variables, session.token]);
  const hit = kept.get(key);
  if (hit && Date.now() - hit.at < KEEP_MS) return hit.result as ApiResult<TData>;
  const result = await query(document, variables);
  if (result.errors.length === 0) {
    kept.delete(key);
    kept.set(key, { at: Date.now(), result });
    // a Map iterates in insertion order: the first key is the oldest
    if (kept.size > MAX_ENTRIES) kept.delete(kept.keys().next().value!);
  }
  return result;
}
