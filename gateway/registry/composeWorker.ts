// Composition off the gateway's event loop. Composing the hub with the municipal subgraphs takes
// 90–300 ms of CPU (@apollo/composition), and a registration composes the new graph and, for its
// breaking-change report, the graph served now; on the thread that answers clients every query
// waited for it (issue 16: p99 of 1–2 s while subgraphs were registered). Here composition runs
// in one worker thread, started when first needed and ended after a minute without work. What
// crosses is strings: the subgraphs' SDLs in, the supergraph SDL and the printed API schema out
// (the API schema is rebuilt only when the breaking-change check asks for it, ~10 ms).
//
// The results go into compose.ts's memory of recent compositions, where the registration checks
// (checks.ts, which call composeGraph) find them: `precomposeRegistration` before
// `assessRegistration` leaves the checks nothing to compose.
import { Worker } from 'node:worker_threads';
import { composedFromSdl, recentComposition, rememberComposition, type Composition } from './compose.ts';
import type { MunicipalDefinition } from './store.ts';

export interface CompositionRequest {
  id: number;
  municipal: MunicipalDefinition[];
}
export type CompositionReply =
  | { id: number; ok: true; supergraphSdl: string; apiSdl: string }
  | { id: number; ok: false; errors: { code: string; message: string }[] }
  | { id: number; crashed: string };

/** A worker left without work this long is ended: its heap (the composition's) is freed. */
const IDLE_MS = 60_000;
/** A composition needing more is stopped (the worker ends), rather than growing the gateway without bound. */
const MAX_HEAP_MB = 1024;

interface Waiting {
  resolve(composition: Composition): void;
  reject(error: Error): void;
}

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, Waiting>();
let idleTimer: NodeJS.Timeout | null = null;
let composedInWorker = 0;

function failAll(reason: string): void {
  const error = new Error(`composition stopped: its worker thread ${reason}; the current graph is unchanged`);
  for (const { reject } of waiting.values()) reject(error);
  waiting.clear();
  worker = null;
}

function startWorker(): Worker {
  const started = new Worker(new URL('./composeThread.ts', import.meta.url), {
    // the project's TypeScript runs as it is, in the worker as in the gateway
    execArgv: ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'],
    resourceLimits: { maxOldGenerationSizeMb: MAX_HEAP_MB },
  });
  started.on('message', (reply: CompositionReply) => {
    const task = waiting.get(reply.id);
    waiting.delete(reply.id);
    composedInWorker++;
    if (task) {
      if ('crashed' in reply) task.reject(new Error(`composition failed in its worker thread: ${reply.crashed}`));
      else task.resolve(reply.ok ? composedFromSdl(reply.supergraphSdl, reply.apiSdl) : { ok: false, errors: reply.errors });
    }
    idleOrBusy();
  });
  started.on('error', (error) => {
    if (worker === started) failAll(`failed (${error.message.split('\n')[0]})`);
  });
  started.on('exit', (code) => {
    if (worker === started) failAll(`exited (${code})`);
  });
  return started;
}

/** The worker holds the process open only while it works (a CLI command exits when done). */
function idleOrBusy(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (!worker) return;
  if (waiting.size) {
    worker.ref();
    return;
  }
  worker.unref();
  const idle = worker;
  idleTimer = setTimeout(() => {
    if (worker !== idle || waiting.size) return;
    worker = null;
    void idle.terminate();
  }, IDLE_MS);
  idleTimer.unref();
}

/**
 * composeGraph(municipal), computed in the worker thread (or taken from the recent ones): the
 * same result as in this thread, remembered here for the checks.
 */
export async function composeInWorker(municipal: readonly MunicipalDefinition[]): Promise<Composition> {
  const known = recentComposition(municipal);
  if (known) return known;
  worker ??= startWorker();
  const id = nextId++;
  const composed = new Promise<Composition>((resolve, reject) => waiting.set(id, { resolve, reject }));
  worker.postMessage({ id, municipal: [...municipal] } satisfies CompositionRequest);
  idleOrBusy();
  const composition = await composed;
  rememberComposition(municipal, composition);
  return composition;
}

/**
 * Composes, in the worker, both graphs assessRegistration(candidate, current) compares: the one
 * served now and the one with the candidate (in the order the checks list them).
 */
export async function precomposeRegistration(candidate: MunicipalDefinition, current: readonly MunicipalDefinition[]): Promise<void> {
  await Promise.all([composeInWorker([...current.filter((s) => s.name !== candidate.name), candidate]), composeInWorker(current)]);
}

/** For tests: whether the worker thread runs, and how many compositions worker threads computed. */
export const compositionWorkerState = (): { running: boolean; composed: number } => ({ running: worker !== null, composed: composedInWorker });

/** Ends the worker now (tests; a gateway's worker ends by itself when idle). */
export async function stopCompositionWorker(): Promise<void> {
  const running = worker;
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (!running) return;
  failAll('was stopped');
  await running.terminate();
}
