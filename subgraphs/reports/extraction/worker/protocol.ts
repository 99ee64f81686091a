// The messages between the extraction pool (pool.ts) and its worker threads (extractionWorker.ts).
import type { ExtractionLimits, LimitName } from '../limits.ts';
import type { ExtractionResult } from '../types.ts';

/** pool → worker: one document to read. `bytes` is a copy: the caller keeps its own. */
export interface JobMessage {
  id: number;
  fileName: string;
  bytes: Uint8Array;
  limits: ExtractionLimits;
}

/** What went wrong, as plain data (an Error's class does not survive the thread boundary). */
export type JobFailure =
  | { kind: 'tooComplex'; limit: LimitName; value: number; fileName: string }
  | { kind: 'unreadable'; code: string; message: string }
  | { kind: 'internal'; name: string; message: string };

/** worker → pool: ready once its modules are loaded, then one answer per job. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; id: number; result: ExtractionResult }
  | { type: 'failed'; id: number; failure: JobFailure };
