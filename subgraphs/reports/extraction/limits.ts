// What one document may cost the extractor, each limit a setting read from the environment
// (in the style of lib/config.ts; listed in docs/security.md). A document past any of them is
// refused with DOCUMENT_TOO_COMPLEX, naming the limit and the setting that raises it. Limits are
// checked where the work happens, as early as it can be told: the input size before anything,
// a PDF's page count before any page is read, text items and characters while they are read
// (a PDF's text as pdf.js inflates and parses its content streams, not after); time and memory
// are the worker's (worker/pool.ts), which is terminated when it passes them.
import { UnreadableDocumentError } from './types.ts';

export interface ExtractionLimits {
  /** bytes of the uploaded document */
  maxBytes: number;
  /** pages of a PDF */
  maxPages: number;
  /** text items: a PDF's text runs, an HTML page's elements */
  maxItems: number;
  /** characters of text read out of the document (after inflating, decoding, unescaping) */
  maxChars: number;
  /** how deep an HTML page's elements may nest */
  maxNesting: number;
  /** wall time of one document in the worker, in milliseconds */
  timeoutMs: number;
  /** the worker's JavaScript heap, in MB */
  memoryMb: number;
  /** documents extracted at the same time (one worker thread each) */
  workers: number;
  /** documents waiting for a worker beyond which another is refused (EXTRACTION_BUSY) */
  queue: number;
}

export type LimitName = 'bytes' | 'pages' | 'items' | 'chars' | 'nesting' | 'time' | 'memory';

interface Setting {
  variable: string;
  fallback: number;
}

const SETTINGS: Record<keyof ExtractionLimits, Setting> = {
  maxBytes: { variable: 'GONGKAI_EXTRACT_MAX_BYTES', fallback: 10 * 1024 * 1024 },
  maxPages: { variable: 'GONGKAI_EXTRACT_MAX_PAGES', fallback: 300 },
  maxItems: { variable: 'GONGKAI_EXTRACT_MAX_ITEMS', fallback: 200_000 },
  maxChars: { variable: 'GONGKAI_EXTRACT_MAX_CHARS', fallback: 1_000_000 },
  maxNesting: { variable: 'GONGKAI_EXTRACT_MAX_NESTING', fallback: 256 },
  timeoutMs: { variable: 'GONGKAI_EXTRACT_TIMEOUT_MS', fallback: 20_000 },
  memoryMb: { variable: 'GONGKAI_EXTRACT_MEMORY_MB', fallback: 512 },
  workers: { variable: 'GONGKAI_EXTRACT_WORKERS', fallback: 1 },
  queue: { variable: 'GONGKAI_EXTRACT_QUEUE', fallback: 16 },
};

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

/** The limits the environment sets, each with its default. */
export function extractionLimitsFromEnv(): ExtractionLimits {
  const out = {} as ExtractionLimits;
  for (const [key, { variable, fallback }] of Object.entries(SETTINGS) as Array<[keyof ExtractionLimits, Setting]>) {
    out[key] = positiveInt(variable, fallback);
  }
  return out;
}

/** The defaults, whatever the environment says (documentation and tests). */
export const DEFAULT_EXTRACTION_LIMITS: Readonly<ExtractionLimits> = Object.freeze(
  Object.fromEntries(Object.entries(SETTINGS).map(([key, s]) => [key, s.fallback])) as unknown as ExtractionLimits,
);

const LIMIT_OF: Record<LimitName, keyof ExtractionLimits> = {
  bytes: 'maxBytes',
  pages: 'maxPages',
  items: 'maxItems',
  chars: 'maxChars',
  nesting: 'maxNesting',
  time: 'timeoutMs',
  memory: 'memoryMb',
};

const WHAT: Record<LimitName, (n: number) => string> = {
  bytes: (n) => `it is larger than ${n} bytes`,
  pages: (n) => `it has more than ${n} pages`,
  items: (n) => `it has more than ${n} text items`,
  chars: (n) => `it holds more than ${n} characters of text`,
  nesting: (n) => `its elements nest more than ${n} deep`,
  time: (n) => `it was not read within ${n} ms`,
  memory: (n) => `reading it needed more than ${n} MB of memory`,
};

/** Thrown (code DOCUMENT_TOO_COMPLEX) when a document passes one of the extraction limits. */
export class DocumentTooComplexError extends UnreadableDocumentError {
  readonly limit: LimitName;
  /** the limit's value */
  readonly value: number;
  /** the environment variable that raises the limit */
  readonly setting: string;
  constructor(limit: LimitName, value: number, fileName?: string) {
    const setting = SETTINGS[LIMIT_OF[limit]].variable;
    super('DOCUMENT_TOO_COMPLEX', `${fileName ? `${fileName}: ` : ''}too complex to read: ${WHAT[limit](value)} (the limit is ${setting}=${value})`);
    this.name = 'DocumentTooComplexError';
    this.limit = limit;
    this.value = value;
    this.setting = setting;
  }
}

/**
 * What reading one document has used so far, checked against its limits as the readers go:
 * each reader counts what it reads and is stopped at the first item or character too many.
 */
export class ReadBudget {
  readonly limits: ExtractionLimits;
  readonly fileName: string | undefined;
  private items = 0;
  private chars = 0;

  constructor(limits: ExtractionLimits = extractionLimitsFromEnv(), fileName?: string) {
    this.limits = limits;
    this.fileName = fileName;
  }

  refuse(limit: LimitName): never {
    throw new DocumentTooComplexError(limit, this.limits[LIMIT_OF[limit]], this.fileName);
  }

  bytes(n: number): void {
    if (n > this.limits.maxBytes) this.refuse('bytes');
  }

  pages(n: number): void {
    if (n > this.limits.maxPages) this.refuse('pages');
  }

  nesting(depth: number): void {
    if (depth > this.limits.maxNesting) this.refuse('nesting');
  }

  /** One more text item (`n` more), with `chars` characters of text. */
  item(chars: number, n = 1): void {
    this.items += n;
    if (this.items > this.limits.maxItems) this.refuse('items');
    this.addChars(chars);
  }

  addChars(n: number): void {
    this.chars += n;
    if (this.chars > this.limits.maxChars) this.refuse('chars');
  }

  /**
   * A pass of a markup parser that builds nothing (a scan for tags): its own count of elements
   * and their depth, held to the limits as they open. (htmlparser2 keeps its open elements in
   * an array it shifts, so each element costs as much as the depth: the depth is stopped early.)
   */
  markupScan(): { open(): void; close(): void } {
    let depth = 0;
    let elements = 0;
    return {
      open: () => {
        if (++elements > this.limits.maxItems) this.refuse('items');
        this.nesting(++depth);
      },
      close: () => {
        depth--;
      },
    };
  }

  /** A text as a whole (decoded, or as a reader produced it): no more characters than the limit. */
  text(s: string): string {
    if (s.length > this.limits.maxChars) this.refuse('chars');
    return s;
  }
}
