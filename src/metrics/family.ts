// A metric family rebuilt from scratch at every scrape. prom-client's Gauge/Counter hash every
// label set on `set()`, which costs more than the whole scrape budget at 4,000 tunnels; this keeps
// the samples in a plain array. `text()` serialises them in the exposition format as prom-client's
// Registry does, but formats each label object once (families share them, and registry.ts keeps an
// unchanged connection's across scrapes) and escapes only values that need it: prom-client's own
// serialisation took ~150 ms for 4,000 tunnels.
import type { Metric, MetricValue } from 'prom-client';

type PromType = 'gauge' | 'counter';

/** A sample's labels: every label of the family, except those `A` that may be absent. */
export type LabelSet<L extends string, A extends L = never> = Record<Exclude<L, A>, string> &
  Partial<Record<A, string>>;

export class ScrapeFamily<L extends string, A extends L = never> {
  readonly aggregator = 'sum' as const;
  private samples: MetricValue<L>[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: PromType,
    readonly labelNames: readonly L[],
    /**
     * The labels a sample leaves out when they do not apply, each with when (the metrics reference
     * says it): a label that does not apply is absent, never "".
     */
    readonly absent: Readonly<Record<A, string>> = {} as Record<A, string>,
  ) {}

  reset(): void {
    this.samples = [];
  }

  add(labels: LabelSet<L, A>, value: number): void {
    this.samples.push({ labels: labels as Partial<Record<L, string>>, value });
  }

  /** What the Registry serialises: the same shape as prom-client's own metrics return. */
  async get(): Promise<{
    name: string;
    help: string;
    type: PromType;
    aggregator: 'sum';
    values: MetricValue<L>[];
  }> {
    return { name: this.name, help: this.help, type: this.type, aggregator: 'sum', values: this.samples };
  }

  /** The family in the Prometheus text format (no trailing newline), as Registry.metrics() writes it. */
  text(): string {
    const name = escapeText(this.name);
    const lines = [`# HELP ${name} ${escapeText(this.help)}`, `# TYPE ${name} ${this.type}`];
    for (const { labels, value } of this.samples)
      lines.push(`${name}${formatLabels(labels)} ${valueText(value)}`);
    return lines.join('\n');
  }

  /** The Registry only calls `name`, `get()` and `reset()`; the cast satisfies its nominal type. */
  asMetric(): Metric<L> {
    return this as unknown as Metric<L>;
  }
}

/**
 * Label objects are shared by several families, and kept across scrapes for an unchanged connection
 * (registry.ts): format each once.
 */
const formatted = new WeakMap<object, string>();
const NEEDS_ESCAPE = /[\\\n"]/;

function formatLabels(labels: object): string {
  let text = formatted.get(labels);
  if (text !== undefined) return text;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    const value = String(v);
    parts.push(`${k}="${NEEDS_ESCAPE.test(value) ? escapeText(value).replace(/"/g, '\\"') : value}"`);
  }
  text = parts.length > 0 ? `{${parts.join(',')}}` : '';
  formatted.set(labels, text);
  return text;
}

function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** As prom-client writes values (its util.getValueAsString). */
function valueText(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}
