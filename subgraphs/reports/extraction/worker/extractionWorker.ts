// An extraction worker thread (started by pool.ts): reads the documents it is sent one at a time,
// in process, within their read budget, and answers each with its result or why it failed.
// Time and memory are watched from outside: the pool terminates this thread when it passes them.
import { parentPort } from 'node:worker_threads';
import { extractDocumentInProcess } from '../index.ts';
import { DocumentTooComplexError } from '../limits.ts';
import { UnreadableDocumentError } from '../types.ts';
import type { JobFailure, JobMessage, WorkerMessage } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('extractionWorker.ts runs as a worker thread (see worker/pool.ts)');

function failureOf(error: unknown, job: JobMessage): JobFailure {
  const { fileName } = job;
  if (error instanceof DocumentTooComplexError) return { kind: 'tooComplex', limit: error.limit, value: error.value, fileName };
  if (error instanceof UnreadableDocumentError) return { kind: 'unreadable', code: error.code, message: error.message };
  // The stack of a deep recursion, a string or buffer too long to allocate: the document's size, not a bug to report.
  if (error instanceof RangeError && /call stack|string length|allocation failed|Array buffer/i.test(error.message)) {
    return { kind: 'tooComplex', limit: 'memory', value: job.limits.memoryMb, fileName };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: 'internal', name: e.name, message: e.message };
}

const send = (message: WorkerMessage) => port.postMessage(message);

port.on('message', (job: JobMessage) => {
  extractDocumentInProcess({ fileName: job.fileName, bytes: job.bytes }, job.limits).then(
    (result) => send({ type: 'done', id: job.id, result }),
    (error: unknown) => send({ type: 'failed', id: job.id, failure: failureOf(error, job) }),
  );
});

send({ type: 'ready' });
