// `gongkai start` as a child process of a test, on the ports and data directory the test chose:
// resolved once the hub says it is ready, with everything it printed so far kept for assertions.
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from './cli.ts';

export interface HubProcess {
  child: ChildProcess;
  /** Everything the hub printed (stdout and stderr) up to now. */
  output(): string;
}

export async function startHubProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<HubProcess> {
  const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'bin/gongkai.js', 'start', ...args], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub not ready in time:\n${output}`)), 150_000);
    child.stdout!.on('data', () => {
      if (output.includes('[gongkai] ready:')) (clearTimeout(timer), resolve());
    });
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`hub exited with ${code}:\n${output}`))));
  });
  return { child, output: () => output };
}
