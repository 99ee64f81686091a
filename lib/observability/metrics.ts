// Prometheus metrics, written by hand in the text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): counters, gauges and
// histograms with labels, each service's in its own registry whose samples all carry
// `service="<name>"`. The gateway's /metrics adds its subgraphs' expositions to its own
// (mergeExpositions): the subgraphs listen on loopback only.

export type Labels = Record<string, string>;
type MetricType = 'counter' | 'gauge' | 'histogram';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const escapeLabelValue = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

const labelText = (labels: Labels): string => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
};

/** Label values in the order of the family's label names: the key of one series. */
const seriesKey = (names: readonly string[], labels: Labels): string => JSON.stringify(names.map((name) => labels[name] ?? ''));

abstract class Family {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  abstract readonly type: MetricType;
  constructor(name: string, help: string, labelNames: readonly string[]) {
    if (!NAME.test(name)) throw new Error(`metric name ${name} is not valid`);
    for (const label of labelNames) if (!LABEL_NAME.test(label) || label === 'le' || label.startsWith('__')) throw new Error(`label name ${label} is not valid`);
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }
  protected checked(labels: Labels): Labels {
    const out: Labels = {};
    for (const name of this.labelNames) {
      const value = labels[name];
      if (typeof value !== 'string') throw new Error(`metric ${this.name} needs the label ${name}`);
      out[name] = value;
    }
    return out;
  }
  /** Sample lines, each `name{labels} value`, the registry's own labels first. */
  abstract lines(constant: Labels): string[];
}

export class Counter extends Family {
  readonly type = 'counter';
  readonly #series = new Map<string, { labels: Labels; value: number }>();
  inc(labels: Labels = {}, by = 1): void {
    const checked = this.checked(labels);
    const key = seriesKey(this.labelNames, checked);
    const series = this.#series.get(key) ?? { labels: checked, value: 0 };
    series.value += by;
    this.#series.set(key, series);
  }
  value(labels: Labels = {}): number {
    return this.#series.get(seriesKey(this.labelNames, this.checked(labels)))?.value ?? 0;
  }
  lines(constant: Labels): string[] {
    return [...this.#series.values()].map((s) => `${this.name}${labelText({ ...constant, ...s.labels })} ${formatValue(s.value)}`);
  }
}

/** A value read when scraped: set by a collector just before rendering, replaced as a whole. */
export class Gauge extends Family {
  readonly type = 'gauge';
  #series = new Map<string, { labels: Labels; value: number }>();
  set(labels: Labels, value: number): void {
    const checked = this.checked(labels);
    this.#series.set(seriesKey(this.labelNames, checked), { labels: checked, value });
  }
  clear(): void {
    this.#series = new Map();
  }
  lines(constant: Labels): string[] {
    return [...this.#series.values()].map((s) => `${this.name}${labelText({ ...constant, ...s.labels })} ${formatValue(s.value)}`);
  }
}

/** Seconds: from 5 ms to 10 s, where a GraphQL request's time lies. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Histogram extends Family {
  readonly type = 'histogram';
  readonly buckets: readonly number[];
  readonly #series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[] = LATENCY_BUCKETS) {
    super(name, help, labelNames);
    this.buckets = [...buckets].sort((a, b) => a - b);
  }
  observe(labels: Labels, value: number): void {
    const checked = this.checked(labels);
    const key = seriesKey(this.labelNames, checked);
    let series = this.#series.get(key);
    if (!series) {
      series = { labels: checked, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    // the bucket it falls in; cumulated when rendered
    const index = this.buckets.findIndex((bound) => value <= bound);
    if (index >= 0) series.counts[index]! += 1;
    series.sum += value;
    series.count += 1;
  }
  lines(constant: Labels): string[] {
    const out: string[] = [];
    for (const s of this.#series.values()) {
      const labels = { ...constant, ...s.labels };
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += s.counts[i]!;
        out.push(`${this.name}_bucket${labelText({ ...labels, le: formatValue(bound) })} ${cumulative}`);
      });
      out.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${s.count}`);
      out.push(`${this.name}_sum${labelText(labels)} ${formatValue(s.sum)}`);
      out.push(`${this.name}_count${labelText(labels)} ${s.count}`);
    }
    return out;
  }
}

/** Refreshes gauges just before a scrape (the database pool, counts read from the database). */
export type Collector = () => Promise<void> | void;

export class MetricsRegistry {
  readonly #constant: Labels;
  readonly #families = new Map<string, Family>();
  readonly #collectors: Collector[] = [];
  /** `constant`: labels of every sample, `{ service: 'gateway' }`. */
  constructor(constant: Labels) {
    this.#constant = constant;
  }
  #add<F extends Family>(family: F): F {
    const known = this.#families.get(family.name);
    if (known) {
      if (known.type !== family.type) throw new Error(`metric ${family.name} registered twice with different types`);
      return known as F;
    }
    this.#families.set(family.name, family);
    return family;
  }
  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.#add(new Counter(name, help, labelNames));
  }
  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.#add(new Gauge(name, help, labelNames));
  }
  histogram(name: string, help: string, labelNames: readonly string[] = [], buckets?: readonly number[]): Histogram {
    return this.#add(new Histogram(name, help, labelNames, buckets));
  }
  /** A family made elsewhere (a subgraph's own counter), shown in this registry's exposition. */
  register<F extends Family>(family: F): F {
    return this.#add(family);
  }
  collect(collector: Collector): void {
    this.#collectors.push(collector);
  }
  /** The exposition text; a collector that fails leaves its gauges as they were. */
  async render(): Promise<string> {
    await Promise.all(this.#collectors.map(async (collect) => {
      try {
        await collect();
      } catch {
        // a gauge that cannot be read now (the database away) keeps its last value
      }
    }));
    const out: string[] = [];
    for (const family of this.#families.values()) {
      out.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`, ...family.lines(this.#constant));
    }
    return out.join('\n') + '\n';
  }
}

/**
 * Several expositions as one: a family's HELP and TYPE once, then its samples from each. The
 * expositions are this module's own (the subgraphs'), whose samples follow their family's TYPE.
 */
export function mergeExpositions(texts: readonly string[]): string {
  const families = new Map<string, { help: string | null; type: string | null; samples: string[] }>();
  const familyOf = (name: string) => {
    let family = families.get(name);
    if (!family) families.set(name, (family = { help: null, type: null, samples: [] }));
    return family;
  };
  for (const text of texts) {
    let current: string | null = null;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line);
      if (meta) {
        current = meta[2]!;
        const family = familyOf(current);
        if (meta[1] === 'HELP') family.help ??= meta[3]!;
        else family.type ??= meta[3]!;
        continue;
      }
      if (line.startsWith('#') || current === null) continue;
      familyOf(current).samples.push(line);
    }
  }
  const out: string[] = [];
  for (const [name, family] of families) {
    if (family.help !== null) out.push(`# HELP ${name} ${family.help}`);
    if (family.type !== null) out.push(`# TYPE ${name} ${family.type}`);
    out.push(...family.samples);
  }
  return out.join('\n') + '\n';
}

/**
 * Operation names are chosen by clients: as a label they are bounded. A name is kept when it is
 * one GraphQL could have (at most 64 characters) and among the first `max` distinct ones seen;
 * every other is `(other)`, an anonymous operation `(anonymous)` — neither can be a GraphQL name.
 */
export class BoundedNames {
  static readonly VALID = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
  readonly #max: number;
  readonly #seen = new Set<string>();
  constructor(max: number) {
    this.#max = max;
  }
  of(name: string | null | undefined): string {
    if (name === null || name === undefined || name === '') return '(anonymous)';
    if (!BoundedNames.VALID.test(name)) return '(other)';
    if (this.#seen.has(name)) return name;
    if (this.#seen.size >= this.#max) return '(other)';
    this.#seen.add(name);
    return name;
  }
}

/**
 * A collector that runs at most once per `ms` (reads of the database at scrape time): scrapes in
 * between show the values it last read.
 */
export function atMostEvery(ms: number, collector: Collector): Collector {
  let last = -Infinity;
  let running: Promise<void> | null = null;
  return () => {
    if (running) return running;
    if (performance.now() - last < ms) return;
    running = Promise.resolve(collector()).finally(() => {
      last = performance.now();
      running = null;
    });
    return running;
  };
}
