// The dashboard's only way to the hub: its public GraphQL API at /graphql, with the typed
// operations of src/gql/. Each operation is sent first by its hash alone (automatic persisted
// queries): a gateway run with only its persisted documents knows the hash; any other gateway
// answers PERSISTED_QUERY_NOT_FOUND once and the text follows — the text the hash is of (the
// generator's normalised print), which is also the body in the gateway's manifest.
import type { TypedDocumentString } from '../gql/graphql';
import persistedDocuments from '../gql/persisted-documents.json';
import { session } from './session';

export interface ApiError {
  message: string;
  code: string | null;
  path: readonly (string | number)[] | null;
}

export interface ApiResult<TData> {
  data: TData | null;
  errors: ApiError[];
}

/** The request could not be answered at all (network, HTTP error without GraphQL errors). */
export class ApiFailure extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface RawError {
  message?: unknown;
  path?: unknown;
  extensions?: { code?: unknown };
}

const errorOf = (raw: RawError): ApiError => ({
  message: typeof raw.message === 'string' ? raw.message : '未知错误',
  code: typeof raw.extensions?.code === 'string' ? raw.extensions.code : null,
  path: Array.isArray(raw.path) ? (raw.path as (string | number)[]) : null,
});

async function post(body: Record<string, unknown>, token: string | null): Promise<{ data?: unknown; errors?: RawError[] }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(body) });
  } catch {
    throw new ApiFailure('NETWORK', '无法连接到数据中心（网络中断或服务未启动），请稍后重试');
  }
  const text = await response.text();
  try {
    return JSON.parse(text) as { data?: unknown; errors?: RawError[] };
  } catch {
    throw new ApiFailure(`HTTP_${response.status}`, `服务返回了无法解析的应答（HTTP ${response.status}）`);
  }
}

const PERSISTED_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';

/**
 * Runs one of the dashboard's operations as the signed-in user, or as the bearer of `token` when
 * given (sign-in checks a token before keeping it).
 */
export async function query<TData, TVariables>(
  document: TypedDocumentString<TData, TVariables>,
  variables: TVariables,
  token: string | null = session.token,
): Promise<ApiResult<TData>> {
  const key = String(document.__meta__?.hash ?? '');
  const text = (persistedDocuments as Record<string, string>)[key];
  if (!text) throw new ApiFailure('UNKNOWN_OPERATION', '前端的查询未生成（请运行 npm run dashboard:codegen）');
  const operation = { variables, extensions: { persistedQuery: { version: 1, sha256Hash: key.replace(/^sha256:/, '') } } };
  let answer = await post(operation, token);
  if (answer.errors?.some((error) => errorOf(error).code === PERSISTED_NOT_FOUND)) answer = await post({ ...operation, query: text }, token);
  const errors = (answer.errors ?? []).map(errorOf);
  if (answer.data === undefined || answer.data === null) {
    if (errors.length === 0) throw new ApiFailure('NO_DATA', '服务没有返回数据');
    if (errors.every((error) => error.path === null)) throw new ApiFailure(errors[0]!.code ?? 'ERROR', errors[0]!.message);
  }
  return { data: (answer.data ?? null) as TData | null, errors };
}

/** The API's error for a field (its path, list positions ignored), when it refused that field. */
export function errorAt(result: ApiResult<unknown>, ...path: string[]): ApiError | null {
  return (
    result.errors.find((error) => {
      const named = (error.path ?? []).filter((segment): segment is string => typeof segment === 'string');
      return path.every((segment, index) => named[index] === segment);
    }) ?? null
  );
}
