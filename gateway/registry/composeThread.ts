// The composition worker's side (gateway/registry/composeWorker.ts starts it): composes with the
// same function the gateway would call itself (composeGraph, with its memory of recent
// compositions) and sends back what crosses a thread — the supergraph SDL and the API schema
// printed, or the composition errors.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { printSchema } from 'graphql';
import { composeGraph } from './compose.ts';
import type { CompositionRequest, CompositionReply } from './composeWorker.ts';

// Linux gives each thread its own nice value (setpriority of id 0 = the calling thread): on a
// busy machine the gateway's own thread, answering clients, goes first and composition takes
// the CPU left. Where that is not permitted, composition runs at the usual priority.
try {
  setPriority(10);
} catch {
  // not permitted here; nothing to do
}

parentPort!.on('message', ({ id, municipal }: CompositionRequest) => {
  let reply: CompositionReply;
  try {
    const composed = composeGraph(municipal);
    reply = composed.ok
      ? { id, ok: true, supergraphSdl: composed.supergraphSdl, apiSdl: printSchema(composed.apiSchema) }
      : { id, ok: false, errors: composed.errors };
  } catch (error) {
    reply = { id, crashed: (error as Error).message.split('\n')[0]! };
  }
  parentPort!.postMessage(reply);
});
