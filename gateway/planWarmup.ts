// Query plans for the operations the hub knows its clients send — the dashboard's persisted
// operations and the analysts' example queries — made when a supergraph is loaded rather than on
// the first request that sends each one. Apollo Gateway keeps plans per document in a store it
// clears on every new supergraph; planning one of these operations takes 1–25 ms of the event
// loop (the region page ~15–25 ms), paid by whichever user first asks after a start or a reload
// (docs/performance.md, "Where a miss spends its time").
//
// Apollo Gateway has no public way to fill its plan store, so this uses what its executor uses:
// `queryPlanner`, `apiSchema` and `queryPlanStore`, under the executor's own key (the sha256 of
// the document, with the operation name when the request names one: stored under both). If a
// version of @apollo/gateway no longer has them, nothing is warmed and the log says so once;
// requests plan as before.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApolloGateway } from '@apollo/gateway';
import { operationFromDocument } from '@apollo/federation-internals';
import { Kind, parse, type DocumentNode } from 'graphql';

export interface KnownOperation {
  /** The document exactly as clients send it: the plan store is keyed on its hash. */
  body: string;
  /** Each operation of the document, by name (null: the document's only, unnamed operation). */
  names: (string | null)[];
}

interface GatewayInternals {
  queryPlanner?: { buildQueryPlan(operation: unknown, options?: object): unknown };
  apiSchema?: Parameters<typeof operationFromDocument>[0];
  queryPlanStore?: { set(key: string, plan: unknown): Promise<void> };
}

const root = fileURLToPath(new URL('..', import.meta.url));
/** The dashboard's operations (id → document, as codegen writes them), and the example queries the IDE preloads. */
export const DASHBOARD_MANIFEST = join(root, 'dashboard', 'src', 'gql', 'persisted-documents.json');
export const EXAMPLE_QUERIES = join(root, 'examples', 'queries');

const sha256 = (...parts: string[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

function operationNames(document: DocumentNode): (string | null)[] {
  return document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? null] : []));
}

/** The documents of a manifest's operations: Apollo's persisted-query manifest, or codegen's id → document. */
function manifestBodies(path: string): string[] {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { operations?: { body?: unknown }[] } | Record<string, unknown>;
  const entries = Array.isArray(manifest.operations) ? manifest.operations.map((o: { body?: unknown }) => o.body) : Object.values(manifest);
  return entries.filter((body): body is string => typeof body === 'string');
}

/** The documents of some manifests and of folders of .graphql files; what is missing is skipped. */
export function knownOperations(manifests: string[] = [DASHBOARD_MANIFEST], folders: string[] = [EXAMPLE_QUERIES]): KnownOperation[] {
  const bodies = new Set<string>();
  for (const path of manifests) if (existsSync(path)) for (const body of manifestBodies(path)) bodies.add(body);
  for (const folder of folders) {
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).sort()) if (file.endsWith('.graphql')) bodies.add(readFileSync(join(folder, file), 'utf8'));
  }
  return [...bodies].flatMap((body) => {
    try {
      return [{ body, names: operationNames(parse(body)) }];
    } catch {
      return []; // not GraphQL: a request sending it fails its parse anyway
    }
  });
}

export interface PlanWarmup {
  /** Resolves when the plans of the supergraph loaded last are made (for tests and measurements). */
  settled(): Promise<WarmupOutcome>;
}

export interface WarmupOutcome {
  planned: number;
  /** Operations the supergraph cannot plan (a field it no longer has): a request would fail alike. */
  skipped: number;
  ms: number;
}

/**
 * Plans `operations` whenever `gateway` loads a supergraph, one operation per turn of the event
 * loop so that requests arriving meanwhile are not held up behind all of them.
 */
export function warmQueryPlans(gateway: ApolloGateway, operations: KnownOperation[], log: (line: string) => void): PlanWarmup {
  const internals = gateway as unknown as GatewayInternals;
  let current: Promise<WarmupOutcome> = Promise.resolve({ planned: 0, skipped: 0, ms: 0 });
  let generation = 0;
  const warm = async (mine: number): Promise<WarmupOutcome> => {
    const started = performance.now();
    let planned = 0;
    let skipped = 0;
    for (const { body, names } of operations) {
      for (const name of names) {
        await new Promise((resolve) => setImmediate(resolve));
        // a newer supergraph arrived: its own warm-up plans against it
        if (mine !== generation) return { planned, skipped, ms: performance.now() - started };
        const { queryPlanner, apiSchema, queryPlanStore } = internals;
        if (!queryPlanner || !apiSchema || !queryPlanStore) {
          log('query plans not warmed: this @apollo/gateway keeps no queryPlanner/queryPlanStore where gateway/planWarmup.ts looks');
          return { planned, skipped, ms: performance.now() - started };
        }
        try {
          const plan = queryPlanner.buildQueryPlan(operationFromDocument(apiSchema, parse(body), { operationName: name ?? undefined }), {});
          const queryHash = sha256(body);
          // the executor's key: with the operation name when the request gives one, else the hash alone
          if (name) await queryPlanStore.set(sha256(queryHash, name), plan);
          if (names.length === 1) await queryPlanStore.set(queryHash, plan);
          planned++;
        } catch {
          skipped++;
        }
      }
    }
    return { planned, skipped, ms: performance.now() - started };
  };
  gateway.onSchemaLoadOrUpdate(() => {
    const mine = ++generation;
    current = warm(mine).then((outcome) => {
      if (mine === generation) log(`query plans warmed: ${outcome.planned} operations in ${outcome.ms.toFixed(0)} ms${outcome.skipped ? ` (${outcome.skipped} not plannable on this supergraph)` : ''}`);
      return outcome;
    });
  });
  return { settled: () => current };
}
