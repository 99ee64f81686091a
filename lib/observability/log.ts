// The services' log: one line per event, JSON by default so that a log shipper can parse every
// line (GONGKAI_LOG_FORMAT=json), or `[service] message key=value` for a person reading a
// terminal (GONGKAI_LOG_FORMAT=text). Every line names its time, level and service.
//
// What goes into a line is chosen by its caller, and never personal data: no variables, no query
// text, no tokens, no client addresses (docs/operations.md#logs-metrics-and-traces).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'text';
export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly service: string;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogWriter = (line: string, level: LogLevel) => void;

/** GONGKAI_LOG_FORMAT: json unless `text`; anything else is json, said once on the first line. */
export function logFormatFromEnv(env: NodeJS.ProcessEnv = process.env): { format: LogFormat; invalid: string | null } {
  const raw = env.GONGKAI_LOG_FORMAT?.trim().toLowerCase() ?? '';
  if (raw === '' || raw === 'json') return { format: 'json', invalid: null };
  if (raw === 'text') return { format: 'text', invalid: null };
  return { format: 'json', invalid: raw };
}

// console, not process.stdout: warnings and errors to stderr as before, and whatever replaces
// console (a test capturing it) sees the lines.
const consoleWriter: LogWriter = (line, level) => (level === 'error' || level === 'warn' ? console.error(line) : console.log(line));

/** An Error as a log field: its message and stack (the stack only ever goes to the log). */
function serialisable(value: unknown): unknown {
  if (value instanceof Error) {
    const cause = (value as Error & { cause?: unknown }).cause;
    return { name: value.name, message: value.message, stack: value.stack, ...(cause !== undefined ? { cause: serialisable(cause) } : {}) };
  }
  return value;
}

export function formatLogLine(format: LogFormat, level: LogLevel, service: string, message: string, fields: LogFields = {}, time = new Date()): string {
  if (format === 'json') {
    const record: LogFields = { time: time.toISOString(), level, service, msg: message };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined && !(key in record)) record[key] = serialisable(value);
    return JSON.stringify(record);
  }
  const parts = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const shown = serialisable(value);
      if (value instanceof Error) return `\n${(shown as { stack?: string }).stack ?? value.message}`;
      return ` ${key}=${typeof shown === 'string' ? shown : JSON.stringify(shown)}`;
    });
  const stacks = parts.filter((part) => part.startsWith('\n'));
  const pairs = parts.filter((part) => !part.startsWith('\n'));
  return `[${service}]${level === 'info' || level === 'debug' ? '' : ` ${level}:`} ${message}${pairs.join('')}${stacks.join('')}`;
}

let warnedInvalidFormat = false;

export interface LoggerOptions {
  format?: LogFormat;
  /** Where lines go: console.log (debug, info) and console.error (warn, error) unless given. */
  write?: LogWriter;
}

export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const fromEnv = logFormatFromEnv();
  const format = options.format ?? fromEnv.format;
  const write = options.write ?? consoleWriter;
  if (fromEnv.invalid !== null && options.format === undefined && !warnedInvalidFormat) {
    warnedInvalidFormat = true;
    write(formatLogLine(format, 'warn', service, `GONGKAI_LOG_FORMAT must be json or text, got '${fromEnv.invalid}'; logging JSON`), 'warn');
  }
  const at = (level: LogLevel) => (message: string, fields?: LogFields) => write(formatLogLine(format, level, service, message, fields), level);
  return { service, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
