// Whether an error means "the database is not there right now" (down, restarting, unreachable)
// rather than "this statement failed". The first is temporary and answered as
// SERVICE_UNAVAILABLE with Retry-After (services) or DATABASE_UNAVAILABLE (commands); the driver's
// own words (`connect ECONNREFUSED 127.0.0.1:54320`) never reach a user.

/** Node's socket errors when a server is gone or never answered. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN',
  'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN',
]);
/**
 * SQLSTATEs of a server that is shutting down or starting up (57P01–57P03, 57P05; a backend
 * whose postmaster was killed says 57P01), of a lost connection (class 08) and of a server with
 * every connection slot taken (53300).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[1235]|53300)$/;
/** What pg and pg-pool throw, without a code, when a connection dies under them. */
const LOST_CONNECTION_MESSAGES = [
  'Connection terminated',
  'Connection terminated unexpectedly',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'the database system is starting up',
  'the database system is shutting down',
  'the database system is in recovery mode',
];
/** pg.Client's own connect timeout (connectionTimeoutMillis) says only this: matched whole, not as a part. */
const CONNECT_TIMEOUT_MESSAGE = 'timeout expired';

/**
 * How long a new database connection may take before the attempt fails (and counts as the
 * database away): seconds, not the operating system's minutes for a host that never answers.
 */
export const DATABASE_CONNECT_TIMEOUT_MS = 10_000;

/** Seconds a client is asked to wait before trying again while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export const DATABASE_UNAVAILABLE_CODE = 'SERVICE_UNAVAILABLE';
export const databaseUnavailableMessage = (): string =>
  `the database is not reachable right now; the hub reconnects by itself — try again in ${DATABASE_RETRY_AFTER_SECONDS} s`;

export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const record = current as Record<string, unknown>;
    const code = typeof record.code === 'string' ? record.code : null;
    const state = typeof record.sqlState === 'string' ? record.sqlState : code;
    if (code !== null && SOCKET_CODES.has(code)) return true;
    if (state !== null && UNAVAILABLE_STATES.test(state)) return true;
    const message = typeof record.message === 'string' ? record.message : '';
    if (message === CONNECT_TIMEOUT_MESSAGE || LOST_CONNECTION_MESSAGES.some((known) => message.includes(known))) return true;
    // AggregateError (a host with several addresses, each refused)
    if (Array.isArray(record.errors) && record.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    current = record.cause ?? record.previous ?? record.originalError;
  }
  return false;
}

/**
 * Whether the database answers `ping` within `timeoutMs`: for /health, which must say
 * "unavailable" promptly rather than wait on a connection attempt to a host that never answers.
 */
export async function databaseStatus(ping: () => Promise<unknown>, timeoutMs = 2000): Promise<'available' | 'unavailable'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const answered = await Promise.race([ping().then(() => true), timedOut]);
    return answered ? 'available' : 'unavailable';
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}

export interface WaitForDatabaseOptions {
  /** Says once that the service waits, and once that the database answered. */
  log: (line: string) => void;
  /** Longest pause between two attempts (ms); 5 s. */
  maxDelayMs?: number;
}

/**
 * Runs `work` (a service's start-up: migrations, bootstrap) again and again while it fails because
 * the database is away, with a growing pause (250 ms, doubled up to 5 s): a service started before
 * its database waits for it instead of exiting. Any other failure is thrown at once. `work` must be
 * safe to repeat (migrations are transactional, bootstraps idempotent).
 */
export async function waitForDatabase<T>(work: () => Promise<T>, options: WaitForDatabaseOptions): Promise<T> {
  const maxDelayMs = options.maxDelayMs ?? 5000;
  let delay = 250;
  let waiting = false;
  for (;;) {
    try {
      const result = await work();
      if (waiting) options.log('the database answers; going on');
      return result;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (!waiting) options.log(`waiting for the database: not reachable yet (is it running, and is DATABASE_URL right?); trying again every ${maxDelayMs / 1000} s at most`);
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}
