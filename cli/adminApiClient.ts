// A command talking to a running gateway's admin API instead of the database: what a city's
// team has (a URL and an admin token), where the operator has database credentials. `--url`
// and `--token`, or GONGKAI_URL and GONGKAI_TOKEN. Every refusal comes back as one line with
// the API's own code; a gateway that cannot be reached or is not one is said so, in one line.
import { CliError } from './errors.ts';

export interface AdminApiTarget {
  /** The gateway's GraphQL endpoint: http://gateway:4000/graphql */
  url: URL;
  token: string;
}

/** How long one admin request may take: a registration fetches an SDL and composes. */
const REQUEST_TIMEOUT_MS = 120_000;

const valueOf = (args: readonly string[], option: string): string | undefined => {
  const at = args.indexOf(option);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new CliError('USAGE', `${option} needs a value`);
  return value;
};

/**
 * The gateway to talk to, from --url/--token or GONGKAI_URL/GONGKAI_TOKEN (the options win);
 * null when neither names a gateway: the command works on the database.
 */
export function adminApiTargetFrom(args: readonly string[], env: NodeJS.ProcessEnv = process.env): AdminApiTarget | null {
  const rawUrl = valueOf(args, '--url') ?? (env.GONGKAI_URL || undefined);
  const token = valueOf(args, '--token') ?? (env.GONGKAI_TOKEN || undefined);
  if (rawUrl === undefined) {
    if (args.includes('--token')) throw new CliError('USAGE', '--token goes with --url (or GONGKAI_URL): the gateway to send it to, http://gateway:4000/graphql');
    return null;
  }
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new CliError('USAGE', `--url (GONGKAI_URL) is the gateway's GraphQL endpoint, such as http://gateway:4000/graphql, not '${rawUrl}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError('USAGE', `--url (GONGKAI_URL) is http:// or https://, not '${url.protocol}'`);
  if (!token) throw new CliError('USAGE', '--url needs an admin token: --token JWT or GONGKAI_TOKEN (gongkai token --sub you --region CODE --roles admin, in development)');
  return { url, token };
}

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, '; ').trim();

/** Sends one operation as the token's bearer: its data, or a CliError with the API's code and message in one line. */
export async function callAdminApi<T>(target: AdminApiTarget, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const where = target.url.origin;
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${target.token}`, 'apollo-require-preflight': 'true' },
      body: JSON.stringify({ query, variables }),
      redirect: 'error',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = (error as Error)?.name === 'TimeoutError';
    throw new CliError(
      'GATEWAY_UNREACHABLE',
      timedOut
        ? `the gateway at ${where} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s; it may still finish: look with gongkai subgraph list before trying again`
        : `the gateway at ${where} could not be reached: check --url (GONGKAI_URL) and that it runs; nothing was changed`,
    );
  }
  let answer: GraphQLAnswer<T>;
  try {
    answer = (await response.json()) as GraphQLAnswer<T>;
  } catch {
    throw new CliError('NOT_A_GATEWAY', `${where} answered ${response.status} without a GraphQL response: check that --url (GONGKAI_URL) is the gateway's /graphql; nothing was changed`);
  }
  const [error] = answer?.errors ?? [];
  if (error) {
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : response.status === 401 ? 'UNAUTHENTICATED' : 'REGISTRY_REFUSED';
    // this command's operations are valid against a gateway of its own release
    if (code === 'GRAPHQL_VALIDATION_FAILED') {
      throw new CliError('GATEWAY_VERSION_MISMATCH', `the gateway at ${where} does not know this request (${oneLine(String(error.message))}): it runs another release than this gongkai; use the gongkai of its release, or upgrade it`);
    }
    throw new CliError(code, oneLine(typeof error.message === 'string' ? error.message : 'the gateway refused the request'));
  }
  if (!response.ok || answer?.data == null) {
    throw new CliError('NOT_A_GATEWAY', `${where} answered ${response.status} without data: check that --url (GONGKAI_URL) is the gateway's /graphql; nothing was changed`);
  }
  return answer.data;
}
