// `gongkai subgraph add`'s options for the per-subgraph settings (gateway/registry/subgraphSettings.ts):
// --timeout-ms, --max-concurrency, --breaker-failures, --breaker-cooldown-ms and --header
// 'Name: value' (repeatable; the value is a secret, never printed back).
import { CliError } from '../errors.ts';
import type { SubgraphSettingsInput } from '../../gateway/registry/subgraphSettings.ts';

const NUMBERS = {
  '--timeout-ms': 'timeoutMs',
  '--max-concurrency': 'maxConcurrency',
  '--breaker-failures': 'breakerFailures',
  '--breaker-cooldown-ms': 'breakerCooldownMs',
} as const;

/** The options that take a value, for telling values from positional arguments. */
export const SETTINGS_OPTIONS = [...Object.keys(NUMBERS), '--header'];

export function settingsFromOptions(rest: string[]): SubgraphSettingsInput {
  const input: SubgraphSettingsInput = {};
  rest.forEach((arg, i) => {
    if (!SETTINGS_OPTIONS.includes(arg)) return;
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--')) throw new CliError('USAGE', `subgraph add: ${arg} needs a value`);
    if (arg === '--header') {
      const colon = value.indexOf(':');
      // never repeat the value: it is a secret
      if (colon <= 0) throw new CliError('USAGE', `subgraph add: --header is 'Name: value' (a colon after the name)`);
      (input.outboundHeaders ??= []).push({ name: value.slice(0, colon).trim(), value: value.slice(colon + 1).trim() });
      return;
    }
    const number = Number(value);
    if (!Number.isInteger(number)) throw new CliError('USAGE', `subgraph add: ${arg} needs a whole number, got '${value}'`);
    input[NUMBERS[arg as keyof typeof NUMBERS]] = number;
  });
  return input;
}
