// Optional traces, sent as OTLP/HTTP JSON (POST <endpoint>/v1/traces) when an endpoint is
// configured — GONGKAI_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT — and never otherwise:
// without one no span is even made, and nothing leaves the machine.
//
// A span for each request a service answers (SERVER) and, at the gateway, one for each subgraph
// fetch (CLIENT), whose id goes to the hub's subgraph in a W3C `traceparent` header so that its
// span is the fetch's child. Spans are sent in batches, in the background; a batch that cannot be
// sent is dropped. Nothing here ever makes a request wait. No span carries variables, query text,
// tokens or addresses: service, operation name, request id, HTTP status, error codes.
import { randomBytes } from 'node:crypto';

export const TRACEPARENT_HEADER = 'traceparent';

export const SPAN_KIND = { SERVER: 2, CLIENT: 3 } as const;
const STATUS = { UNSET: 0, OK: 1, ERROR: 2 } as const;

/** How often a batch leaves, and how many spans wait at most (more are dropped). */
const FLUSH_MS = 1000;
const MAX_BATCH = 512;
const MAX_QUEUED = 4096;
const EXPORT_TIMEOUT_MS = 5000;

type AttributeValue = string | number | boolean | readonly string[];
export type SpanAttributes = Record<string, AttributeValue | null | undefined>;

export interface TraceParent {
  traceId: string;
  spanId: string;
}

/** A `traceparent` header (version 00), when it is a valid one. */
export function parseTraceParent(header: string | string[] | undefined): TraceParent | null {
  if (typeof header !== 'string') return null;
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(header.trim());
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return null;
  return { traceId: match[1]!, spanId: match[2]! };
}

const nowNanos = (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;

export interface TracesEndpoint {
  url: string;
  headers: Record<string, string>;
}

/**
 * GONGKAI_OTLP_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL, to which
 * `/v1/traces` is added (unless it ends so already); OTEL_EXPORTER_OTLP_HEADERS
 * (`key=value,key2=value2`) goes along. Null when neither is set: tracing is off.
 */
export function tracesEndpointFromEnv(env: NodeJS.ProcessEnv = process.env): TracesEndpoint | null {
  const raw = (env.GONGKAI_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) ?? '';
  if (raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`GONGKAI_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL, got '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`GONGKAI_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL, got '${raw}'`);
  if (!url.pathname.endsWith('/v1/traces')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  const headers: Record<string, string> = {};
  for (const pair of (env.OTEL_EXPORTER_OTLP_HEADERS ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return { url: url.toString(), headers };
}

interface FinishedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  start: bigint;
  end: bigint;
  attributes: SpanAttributes;
  error: boolean;
}

function otlpAttributes(attributes: SpanAttributes) {
  return Object.entries(attributes)
    .filter((entry): entry is [string, AttributeValue] => entry[1] !== null && entry[1] !== undefined)
    .map(([key, value]) => ({
      key,
      value:
        typeof value === 'string'
          ? { stringValue: value }
          : typeof value === 'boolean'
            ? { boolValue: value }
            : typeof value === 'number'
              ? Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value }
              : { arrayValue: { values: value.map((v) => ({ stringValue: v })) } },
    }));
}

/** The OTLP/JSON body of a batch: one resource per service. */
export function otlpBody(spans: readonly FinishedSpan[]) {
  const byService = new Map<string, FinishedSpan[]>();
  for (const span of spans) byService.set(span.service, [...(byService.get(span.service) ?? []), span]);
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: otlpAttributes({ 'service.name': `gongkai-${service}`, 'service.namespace': 'gongkai' }) },
      scopeSpans: [
        {
          scope: { name: 'gongkai' },
          spans: list.map((span) => ({
            traceId: span.traceId,
            spanId: span.spanId,
            ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
            name: span.name,
            kind: span.kind,
            startTimeUnixNano: String(span.start),
            endTimeUnixNano: String(span.end),
            attributes: otlpAttributes(span.attributes),
            status: { code: span.error ? STATUS.ERROR : STATUS.UNSET },
          })),
        },
      ],
    })),
  };
}

/** Batches spans for one endpoint; sends in the background; drops what cannot be sent. */
class SpanExporter {
  readonly #endpoint: TracesEndpoint;
  #queue: FinishedSpan[] = [];
  #timer: NodeJS.Timeout | null = null;
  #dropped = 0;
  constructor(endpoint: TracesEndpoint) {
    this.#endpoint = endpoint;
  }
  get dropped(): number {
    return this.#dropped;
  }
  add(span: FinishedSpan): void {
    if (this.#queue.length >= MAX_QUEUED) {
      this.#dropped += 1;
      return;
    }
    this.#queue.push(span);
    if (this.#queue.length >= MAX_BATCH) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), FLUSH_MS).unref();
  }
  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      fetch(this.#endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.#endpoint.headers },
        body: JSON.stringify(otlpBody(batch)),
        signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
      }).then(
        (response) => {
          if (!response.ok) this.#dropped += batch.length;
          return response.body?.cancel();
        },
        () => {
          this.#dropped += batch.length;
        },
      );
    }
  }
}

const exporters = new Map<string, SpanExporter>();

function exporterFor(endpoint: TracesEndpoint): SpanExporter {
  const key = `${endpoint.url} ${JSON.stringify(endpoint.headers)}`;
  let exporter = exporters.get(key);
  if (!exporter) exporters.set(key, (exporter = new SpanExporter(endpoint)));
  return exporter;
}

export class Span {
  readonly traceId: string;
  readonly spanId: string;
  readonly #parentSpanId: string | null;
  readonly #service: string;
  readonly #kind: number;
  readonly #start = nowNanos();
  readonly #exporter: SpanExporter;
  name: string;
  readonly attributes: SpanAttributes = {};
  error = false;
  #ended = false;
  constructor(exporter: SpanExporter, service: string, name: string, kind: number, parent: TraceParent | null) {
    this.#exporter = exporter;
    this.#service = service;
    this.name = name;
    this.#kind = kind;
    this.traceId = parent?.traceId ?? randomBytes(16).toString('hex');
    this.spanId = randomBytes(8).toString('hex');
    this.#parentSpanId = parent?.spanId ?? null;
  }
  /** The header that makes a subrequest's span this span's child (sampled). */
  traceparent(): string {
    return `00-${this.traceId}-${this.spanId}-01`;
  }
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#exporter.add({
      service: this.#service,
      traceId: this.traceId,
      spanId: this.spanId,
      parentSpanId: this.#parentSpanId,
      name: this.name,
      kind: this.#kind,
      start: this.#start,
      end: nowNanos(),
      attributes: this.attributes,
      error: this.error,
    });
  }
}

/**
 * A span, when tracing is on; null when it is off. The settings are looked at for each span
 * (cheaply: parsed again only when they change).
 */
export function startSpan(service: string, name: string, kind: number, parent: TraceParent | null): Span | null {
  const exporter = currentExporter();
  return exporter ? new Span(exporter, service, name, kind, parent) : null;
}

let cached: { settings: string; exporter: SpanExporter | null } = { settings: '', exporter: null };

function currentExporter(): SpanExporter | null {
  const { GONGKAI_OTLP_ENDPOINT = '', OTEL_EXPORTER_OTLP_ENDPOINT = '', OTEL_EXPORTER_OTLP_HEADERS = '' } = process.env;
  const settings = `${GONGKAI_OTLP_ENDPOINT}\n${OTEL_EXPORTER_OTLP_ENDPOINT}\n${OTEL_EXPORTER_OTLP_HEADERS}`;
  if (settings !== cached.settings) {
    let endpoint: TracesEndpoint | null = null;
    try {
      endpoint = tracesEndpointFromEnv();
    } catch {
      // refused at start-up (checkTracingSettings); a value set later that is not a URL turns tracing off
    }
    cached = { settings, exporter: endpoint ? exporterFor(endpoint) : null };
  }
  return cached.exporter;
}

/** Throws when the endpoint setting is not a URL: a service refuses to start with it. */
export function checkTracingSettings(): void {
  tracesEndpointFromEnv();
}
