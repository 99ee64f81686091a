// The supervisor's backoff on its own (lib/runtime/supervisor.ts): a part that keeps crashing is
// tried again after pauses that double up to the cap and then stay there, one log line per
// restart; a part that cannot be started says why; after stop() nothing is started again.
import { describe, expect, it } from 'vitest';
import { Supervisor, type PartRun } from '../../lib/runtime/supervisor.ts';
import { eventually } from '../support/eventually.ts';

const crashed = (): PartRun => ({ exited: Promise.resolve({ code: 1, signal: null }), stop: async () => {} });

describe('Supervisor', () => {
  it('retries a crash-looping part at the longest pause and stops for good', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor((line) => lines.push(line), { initialMs: 100, maxMs: 400, resetAfterMs: 60_000 });
    let starts = 0;
    supervisor.track(
      {
        name: 'reports',
        start: async () => {
          starts += 1;
          if (starts === 2) throw new Error('port 4002 is taken');
          return crashed();
        },
      },
      crashed(),
    );
    supervisor.supervise();
    await eventually(async () => starts, (count) => count >= 5, 10_000);
    await supervisor.stop();
    const after = starts;

    const restarts = lines.filter((line) => line.includes('next try in'));
    expect(restarts.slice(0, 5).map((line) => /next try in ([\d.]+) s/.exec(line)![1])).toEqual(['0.1', '0.2', '0.4', '0.4', '0.4']);
    expect(restarts[0]).toBe('reports exited with code 1; next try in 0.1 s');
    expect(restarts[2]).toContain('reports could not be started (port 4002 is taken) (failure 3 in a row, retrying at the longest pause)');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(starts).toBe(after);
  });

  it('does not restart before supervise(): failures during start-up are final', async () => {
    let starts = 0;
    const supervisor = new Supervisor(() => {}, { initialMs: 10, maxMs: 10, resetAfterMs: 60_000 });
    supervisor.track({ name: 'gateway', start: async () => (starts++, crashed()) }, crashed());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(starts).toBe(0);
    await supervisor.stop();
  });
});
