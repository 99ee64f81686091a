// What a command tells the person at the terminal when it stops: one line with a stable code,
// the cause and the fix, and an exit code that means something (cli/outcome.ts). Never a stack
// trace, never a driver's message: failures that are not a CliError are translated by
// describeFailure() before they are printed.
import { isDatabaseUnavailable } from '../lib/database/availability.ts';
import { DatabaseStartError } from '../lib/database/startFailure.ts';
import { EXIT, type ExitCode } from './outcome.ts';

export class CliError extends Error {
  /** Stable, for scripts: USAGE, FILE_NOT_FOUND, DATABASE_UNAVAILABLE… */
  readonly code: string;
  readonly exitCode: ExitCode;
  constructor(code: string, message: string, exitCode: ExitCode = EXIT.nothingDone) {
    super(message);
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** A failure a command did not anticipate, as a CliError: the cause in words, the fix where one is known. */
export function describeFailure(error: unknown): CliError {
  if (error instanceof CliError) return error;
  // already one line with its code (DATA_DIR_NOT_WRITABLE, PORT_IN_USE…)
  if (error instanceof DatabaseStartError) return new CliError(error.code, error.message);
  if (isDatabaseUnavailable(error)) {
    return new CliError(
      'DATABASE_UNAVAILABLE',
      'the database is not reachable: start the hub (gongkai start) or check DATABASE_URL, then run the command again; nothing more was written',
    );
  }
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  const path = (error as NodeJS.ErrnoException | null)?.path;
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS') {
    return new CliError('NOT_WRITABLE', `no permission to use ${path ?? 'a file'} (${errno}): give this user access or choose another place (GONGKAI_DATA_DIR)`);
  }
  if (errno === 'ENOSPC') return new CliError('DISK_FULL', `the disk is full${path ? ` (writing ${path})` : ''}: free space and run the command again`);
  if (errno === 'ENOENT') return new CliError('FILE_NOT_FOUND', `no such file or folder${path ? `: ${path}` : ''}; check the path`);
  // a library's message may carry a connection string, its password included
  const first = (error instanceof Error ? error.message.split('\n')[0]! : String(error)).replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>');
  return new CliError('INTERNAL_ERROR', `unexpected failure: ${first}; run again with GONGKAI_DEBUG=1 for the details and report them`);
}
