// The Prometheus metrics of docs/architecture.md ("Metrics"), filled from the DoctorView at scrape time.
//
// A scrape copies the view's last state into the gauges (reset + set), so series of deleted
// connections disappear and no Alibaba API is ever called. Choices:
// - Every tunnel of every collected connection has its state series (0 when down).
// - A region whose status collection failed keeps its last known tunnel values while they are
//   fresh (younger than `staleAfterMs`); `alivpn_collect_success{tier="status"}` is 0 meanwhile.
//   Once stale, the region's state gauges (up, SA, active, BGP, standby, traffic) are dropped
//   rather than reported as healthy or as down: the data is unknown, and the collector-failing
//   alert fires on `alivpn_collect_success == 0`. History counters stay, and so does
//   `alivpn_tunnel_state_age_seconds`: the alerts hold on the last known state while it grows.
// - `alivpn_tunnel_bgp_up` exists only for tunnels with BGP enabled; traffic gauges only when
//   CloudMonitor returned a datapoint; `alivpn_last_collect_timestamp_seconds` is the last success.

import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { AppConfig } from '../config/index.js';
import { activeTunnel, isOnStandby, reportRole } from '../model/derive.js';
import type { Connection, RegionSnapshot } from '../model/snapshot.js';
import type { DoctorView } from '../view/doctor-view.js';
import { exposition } from './exposition.js';
import { type LabelSet, ScrapeFamily } from './family.js';
import { createPeerMetrics } from './peers.js';

export interface MetricsOptions {
  version: string;
  /** Age after which an incomplete region's last known state is no longer exported. Default 5 min. */
  staleAfterMs?: number;
  now?: () => number;
  /** Register the default process and Node.js collectors (default true). */
  defaultMetrics?: boolean;
  /** Availability objectives (config `objectives`), exported per connection for the burn-rate alerts. */
  objectives?: AppConfig['objectives'];
}

export interface DoctorMetrics {
  registry: Registry;
  contentType: string;
  /** Copy the view's state into the registry and serialise it. */
  render(): Promise<string>;
  /**
   * What a scrape answers: the same exposition as UTF-8 chunks, each family passed through `scrub`
   * and encoded before the next is made (metrics/exposition.ts).
   */
  renderBytes(scrub: (text: string) => string): Promise<Buffer[]>;
}

/**
 * Identity of a connection's series. The name is not among them: a rename would start new series
 * for everything (docs/architecture.md, "Metrics"); it is on `alivpn_connection_info`, joined by
 * `connection_id`. `vpn_gateway_id` is absent for a connection without a VPN gateway (attached to a
 * transit router): a label that does not apply is absent, never "".
 */
const CONNECTION_LABELS = ['account', 'region', 'vpn_gateway_id', 'connection_id'] as const;
const TUNNEL_LABELS = [...CONNECTION_LABELS, 'tunnel_id', 'role'] as const;
/** kube-state-metrics style: one series per connection, value 1, carrying what may change (the name). */
const INFO_LABELS = [...CONNECTION_LABELS, 'connection_name'] as const;
/** Bounded identifiers only: never a title, summary or evidence text. */
const FINDING_LABELS = [
  'rule',
  'severity',
  'layer',
  'account',
  'region',
  'vpn_gateway_id',
  'connection_id',
  'tunnel_id',
] as const;
const COLLECT_LABELS = ['account', 'region', 'tier'] as const;
/** IKE probes of a tunnel's peer (docs/probe.md): which address role was probed, on which UDP port. */
const PROBE_LABELS = [...TUNNEL_LABELS, 'target', 'port'] as const;
/** The account and region a call was made for: which account is throttled, where. */
const API_REQUEST_LABELS = ['account', 'region', 'product', 'action', 'code'] as const;
/** `region` is absent when budgets are per account (`api.budget.scope: account`). */
const BUDGET_LABELS = ['account', 'region', 'product'] as const;
/** Alibaba throttles an account's calls to a product: the backoff is per account × product. */
const BACKOFF_LABELS = ['account', 'product'] as const;

/** When a label is absent rather than empty (docs/reference/metrics.md says it per metric). */
const NO_GATEWAY = 'the connection has no VPN gateway (attached to a transit router)';
const ABSENT = {
  connection: { vpn_gateway_id: NO_GATEWAY },
  info: { vpn_gateway_id: NO_GATEWAY, connection_name: 'the connection has no name' },
  finding: { vpn_gateway_id: NO_GATEWAY, tunnel_id: 'the finding is about the connection, not one tunnel' },
  budget: { region: 'budgets are per account (api.budget.scope: account)' },
} as const;

export function createMetrics(view: DoctorView, opts: MetricsOptions): DoctorMetrics {
  // Our scrape families serialise themselves (ScrapeFamily.text); prom-client's own metrics (build
  // info, process and Node.js collectors) stay with its Registry. `registry` lists them all.
  const familyRegistry = new Registry();
  const promRegistry = new Registry();
  const registers = [promRegistry];
  const families: ScrapeFamily<string>[] = [];
  const family = <L extends string, A extends L = never>(
    type: 'gauge' | 'counter',
    name: string,
    help: string,
    labels: readonly L[],
    absent?: Readonly<Record<A, string>>,
  ) => {
    const f = new ScrapeFamily<L, A>(name, help, type, labels, absent);
    familyRegistry.registerMetric(f.asMetric());
    families.push(f as unknown as ScrapeFamily<string>);
    return f;
  };
  const gauge = <L extends string, A extends L = never>(
    name: string,
    help: string,
    labels: readonly L[],
    absent?: Readonly<Record<A, string>>,
  ) => family<L, A>('gauge', name, help, labels, absent);
  const counter = <L extends string, A extends L = never>(
    name: string,
    help: string,
    labels: readonly L[],
    absent?: Readonly<Record<A, string>>,
  ) => family<L, A>('counter', name, help, labels, absent);

  const m = {
    info: gauge(
      'alivpn_connection_info',
      'Connection metadata; always 1. Take the name from here: ... * on (connection_id) group_left (connection_name) alivpn_connection_info.',
      INFO_LABELS,
      ABSENT.info,
    ),
    // One fact, two names (docs/architecture.md, "Metrics"): alivpn_tunnel_up is the tunnel's state
    // for alerts and dashboards; alivpn_tunnel_ipsec_sa_up is the same value as the phase 2 rung of
    // the ike_sa_up -> ipsec_sa_up -> bgp_up ladder, kept as a tested alias.
    up: gauge(
      'alivpn_tunnel_up',
      'The tunnel is up: its phase 2 (IPsec SA) is established, so it can carry traffic: 1 up, 0 down. The tunnel state alerts and dashboards use.',
      TUNNEL_LABELS,
      ABSENT.connection,
    ),
    ikeUp: gauge(
      'alivpn_tunnel_ike_sa_up',
      'Phase 1 (IKE SA) of the tunnel established: 1 yes, 0 no.',
      TUNNEL_LABELS,
      ABSENT.connection,
    ),
    ipsecUp: gauge(
      'alivpn_tunnel_ipsec_sa_up',
      'Phase 2 (IPsec SA) of the tunnel established: an alias of alivpn_tunnel_up (always the same value), the rung of the ladder ike_sa_up -> ipsec_sa_up -> bgp_up.',
      TUNNEL_LABELS,
      ABSENT.connection,
    ),
    active: gauge(
      'alivpn_tunnel_active',
      'The tunnel carries the connection traffic.',
      TUNNEL_LABELS,
      ABSENT.connection,
    ),
    bgpUp: gauge(
      'alivpn_tunnel_bgp_up',
      'BGP session of the tunnel is up (BGP-enabled tunnels).',
      TUNNEL_LABELS,
      ABSENT.connection,
    ),
    stateChanges: counter(
      'alivpn_tunnel_state_changes_total',
      'Negotiation status changes of the tunnel seen by the tracker.',
      TUNNEL_LABELS,
      ABSENT.connection,
    ),
    stateAge: gauge(
      'alivpn_tunnel_state_age_seconds',
      'Age of the last known state of the tunnel (its region last read completely); grows while the collector is blind, also after the state gauges stop being exported.',
      TUNNEL_LABELS,
      ABSENT.connection,
    ),
    lastChange: gauge(
      'alivpn_tunnel_last_change_timestamp_seconds',
      'Unix time of the last negotiation status change of the tunnel.',
      TUNNEL_LABELS,
      ABSENT.connection,
    ),
    onStandby: gauge(
      'alivpn_connection_on_standby',
      'Traffic runs on the standby tunnel (failed over).',
      CONNECTION_LABELS,
      ABSENT.connection,
    ),
    // Help texts stay ASCII: one non-Latin-1 character turns the whole /metrics page into a two-byte
    // string, doubling what every scrape allocates (measured: peak RSS 286-299 -> 254-262 MB).
    failovers: counter(
      'alivpn_connection_failovers_total',
      'Failovers primary -> standby.',
      CONNECTION_LABELS,
      ABSENT.connection,
    ),
    failbacks: counter(
      'alivpn_connection_failbacks_total',
      'Failbacks standby -> primary.',
      CONNECTION_LABELS,
      ABSENT.connection,
    ),
    configChanges: counter(
      'alivpn_config_changes_total',
      'Configuration changes seen between two snapshots, by kind (tunnel-ike, psk, vpn-route, ...).',
      [...CONNECTION_LABELS, 'kind'],
      ABSENT.connection,
    ),
    observed: counter(
      'alivpn_connection_observed_seconds_total',
      'Time the connection status was observed (gaps over 10 min, when nothing is known, are not counted).',
      CONNECTION_LABELS,
      ABSENT.connection,
    ),
    available: counter(
      'alivpn_connection_available_seconds_total',
      'Observed time with at least one tunnel established; availability = rate(available) / rate(observed).',
      CONNECTION_LABELS,
      ABSENT.connection,
    ),
    standbySeconds: counter(
      'alivpn_connection_standby_seconds_total',
      'Observed time with traffic on the standby tunnel (failed over).',
      CONNECTION_LABELS,
      ABSENT.connection,
    ),
    objective: gauge(
      'alivpn_connection_availability_objective',
      'Availability objective of the connection (objectives.availability in the config).',
      CONNECTION_LABELS,
      ABSENT.connection,
    ),
    rx: gauge(
      'alivpn_connection_receive_bits_per_second',
      'Received bits per second (CloudMonitor ipsec_rx.rate).',
      CONNECTION_LABELS,
      ABSENT.connection,
    ),
    tx: gauge(
      'alivpn_connection_transmit_bits_per_second',
      'Transmitted bits per second (CloudMonitor ipsec_tx.rate).',
      CONNECTION_LABELS,
      ABSENT.connection,
    ),
    probeSuccess: gauge(
      'alivpn_ike_probe_success',
      'Last IKE probe of the tunnel peer on the UDP port got an answer: 1 yes, 0 no (probe tier, off by default).',
      PROBE_LABELS,
      ABSENT.connection,
    ),
    probeDuration: gauge(
      'alivpn_ike_probe_duration_seconds',
      'Last IKE probe of the tunnel peer: round trip when answered, else the whole wait over all attempts.',
      PROBE_LABELS,
      ABSENT.connection,
    ),
    finding: gauge(
      'alivpn_finding',
      'An open finding of the rule engine (1 while open).',
      FINDING_LABELS,
      ABSENT.finding,
    ),
    collectSuccess: gauge(
      'alivpn_collect_success',
      'Last collection of the tier succeeded: 1 yes, 0 no.',
      COLLECT_LABELS,
    ),
    collectDuration: gauge(
      'alivpn_collect_duration_seconds',
      'Duration of the last collection of the tier.',
      COLLECT_LABELS,
    ),
    lastCollect: gauge(
      'alivpn_last_collect_timestamp_seconds',
      'Unix time of the last successful collection of the tier.',
      COLLECT_LABELS,
    ),
    apiRequests: counter(
      'alivpn_api_requests_total',
      'Alibaba Cloud API requests (every attempt) by account, region, product, action and result code.',
      API_REQUEST_LABELS,
    ),
    budgetTokens: gauge(
      'alivpn_api_budget_tokens_available',
      'Request budget: whole tokens available now in the bucket (0 while calls queue for a token).',
      BUDGET_LABELS,
      ABSENT.budget,
    ),
    budgetRate: gauge(
      'alivpn_api_budget_rate_per_second',
      'Request budget: configured sustained rate of the bucket (api.budget.<product>.rps).',
      BUDGET_LABELS,
      ABSENT.budget,
    ),
    budgetWaits: counter(
      'alivpn_api_budget_waits_total',
      'Request budget: API calls that had to wait for a token.',
      BUDGET_LABELS,
      ABSENT.budget,
    ),
    budgetWaitSeconds: counter(
      'alivpn_api_budget_wait_seconds_total',
      'Request budget: total time API calls waited for a token.',
      BUDGET_LABELS,
      ABSENT.budget,
    ),
    apiThrottled: counter(
      'alivpn_api_throttled_total',
      "Throttled answers (Throttling, Throttling.User, …) from Alibaba's flow control, per account and product.",
      BACKOFF_LABELS,
    ),
    apiBackoff: gauge(
      'alivpn_api_backoff_seconds',
      'Throttling backoff: seconds the calls of this account and product are still held back (0 when none).',
      BACKOFF_LABELS,
    ),
    apiBackoffSkipped: counter(
      'alivpn_api_backoff_skipped_total',
      'Throttling backoff: API calls not sent because the account and product were backing off.',
      BACKOFF_LABELS,
    ),
  };
  const peerMetrics = createPeerMetrics(family, TUNNEL_LABELS, ABSENT.connection);
  const buildInfo = new Gauge({
    name: 'alivpn_build_info',
    help: 'Build information; always 1.',
    labelNames: ['version', 'node_version'],
    registers,
  });
  buildInfo.set({ version: opts.version, node_version: process.versions.node }, 1);
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: promRegistry });
  const registry = Registry.merge([familyRegistry, promRegistry]);

  const staleAfterMs = opts.staleAfterMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;

  /**
   * Label sets per connection object, kept across scrapes. Snapshots are values and the merge keeps an
   * unchanged connection's object (collect/merge.ts), so each set is built once, and formatted once
   * (family.ts keeps the text per label object), instead of 40,000 times at every scrape.
   */
  const labelSets = new WeakMap<Connection, ConnectionLabelSets>();

  function labelsOf(c: Connection): ConnectionLabelSets {
    let sets = labelSets.get(c);
    if (sets) return sets;
    const connection = connectionLabels(c);
    sets = {
      connection,
      info: c.name === '' ? connection : Object.assign({}, connection, { connection_name: c.name }),
      tunnels: c.tunnels.map((t) =>
        Object.assign({}, connection, { tunnel_id: t.id, role: reportRole(t.role) }),
      ),
    };
    labelSets.set(c, sets);
    return sets;
  }

  function refresh(): void {
    for (const metric of Object.values(m)) metric.reset();
    peerMetrics.reset();
    const snapshot = view.snapshot();
    peerMetrics.refresh(view, snapshot);
    const counters = view.counters();
    for (const region of snapshot?.regions ?? []) {
      const fresh = region.connections.complete || now() - region.connections.collectedAt <= staleAfterMs;
      for (const c of region.connections.data) {
        const { connection: labels, info, tunnels: tunnelLabels } = labelsOf(c);
        // Also while the region is stale: the name is the last known one, like the history counters.
        m.info.add(info, 1);
        m.failovers.add(labels, counters.failovers[c.id] ?? 0);
        m.failbacks.add(labels, counters.failbacks[c.id] ?? 0);
        const observed = counters.observedSeconds?.[c.id];
        if (observed !== undefined) {
          m.observed.add(labels, observed);
          m.available.add(labels, counters.availableSeconds[c.id] ?? 0);
          m.standbySeconds.add(labels, counters.standbySeconds[c.id] ?? 0);
        }
        if (opts.objectives)
          m.objective.add(labels, opts.objectives.connections[c.id] ?? opts.objectives.availability);
        for (const [kind, n] of Object.entries(counters.configChanges?.[c.id] ?? {}))
          m.configChanges.add({ ...labels, kind }, n);
        for (const [i, tun] of c.tunnels.entries()) {
          const tl = tunnelLabels[i]!;
          m.stateChanges.add(tl, counters.tunnelStateChanges[tun.id] ?? 0);
          m.stateAge.add(tl, Math.max(0, (now() - region.connections.collectedAt) / 1000));
          const changedAt = counters.tunnelLastChangeMs[tun.id];
          if (changedAt !== undefined) m.lastChange.add(tl, changedAt / 1000);
          const probes = region.probes?.[tun.id];
          for (const p of probes?.ports ?? []) {
            const pl = { ...tl, target: probes!.target, port: String(p.port) };
            m.probeSuccess.add(pl, p.answered ? 1 : 0);
            m.probeDuration.add(pl, (p.answered && p.rttMs !== null ? p.rttMs : p.durationMs) / 1000);
          }
        }
        if (fresh) setConnectionState(c, region, labels, tunnelLabels);
      }
    }
    const seen = new Set<string>();
    for (const f of view.diagnosis().findings) {
      const labels = {
        rule: f.rule,
        severity: f.severity,
        layer: f.layer,
        account: f.account,
        region: f.region,
        ...(f.vpnGatewayId !== '' && { vpn_gateway_id: f.vpnGatewayId }),
        connection_id: f.connectionId,
        ...(f.tunnelId !== null && { tunnel_id: f.tunnelId }),
      };
      const key = Object.entries(labels).join('\u0000');
      if (seen.has(key)) continue; // one series per label set, even if a rule reports twice
      seen.add(key);
      m.finding.add(labels, 1);
    }
    for (const s of view.collectStatus()) {
      const l = { account: s.account, region: s.region, tier: s.tier };
      m.collectSuccess.add(l, s.success ? 1 : 0);
      m.collectDuration.add(l, s.durationSeconds);
      if (s.lastSuccessMs !== null) m.lastCollect.add(l, s.lastSuccessMs / 1000);
    }
    for (const r of view.apiRequests()) {
      const { account, region, product, action, code } = r;
      m.apiRequests.add({ account, region, product, action, code }, r.count);
    }
    for (const b of view.budgets?.() ?? []) {
      const l = {
        account: b.account,
        ...(b.region !== undefined && { region: b.region }),
        product: b.product,
      };
      m.budgetTokens.add(l, b.tokensAvailable);
      m.budgetRate.add(l, b.rps);
      m.budgetWaits.add(l, b.waits);
      m.budgetWaitSeconds.add(l, b.waitedMs / 1000);
    }
    for (const b of view.backoffs?.() ?? []) {
      const l = { account: b.account, product: b.product };
      m.apiThrottled.add(l, b.throttled);
      m.apiBackoff.add(l, b.backoffSeconds);
      m.apiBackoffSkipped.add(l, b.skipped);
    }
  }

  function setConnectionState(
    c: Connection,
    region: RegionSnapshot,
    labels: ConnectionLabels,
    tunnelLabels: readonly TunnelLabels[],
  ): void {
    const active = activeTunnel(c);
    m.onStandby.add(labels, isOnStandby(c) ? 1 : 0);
    for (const [i, tun] of c.tunnels.entries()) {
      const tl = tunnelLabels[i]!;
      m.up.add(tl, tun.ipsecSaUp ? 1 : 0);
      m.ikeUp.add(tl, tun.ikeSaUp ? 1 : 0);
      m.ipsecUp.add(tl, tun.ipsecSaUp ? 1 : 0);
      m.active.add(tl, active?.id === tun.id ? 1 : 0);
      if (tun.bgp) m.bgpUp.add(tl, tun.bgp.up ? 1 : 0);
    }
    const traffic = region.traffic?.data[c.id];
    if (traffic?.rxBps !== null && traffic?.rxBps !== undefined) m.rx.add(labels, traffic.rxBps);
    if (traffic?.txBps !== null && traffic?.txBps !== undefined) m.tx.add(labels, traffic.txBps);
  }

  /** Our families' texts, made one at a time as they are read, then prom-client's. */
  function* texts(prom: string): Generator<string> {
    for (const f of families) yield f.text();
    yield prom;
  }

  return {
    registry,
    contentType: registry.contentType,
    async render() {
      const prom = await promRegistry.metrics();
      refresh();
      return [...texts(prom)].join('\n\n');
    },
    async renderBytes(scrub) {
      const prom = await promRegistry.metrics();
      refresh();
      return exposition(texts(prom), scrub);
    },
  };
}

type ConnectionLabels = LabelSet<(typeof CONNECTION_LABELS)[number], 'vpn_gateway_id'>;
type TunnelLabels = LabelSet<(typeof TUNNEL_LABELS)[number], 'vpn_gateway_id'>;

interface ConnectionLabelSets {
  connection: ConnectionLabels;
  /** alivpn_connection_info's: the connection's labels and its name, when it has one. */
  info: ConnectionLabels & { connection_name?: string };
  /** Per tunnel, in the connection's tunnel order. */
  tunnels: TunnelLabels[];
}

/** The connection's identity labels; `vpn_gateway_id` only when it has one (absent, never ""). */
export function connectionLabels(c: Connection): ConnectionLabels {
  return {
    account: c.account,
    region: c.region,
    ...(c.vpnGatewayId !== '' && { vpn_gateway_id: c.vpnGatewayId }),
    connection_id: c.id,
  };
}
