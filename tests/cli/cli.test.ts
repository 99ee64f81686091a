import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

describe('the gongkai command', () => {
  it('lists its commands with --help', () => {
    const result = runCli(['--help']);
    expect(result.status).toBe(0);
    for (const command of ['start', 'compose', 'serve', 'extract']) expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('refuses an unknown command with a pointer to --help', () => {
    const result = runCli(['frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  it('checks that the committed supergraph is current', () => {
    const result = runCli(['compose', '--check']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('explains what a subgraph run alone needs', () => {
    const result = runCli(['serve', 'agencies'], { DATABASE_URL: '' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL is not set');
  });
});
