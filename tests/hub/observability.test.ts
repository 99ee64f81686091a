// The hub can be watched: a JSON log line per request (with the request id the client gets, the
// operation, the duration, the subgraphs' timings, and no variable), a Prometheus /metrics at the
// gateway that parses as the text format with the expected series and counts (its subgraphs'
// included), and OTLP traces only when an endpoint is configured.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { eventually } from '../support/eventually.ts';
import { BoundedNames } from '../../lib/observability/metrics.ts';
import { admitScraper } from '../../lib/observability/scrape.ts';

// ---- a strict parser of the Prometheus text format 0.0.4 ----

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Family {
  name: string;
  type: string;
  help: string | null;
  samples: Sample[];
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!name) throw new Error(`bad label name in: ${line}`);
    i += name[0].length;
    if (text.slice(i, i + 2) !== '="') throw new Error(`expected =" in: ${line}`);
    i += 2;
    let value = '';
    for (;;) {
      if (i >= text.length) throw new Error(`unterminated label value in: ${line}`);
      const c = text[i]!;
      if (c === '"') break;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new Error(`bad escape in: ${line}`);
        i += 2;
        continue;
      }
      if (c === '\n') throw new Error(`raw newline in label value: ${line}`);
      value += c;
      i += 1;
    }
    i += 1;
    if (name[0] in labels) throw new Error(`label ${name[0]} twice in: ${line}`);
    labels[name[0]] = value;
    if (text[i] === ',') i += 1;
    else if (i !== text.length) throw new Error(`expected , between labels in: ${line}`);
  }
  return labels;
}

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value in: ${line}`);
  return Number(text);
}

/** The families of an exposition; throws on anything the format does not allow. */
function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('an exposition ends with a newline');
  const families = new Map<string, Family>();
  const finished = new Set<string>();
  let current: Family | null = null;
  const familyOf = (name: string): Family => {
    if (current && current.name === name) return current;
    if (finished.has(name) || families.has(name)) throw new Error(`family ${name} is not contiguous`);
    if (current) finished.add(current.name);
    current = { name, type: 'untyped', help: null, samples: [] };
    families.set(name, current);
    return current;
  };
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (help) {
      const family = familyOf(help[1]!);
      if (family.help !== null) throw new Error(`two HELP lines for ${help[1]}`);
      if (/\\[^\\n]/.test(help[2]!.replace(/\\\\/g, ''))) throw new Error(`bad escape in HELP: ${line}`);
      family.help = help[2]!;
      continue;
    }
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      const family = familyOf(type[1]!);
      if (family.samples.length > 0 || family.type !== 'untyped') throw new Error(`TYPE of ${type[1]} after its samples or twice`);
      family.type = type[2]!;
      continue;
    }
    if (line.startsWith('#')) {
      if (/^# (HELP|TYPE)/.test(line)) throw new Error(`malformed: ${line}`);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const name = sample[1]!;
    const c = current as Family | null;
    const base = c && c.type === 'histogram' && /_(bucket|sum|count)$/.test(name) && name.replace(/_(bucket|sum|count)$/, '') === c.name ? c.name : name;
    const family = familyOf(base);
    if (family.type === 'counter' && parseValue(sample[3]!, line) < 0) throw new Error(`negative counter: ${line}`);
    family.samples.push({ name, labels: parseLabels(sample[2] ?? '', line), value: parseValue(sample[3]!, line) });
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function checkHistogram(family: Family): void {
  const series = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (sample.name === `${family.name}_bucket`) {
      if (le === undefined) throw new Error(`${family.name}: bucket without le`);
      entry.buckets.push([parseValue(le, le), sample.value]);
    } else if (sample.name === `${family.name}_sum`) entry.sum = sample.value;
    else if (sample.name === `${family.name}_count`) entry.count = sample.value;
    else throw new Error(`${family.name}: unexpected sample ${sample.name}`);
  }
  for (const [key, entry] of series) {
    if (entry.sum === undefined || entry.count === undefined) throw new Error(`${family.name}${key}: _sum or _count missing`);
    for (let i = 1; i < entry.buckets.length; i++) {
      if (!(entry.buckets[i]![0] > entry.buckets[i - 1]![0])) throw new Error(`${family.name}${key}: le not increasing`);
      if (entry.buckets[i]![1] < entry.buckets[i - 1]![1]) throw new Error(`${family.name}${key}: buckets not cumulative`);
    }
    const last = entry.buckets.at(-1);
    if (!last || last[0] !== Infinity) throw new Error(`${family.name}${key}: no +Inf bucket last`);
    if (last[1] !== entry.count) throw new Error(`${family.name}${key}: +Inf bucket ${last[1]} ≠ _count ${entry.count}`);
  }
}

function value(families: Map<string, Family>, name: string, labels: Record<string, string>, sampleName = name): number | undefined {
  const family = families.get(name);
  const found = family?.samples.find((s) => s.name === sampleName && Object.entries(labels).every(([k, v]) => s.labels[k] === v) && Object.keys(s.labels).length === Object.keys(labels).length);
  return found?.value;
}

describe('the parser itself', () => {
  it('refuses what the format does not allow', () => {
    expect(() => parseExposition('# TYPE a counter\na{x="1} 1\n')).toThrow();
    expect(() => parseExposition('# TYPE a counter\na 1\n# TYPE b gauge\nb 1\na 2\n')).toThrow(/contiguous/);
    expect(() => parseExposition('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n')).toThrow(/cumulative/);
    expect(() => parseExposition('# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n')).toThrow(/\+Inf/);
    expect(parseExposition('# HELP a x\\\\y\n# TYPE a gauge\na{p="q\\"r\\\\s\\nt"} -1.5e3\n').get('a')!.samples[0]).toEqual({ name: 'a', labels: { p: 'q"r\\s\nt' }, value: -1500 });
  });
});

// ---- the hub ----

const lines: string[] = [];
const realLog = console.log;
const realError = console.error;
console.log = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
console.error = (...args: unknown[]) => void lines.push(args.map(String).join(' '));

// every connection the process opens, by destination port
const destinations: number[] = [];
const realConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: any[]) {
  // Node calls it with its normalised arguments ([options, callback]) from net.connect and http
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first };
  destinations.push(Number(options.port));
  return (realConnect as any).apply(this, args);
} as typeof realConnect;

const savedEnv = { GONGKAI_OTLP_ENDPOINT: process.env.GONGKAI_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTEL_EXPORTER_OTLP_ENDPOINT, GONGKAI_LOG_REQUESTS: process.env.GONGKAI_LOG_REQUESTS };
// the suite turns request lines off (vitest.config.ts); this file is about them
process.env.GONGKAI_LOG_REQUESTS = '1';
delete process.env.GONGKAI_OTLP_ENDPOINT;
delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;

afterAll(() => {
  console.log = realLog;
  console.error = realError;
  net.Socket.prototype.connect = realConnect;
  for (const [key, saved] of Object.entries(savedEnv)) {
    if (saved === undefined) delete process.env[key];
    else process.env[key] = saved;
  }
});

/** A stand-in OTLP collector: every batch POSTed to /v1/traces. */
const batches: any[] = [];
const collector = http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    if (request.url === '/v1/traces' && request.method === 'POST') batches.push(JSON.parse(body));
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

const SECRET = 'zz-秘密-variable-7319';
const DASHBOARD = `query Dashboard($search: String) {
  regions(search: $search) { code }
  region(code: "430000") { name disclosure(year: 2024) { filed } hotline(year: 2024) { received } }
}`;

interface Answer {
  body: { data?: any; errors?: { extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> };
  requestId: string;
}

async function ask(hub: TestHub, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(hub.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { body: (await response.json()) as Answer['body'], requestId: response.headers.get('x-request-id')! };
}

const jsonLines = () => lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
const requestLine = (service: string, requestId: string) => jsonLines().find((l) => l.msg === 'request' && l.service === service && l.requestId === requestId);

describe('observability', () => {
  let hub: TestHub;
  let hubPorts: Set<number>;
  let untraced: Answer;
  let traced: Answer;
  let failed: Answer;
  let beforeEndpoint: number[];

  beforeAll(async () => {
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', () => resolve()));
    // counts subgraph requests and their spans: every request must reach the subgraphs
    hub = await startTestHub({ answerCache: false });
    hubPorts = new Set([
      Number(new URL(hub.gatewayUrl).port),
      ...Object.values(hub.subgraphs).map((s) => Number(new URL(s.url).port)),
      Number(new URL(hub.databaseUrl).port),
    ]);
    destinations.length = 0;
    // no endpoint: nothing is traced
    untraced = await ask(hub, DASHBOARD, { search: SECRET });
    await ask(hub, 'query RegionName { region(code: "430000") { name } }');
    await ask(hub, 'query RegionName { region(code: "320000") { name } }');
    failed = await ask(hub, 'query Broken { region(code: "12") { name } }');
    beforeEndpoint = [...destinations];
    // an endpoint: the next request is traced
    process.env.GONGKAI_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    traced = await ask(hub, DASHBOARD, { search: SECRET });
    delete process.env.GONGKAI_OTLP_ENDPOINT;
  }, 120_000);

  it('gives every answer its request id in extensions, errors or not', () => {
    expect(untraced.body.data.region.name).toBe('湖南省');
    expect(untraced.body.extensions?.requestId).toBe(untraced.requestId);
    expect(failed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(failed.body.extensions?.requestId).toBe(failed.requestId);
    expect(failed.body.errors?.[0]?.extensions?.requestId).toBe(failed.requestId);
  });

  it('logs one JSON line per request at the gateway and at each subgraph, without variables', () => {
    const line = requestLine('gateway', untraced.requestId);
    expect(line).toMatchObject({ level: 'info', service: 'gateway', operation: 'Dashboard', method: 'POST', httpStatus: 200, outcome: 'ok', errorCodes: [] });
    expect(Number.isNaN(Date.parse(line.time))).toBe(false);
    expect(line.durationMs).toBeGreaterThan(0);
    expect(line.traceId).toBeUndefined();
    const called = new Set(line.subgraphs.map((s: { name: string }) => s.name));
    expect(called).toEqual(new Set(['agencies', 'reports', 'hotline']));
    for (const timing of line.subgraphs) expect(timing).toEqual({ name: timing.name, durationMs: expect.any(Number), ok: true });
    // the subgraphs log the same request under the same id
    for (const name of ['agencies', 'reports', 'hotline']) expect(requestLine(name, untraced.requestId)).toMatchObject({ outcome: 'ok', httpStatus: 200 });
    expect(requestLine('gateway', failed.requestId)).toMatchObject({ level: 'warn', operation: 'Broken', outcome: 'error', errorCodes: ['BAD_USER_INPUT'] });
    // every line of the services is JSON, and none holds the variable's value
    expect(lines.length).toBeGreaterThan(0);
    for (const logged of lines) {
      expect(() => JSON.parse(logged)).not.toThrow();
      expect(logged).not.toContain(SECRET);
      expect(logged).not.toContain('秘密');
    }
  });

  it('serves /metrics at the gateway as Prometheus text, with its subgraphs\' metrics', async () => {
    const response = await fetch(new URL('/metrics', hub.gatewayUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    const families = parseExposition(text);
    const gateway = { service: 'gateway' };
    expect(families.get('gongkai_graphql_requests_total')?.type).toBe('counter');
    expect(value(families, 'gongkai_graphql_requests_total', { ...gateway, operation: 'RegionName', outcome: 'ok' })).toBe(2);
    expect(value(families, 'gongkai_graphql_requests_total', { ...gateway, operation: 'Dashboard', outcome: 'ok' })).toBe(2);
    expect(value(families, 'gongkai_graphql_requests_total', { ...gateway, operation: 'Broken', outcome: 'error' })).toBe(1);
    expect(value(families, 'gongkai_graphql_request_errors_total', { ...gateway, code: 'BAD_USER_INPUT' })).toBe(1);
    expect(families.get('gongkai_graphql_request_duration_seconds')?.type).toBe('histogram');
    const latency = 'gongkai_graphql_request_duration_seconds';
    expect(value(families, latency, { ...gateway, operation: 'RegionName' }, `${latency}_count`)).toBe(2);
    expect(value(families, latency, { ...gateway, operation: 'RegionName', le: '+Inf' }, `${latency}_bucket`)).toBe(2);
    expect(value(families, latency, { ...gateway, operation: 'RegionName' }, `${latency}_sum`)).toBeGreaterThan(0);
    // per subgraph: the two Dashboards called each subgraph at least once
    const fetches = 'gongkai_subgraph_fetch_duration_seconds';
    for (const subgraph of ['agencies', 'reports', 'hotline']) {
      expect(value(families, fetches, { ...gateway, subgraph }, `${fetches}_count`)).toBeGreaterThanOrEqual(2);
      expect(value(families, 'gongkai_scrape_up', { ...gateway, target: subgraph })).toBe(1);
      // each subgraph's own: its requests and its pool
      const own = families.get('gongkai_graphql_requests_total')!.samples.filter((s) => s.labels.service === subgraph);
      expect(own.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThanOrEqual(2);
      expect(value(families, 'gongkai_db_pool_connections', { service: subgraph, pool: 'main', state: 'idle' })).toBeGreaterThanOrEqual(0);
      // a connection being opened for this very scrape's table reads may be waited for
      expect(value(families, 'gongkai_db_pool_waiting', { service: subgraph, pool: 'main' })).toBeGreaterThanOrEqual(0);
      expect(value(families, 'gongkai_db_pool_max', { service: subgraph, pool: 'main' })).toBeGreaterThan(0);
    }
    expect(value(families, 'gongkai_reports_documents', { service: 'reports' })).toBe(0);
    expect(families.get('gongkai_reports_ingested_total')?.type).toBe('counter');
    // the scrape itself is no request of the log
    expect(text).not.toContain(SECRET);
  });

  it('keeps /metrics from other machines unless they bring GONGKAI_METRICS_TOKEN, and bounds operation names', () => {
    const request = (remoteAddress: string, authorization?: string) => ({ socket: { remoteAddress }, headers: authorization ? { authorization } : {} }) as any;
    expect(() => admitScraper(request('127.0.0.1'), null)).not.toThrow();
    expect(() => admitScraper(request('::ffff:127.0.0.1'), null)).not.toThrow();
    expect(() => admitScraper(request('10.1.2.3'), null)).toThrow(/loopback only/);
    const token = 'a-metrics-token-of-some-length';
    expect(() => admitScraper(request('10.1.2.3', `Bearer ${token}`), token)).not.toThrow();
    expect(() => admitScraper(request('127.0.0.1'), token)).toThrow(/GONGKAI_METRICS_TOKEN/);
    expect(() => admitScraper(request('10.1.2.3', 'Bearer wrong'), token)).toThrow(/GONGKAI_METRICS_TOKEN/);

    const names = new BoundedNames(2);
    expect([names.of('A'), names.of('B'), names.of('C'), names.of('A'), names.of(null), names.of('x'.repeat(65)), names.of('bad name')]).toEqual(['A', 'B', '(other)', 'A', '(anonymous)', '(other)', '(other)']);
  });

  it('sends spans to the OTLP endpoint when one is set, and makes no connection without one', async () => {
    const spans = () =>
      batches.flatMap((batch) =>
        batch.resourceSpans.flatMap((rs: any) => {
          const service = rs.resource.attributes.find((a: any) => a.key === 'service.name').value.stringValue;
          return rs.scopeSpans.flatMap((ss: any) => ss.spans.map((span: any) => ({ ...span, service })));
        }),
      );
    const attribute = (span: any, key: string) => span.attributes.find((a: any) => a.key === key)?.value;
    const traceId = requestLine('gateway', traced.requestId)?.traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const ofTrace = await eventually(
      async () => spans().filter((span) => span.traceId === traceId),
      (found) => ['agencies', 'reports', 'hotline'].every((name) => found.some((s) => s.service === `gongkai-${name}` && s.kind === 2)),
    );
    const root = ofTrace.find((span) => span.service === 'gongkai-gateway' && span.kind === 2);
    expect(root).toBeDefined();
    expect(root.parentSpanId).toBeUndefined();
    expect(attribute(root, 'gongkai.request_id')).toEqual({ stringValue: traced.requestId });
    expect(attribute(root, 'graphql.operation.name')).toEqual({ stringValue: 'Dashboard' });
    for (const name of ['agencies', 'reports', 'hotline']) {
      const fetches = ofTrace.filter((span) => span.kind === 3 && span.parentSpanId === root.spanId && span.name === `subgraph ${name}`);
      expect(fetches.length).toBeGreaterThanOrEqual(1);
      // the subgraph's own span is the child of the gateway's fetch (traceparent)
      const served = ofTrace.filter((span) => span.service === `gongkai-${name}` && span.kind === 2);
      expect(served.every((span) => fetches.some((f) => f.spanId === span.parentSpanId))).toBe(true);
      expect(BigInt(fetches[0].endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(fetches[0].startTimeUnixNano));
    }
    expect(JSON.stringify(batches)).not.toContain(SECRET);
    // the requests before the endpoint was set: no span, and no connection beyond the hub's own
    expect(spans().some((span) => attribute(span, 'gongkai.request_id')?.stringValue === untraced.requestId)).toBe(false);
    const collectorPort = (collector.address() as AddressInfo).port;
    expect(beforeEndpoint.length).toBeGreaterThan(0);
    expect(beforeEndpoint.filter((port) => !hubPorts.has(port))).toEqual([]);
    expect(destinations.filter((port) => !hubPorts.has(port) && port !== collectorPort)).toEqual([]);
  });
});
