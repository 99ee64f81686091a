// What every `gongkai` command module exports as its default: the dispatcher (main.ts) loads a
// command by name and runs it.
export interface Command {
  usage: string;
  run(args: string[]): Promise<number | void>;
}
