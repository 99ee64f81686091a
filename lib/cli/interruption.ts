// Ctrl-C (SIGINT) or SIGTERM during a command that works through items: the first asks it to stop
// after the item in hand, so that what it stored is whole and its summary is printed; a second one
// ends the process at once (an open transaction is then rolled back by the database).

export interface Interruption {
  /** Whether a stop was asked for. */
  readonly requested: boolean;
  /** The signal that asked, for the summary. */
  readonly signal: NodeJS.Signals | null;
  /** Stops listening; the signals' default behaviour returns. */
  dispose(): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * `note` is written to stderr on the first signal; `exitCodeNow` is the exit code a second signal
 * ends the process with.
 */
export function listenForInterruption(note: string, exitCodeNow: () => number): Interruption {
  let signal: NodeJS.Signals | null = null;
  const handler = (received: NodeJS.Signals) => {
    if (signal !== null) {
      process.stderr.write(`\nstopped at once (${received}); nothing of the item in hand was kept\n`);
      process.exit(exitCodeNow());
    }
    signal = received;
    process.stderr.write(`\n${note}\n`);
  };
  for (const name of SIGNALS) process.on(name, handler);
  return {
    get requested() {
      return signal !== null;
    },
    get signal() {
      return signal;
    },
    dispose() {
      for (const name of SIGNALS) process.removeListener(name, handler);
    },
  };
}
