// Extraction off the request path: every document is read in a worker thread, so that however
// long one takes, the event loop that serves queries never waits for it. The worker is held to
// the document's limits (limits.ts): the read budget inside it (pages, text items, characters,
// nesting), and from here its wall time (GONGKAI_EXTRACT_TIMEOUT_MS) and memory
// (GONGKAI_EXTRACT_MEMORY_MB: a hard cap on its JavaScript heap through `resourceLimits`, and
// heap plus buffers outside it, which pdf.js inflates streams into, watched every 100 ms). A
// worker that passes either is terminated, and its caller gets DOCUMENT_TOO_COMPLEX.
//
// A small pool of long-lived workers and a bounded queue rather than a worker per document:
// a fresh worker loads pdf.js, the extractor and the region registry before its first
// document (~0.3 s, more than most documents take), which a worker per document would pay every
// time. A worker is reused after a document it read to the end, up to MAX_JOBS_PER_WORKER
// documents (nothing one document leaves behind outlives that); after a document refused by a
// limit, or that failed it, it is terminated, and its replacement starts with the next document. GONGKAI_EXTRACT_WORKERS workers (default 1) read
// at the same time — ingestion is an editor's occasional act, and each worker may hold
// GONGKAI_EXTRACT_MEMORY_MB — and GONGKAI_EXTRACT_QUEUE documents may wait; one more is refused
// at once (EXTRACTION_BUSY) rather than holding its request open. An idle worker does not keep
// the process alive (a CLI run ends when its last document is read).
import { Worker } from 'node:worker_threads';
import { DocumentTooComplexError, extractionLimitsFromEnv, type ExtractionLimits, type LimitName } from '../limits.ts';
import { UnreadableDocumentError, type ExtractionResult } from '../types.ts';
import type { JobFailure, JobMessage, WorkerMessage } from './protocol.ts';

const WORKER_URL = new URL('./extractionWorker.ts', import.meta.url);
/** How often a busy worker's memory is looked at. */
const WATCH_MS = 100;
const MAX_JOBS_PER_WORKER = 100;
const MB = 1024 * 1024;

export interface DocumentInput {
  fileName: string;
  bytes: Uint8Array;
}

interface Job extends DocumentInput {
  id: number;
  limits: ExtractionLimits;
  resolve: (result: ExtractionResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker | null;
  ready: boolean;
  job: Job | null;
  /** documents this worker has read */
  jobs: number;
  timer: NodeJS.Timeout | null;
  watch: NodeJS.Timeout | null;
}

function errorOf(failure: JobFailure): Error {
  switch (failure.kind) {
    case 'tooComplex':
      return new DocumentTooComplexError(failure.limit, failure.value, failure.fileName);
    case 'unreadable':
      return new UnreadableDocumentError(failure.code, failure.message);
    case 'internal': {
      const error = new Error(`extraction failed: ${failure.message}`);
      error.name = failure.name;
      return error;
    }
  }
}

let nextJobId = 1;

export class ExtractionPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private readonly memoryMb: number;

  constructor(options: { workers: number; memoryMb: number }) {
    this.memoryMb = options.memoryMb;
    this.slots = Array.from({ length: Math.max(1, options.workers) }, () => ({ worker: null, ready: false, job: null, jobs: 0, timer: null, watch: null }));
  }

  /** Reads a document in a worker; rejects with an UnreadableDocumentError (DOCUMENT_TOO_COMPLEX past a limit). */
  extract(input: DocumentInput, limits: ExtractionLimits): Promise<ExtractionResult> {
    return new Promise<ExtractionResult>((resolve, reject) => {
      if (input.bytes.length > limits.maxBytes) {
        reject(new DocumentTooComplexError('bytes', limits.maxBytes, input.fileName));
        return;
      }
      const job: Job = { ...input, id: nextJobId++, limits, resolve, reject };
      const free = this.slots.find((slot) => slot.job === null);
      if (free) this.start(free, job);
      else if (this.queue.length >= limits.queue) {
        reject(new UnreadableDocumentError('EXTRACTION_BUSY', `${input.fileName}: the extractor is busy (${this.queue.length} waiting); try again later`));
      } else this.queue.push(job);
    });
  }

  /** Terminates every worker; documents being read or waiting are refused. */
  async close(): Promise<void> {
    const closing = new Error('the extraction pool was closed');
    for (const job of this.queue.splice(0)) job.reject(closing);
    await Promise.all(
      this.slots.map(async (slot) => {
        const { job, worker } = slot;
        this.disarm(slot);
        slot.job = null;
        slot.worker = null;
        job?.reject(closing);
        await worker?.terminate();
      }),
    );
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.jobs++;
    const worker = slot.worker ?? this.spawn(slot);
    worker.ref();
    // A copy of exactly the document's bytes (a Buffer may be a view of a larger pool), moved to the worker.
    const bytes = new Uint8Array(job.bytes);
    const message: JobMessage = { id: job.id, fileName: job.fileName, bytes, limits: job.limits };
    worker.postMessage(message, [bytes.buffer]);
    // The time limit counts from when the worker can read (a fresh one loads its modules first).
    if (slot.ready) this.arm(slot, job);
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(WORKER_URL, {
      // The young generation is part of the budget too (the services' --max-semi-space-size would otherwise apply).
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: Math.max(8, Math.min(64, Math.floor(this.memoryMb / 8))), stackSizeMb: 4 },
    });
    slot.worker = worker;
    slot.ready = false;
    slot.jobs = slot.job ? 1 : 0;
    const current = () => slot.worker === worker;
    worker.on('message', (message: WorkerMessage) => {
      if (!current()) return;
      if (message.type === 'ready') {
        slot.ready = true;
        if (slot.job) this.arm(slot, slot.job);
        return;
      }
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      this.disarm(slot);
      slot.job = null;
      if (message.type === 'done') job.resolve(message.result);
      else job.reject(errorOf(message.failure));
      // A worker is reused only after a document it read to the end: one stopped by a limit may
      // leave pdf.js work behind (a stream cancelled mid-page fails later, asynchronously).
      if ((message.type === 'failed' && message.failure.kind !== 'unreadable') || slot.jobs >= MAX_JOBS_PER_WORKER) this.retire(slot);
      else worker.unref();
      this.next(slot);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (!current()) return;
      // The worker is gone: past its heap limit, or a failure while loading.
      const job = slot.job;
      this.retire(slot);
      if (job) {
        job.reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new DocumentTooComplexError('memory', job.limits.memoryMb, job.fileName)
            : new Error(`the extraction worker failed: ${error.message}`),
        );
      }
      this.next(slot);
    });
    worker.on('exit', (code) => {
      if (!current()) return;
      const job = slot.job;
      this.retire(slot);
      job?.reject(new Error(`the extraction worker exited (code ${code}) while reading ${job.fileName}`));
      this.next(slot);
    });
    return worker;
  }

  /** Starts the document's clock and memory watch. */
  private arm(slot: Slot, job: Job): void {
    if (slot.timer) return;
    slot.timer = setTimeout(() => this.stop(slot, job, 'time'), job.limits.timeoutMs);
    const worker = slot.worker!;
    const budget = job.limits.memoryMb * MB;
    slot.watch = setInterval(() => {
      worker.getHeapStatistics().then(
        (heap) => {
          if (heap.used_heap_size + heap.external_memory > budget) this.stop(slot, job, 'memory');
        },
        () => {}, // the worker has just ended: its own events say how
      );
    }, WATCH_MS);
    slot.timer.unref();
    slot.watch.unref();
  }

  private disarm(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    if (slot.watch) clearInterval(slot.watch);
    slot.timer = null;
    slot.watch = null;
  }

  /** A document past its time or memory limit: its worker is terminated, the next document gets a new one. */
  private stop(slot: Slot, job: Job, limit: LimitName): void {
    if (slot.job !== job) return;
    slot.job = null;
    this.retire(slot);
    job.reject(new DocumentTooComplexError(limit, limit === 'time' ? job.limits.timeoutMs : job.limits.memoryMb, job.fileName));
    this.next(slot);
  }

  /** Ends the slot's worker (if any) and frees the slot (its document is the caller's to answer); the next document starts a new worker. */
  private retire(slot: Slot): void {
    this.disarm(slot);
    const worker = slot.worker;
    slot.job = null;
    slot.worker = null;
    slot.ready = false;
    slot.jobs = 0;
    if (worker) void worker.terminate();
  }

  private next(slot: Slot): void {
    const job = this.queue.shift();
    if (job) this.start(slot, job);
  }
}

const pools = new Map<string, ExtractionPool>();

/** The process's pool for these worker settings (tests may ask for other limits than the environment's). */
function poolFor(limits: ExtractionLimits): ExtractionPool {
  const key = `${limits.workers}/${limits.memoryMb}`;
  let pool = pools.get(key);
  if (!pool) pools.set(key, (pool = new ExtractionPool({ workers: limits.workers, memoryMb: limits.memoryMb })));
  return pool;
}

/** Reads a document in a worker thread of the process's pool, within `limits`. */
export function extractInWorker(input: DocumentInput, limits: ExtractionLimits = extractionLimitsFromEnv()): Promise<ExtractionResult> {
  return poolFor(limits).extract(input, limits);
}

/** Terminates every extraction worker of the process (a server that stops, a test that ends). */
export async function closeExtractionWorkers(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((pool) => pool.close()));
}
