// A metric family rebuilt from scratch at every scrape. prom-client's Gauge/Counter hash every
// label set on `set()`, which costs more than the whole scrape budget at 4,000 tunnels; this keeps
// the samples in a plain array and lets the Registry serialise them as usual.
import type { Metric, MetricValue } from 'prom-client';

type PromType = 'gauge' | 'counter';

export class ScrapeFamily<L extends string> {
  readonly aggregator = 'sum' as const;
  private samples: MetricValue<L>[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: PromType,
    readonly labelNames: readonly L[],
  ) {}

  reset(): void {
    this.samples = [];
  }

  add(labels: Record<L, string>, value: number): void {
    this.samples.push({ labels, value });
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

  /** The Registry only calls `name`, `get()` and `reset()`; the cast satisfies its nominal type. */
  asMetric(): Metric<L> {
    return this as unknown as Metric<L>;
  }
}
