// The per-subgraph settings as the admin API takes and shows them (schema/registry.graphql):
// registerSubgraph's optional arguments, RegisteredSubgraph's fields. Header values never leave.
import type { Registry } from './registry.ts';
import { checkSettings, loadSettings, redactedHeaders, saveSettings, type SubgraphSettings, type SubgraphSettingsInput } from './subgraphSettings.ts';

export { checkSettings, type SubgraphSettingsInput };

const BREAKER_STATES = { closed: 'CLOSED', open: 'OPEN', 'half-open': 'HALF_OPEN' } as const;

/** After a registration: its settings written, and this gateway using them from its next subrequest. */
export async function applySettings(registry: Registry, name: string, input: SubgraphSettingsInput): Promise<void> {
  await saveSettings(registry.orm.em.fork(), name, input);
  registry.health.resilience.configure(await loadSettings(registry.orm.em.fork()));
  registry.health.resilience.registered(name);
}

/** RegisteredSubgraph's settings fields for a municipal subgraph. */
export function settingsView(registry: Registry, name: string, settings: SubgraphSettings | undefined) {
  const own = settings ?? registry.health.resilience.settingsOf(name);
  return {
    timeoutMs: own.limits.timeoutMs,
    maxConcurrency: own.limits.maxConcurrency,
    breakerFailures: own.limits.breakerFailures,
    breakerCooldownMs: own.limits.breakerCooldownMs,
    breakerState: BREAKER_STATES[registry.health.resilience.breakerState(name)],
    outboundHeaders: redactedHeaders(own.headers),
  };
}
