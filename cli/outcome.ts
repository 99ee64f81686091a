// What a command's exit code means, the same for every command:
//   0  everything asked for was done
//   1  some items failed (the summary names them), the others were done
//   2  nothing was done: bad usage, a refusal, a failure before any item (no database, say),
//      or every item failed
// A run stopped part-way (Ctrl-C, a lost database) is 1 when some items were done, else 2.
// docs/operations.md lists what an item is for each command.
// With --json a command prints one JSON document on stdout: its summary, or
// { ok: false, error: { code, message } } when it stopped.
export const EXIT = { ok: 0, someFailed: 1, nothingDone: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code of a run over items: `done` of them succeeded, `failed` did not. */
export function exitCodeOf(done: number, failed: number): ExitCode {
  if (failed === 0) return EXIT.ok;
  return done === 0 ? EXIT.nothingDone : EXIT.someFailed;
}

/** Whether the arguments ask for a machine-readable summary. */
export const wantsJson = (args: readonly string[]): boolean => args.includes('--json');

export const printJson = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};
