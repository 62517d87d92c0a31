// The live world: configuration-derived failures plus incidents (timeline or control endpoint),
// answered for any instant so logs, diagnosis, metrics and events agree with each other.
//
// A tunnel's state at time T is the last incident at or before T (a `fail` with its cause, or a
// `recover`, which forces the tunnel up, as if the peer had been fixed); before any incident it is
// whatever the configuration implies (a difference with the peer fails it since long before t=0).
import { hashInt } from './ids.js';
import { bgpConfigProblem, CAUSES, deriveFailure, incidentMismatch, statusFor } from './negotiate.js';
import { tunnelOf } from './query.js';
import type {
  ConnectionTrafficAt,
  CustomerGateway,
  GatewayDiagnosis,
  RecordedLogLine,
  Region,
  RegionScope,
  TimelineAction,
  Tunnel,
  TunnelFailure,
  TunnelRuntime,
  TunnelSegment,
  TunnelTransition,
  VpnConnection,
  World,
  WorldState,
} from './types.js';

/** How long before t=0 a configuration mismatch is taken to have been failing. */
export const CONFIG_FAILURE_LEAD_MS = 3_600_000;

interface Override {
  at: number;
  failure: TunnelFailure | null;
}

interface Located extends RegionScope {
  connection: VpnConnection;
}

export class SimWorldState implements WorldState {
  readonly gatewayDiagnoses = new Map<string, GatewayDiagnosis>();
  readonly recordedLogs = new Map<string, RecordedLogLine[]>();
  private readonly overrides = new Map<string, Override[]>();
  private readonly configFailure = new Map<string, TunnelFailure | null>();
  private readonly bgpOk = new Map<string, boolean>();
  private readonly connections = new Map<string, Located>();
  private readonly log: TunnelTransition[] = [];
  /** Timeline cursor: occurrence `cycle` of event index `next`. */
  private cycle = 0;
  private next = 0;

  constructor(
    readonly world: World,
    readonly startedAt: number,
  ) {
    for (const account of world.accounts) {
      for (const region of account.regions) {
        for (const connection of region.connections) {
          this.connections.set(connection.id, { account, region, connection });
          this.precompute(region, connection);
        }
      }
    }
  }

  private precompute(region: Region, conn: VpnConnection): void {
    const gw = region.vpnGateways.find((g) => g.id === conn.vpnGatewayId);
    const cidrs = region.connections
      .filter((c) => c.vpnGatewayId === conn.vpnGatewayId && c.enableTunnelsBgp)
      .flatMap((c) => c.tunnels.map((t) => t.bgp.tunnelCidr));
    for (const tunnel of conn.tunnels) {
      const cgw = this.cgw(region, tunnel);
      let derived = deriveFailure(conn, tunnel, cgw);
      if (!derived && gw && (gw.businessStatus === 'FinancialLocked' || gw.status !== 'active')) {
        derived = { code: 'NegotiationFailed', phase: 1, mismatchLocal: '', mismatchRemote: '' };
      }
      this.configFailure.set(
        tunnel.id,
        derived ? { ...derived, since: this.startedAt - CONFIG_FAILURE_LEAD_MS, origin: 'config' } : null,
      );
      this.bgpOk.set(tunnel.id, bgpConfigProblem(tunnel, cgw, cidrs) === null);
    }
  }

  private cgw(region: Region, tunnel: Tunnel): CustomerGateway {
    const found = region.customerGateways.find((c) => c.id === tunnel.customerGatewayId);
    if (!found) throw new Error(`tunnel ${tunnel.id}: unknown customer gateway ${tunnel.customerGatewayId}`);
    return found;
  }

  scope(account: string, regionId: string): RegionScope | undefined {
    const acc = this.world.accounts.find((a) => a.name === account);
    const region = acc?.regions.find((r) => r.id === regionId);
    return acc && region ? { account: acc, region } : undefined;
  }

  locateConnection(connectionId: string): Located | undefined {
    return this.connections.get(connectionId);
  }

  private failureAt(
    tunnel: Tunnel,
    at: number,
  ): { failure: TunnelFailure | null; override: Override | undefined } {
    const list = this.overrides.get(tunnel.id) ?? [];
    let last: Override | undefined;
    for (const o of list) {
      if (o.at <= at) last = o;
      else break;
    }
    if (last) return { failure: last.failure, override: last };
    return { failure: this.configFailure.get(tunnel.id) ?? null, override: undefined };
  }

  private runtime(conn: VpnConnection, tunnel: Tunnel, failure: TunnelFailure | null): TunnelRuntime {
    const dormant = !failure && !conn.effectImmediately && !this.overrides.has(tunnel.id);
    const up = !failure && !dormant;
    return {
      status: dormant ? 'ike_sa_not_established' : statusFor(failure),
      up,
      bgpUp: up && conn.enableTunnelsBgp && (this.bgpOk.get(tunnel.id) ?? false),
      failure,
    };
  }

  tunnelAt(connection: VpnConnection, tunnel: 1 | 2, at: number): TunnelRuntime {
    const t = tunnelOf(connection, tunnel);
    return this.runtime(connection, t, this.failureAt(t, at).failure);
  }

  history(connection: VpnConnection, tunnel: 1 | 2, from: number, to: number): TunnelSegment[] {
    const t = tunnelOf(connection, tunnel);
    const list = this.overrides.get(t.id) ?? [];
    const start = this.failureAt(t, from);
    const segments: TunnelSegment[] = [];
    let segFrom = from;
    let failure = start.failure;
    let recovered =
      start.override !== undefined && start.override.failure === null && start.override.at === from;
    for (const o of list) {
      if (o.at <= from || o.at >= to) continue;
      segments.push({ from: segFrom, to: o.at, runtime: this.runtime(connection, t, failure), recovered });
      recovered = o.failure === null && failure !== null;
      segFrom = o.at;
      failure = o.failure;
    }
    segments.push({ from: segFrom, to, runtime: this.runtime(connection, t, failure), recovered });
    return segments.filter((s) => s.to > s.from);
  }

  trafficAt(connection: VpnConnection, at: number): ConnectionTrafficAt {
    const t1 = this.tunnelAt(connection, 1, at);
    const t2 = this.tunnelAt(connection, 2, at);
    const active = t1.up ? connection.tunnels[0] : t2.up ? connection.tunnels[1] : null;
    if (!active) return { rxBps: 0, txBps: 0, activeTunnelId: null };
    // A slow, deterministic wave so graphs look alive but tests can predict the range (±15 %).
    const phase = hashInt(connection.id, 1000) / 1000;
    const factor = 1 + 0.15 * Math.sin(2 * Math.PI * (at / 600_000 + phase));
    return {
      rxBps: Math.round(connection.traffic.rxBps * factor),
      txBps: Math.round(connection.traffic.txBps * factor),
      activeTunnelId: active.id,
    };
  }

  transitions(from: number, to: number): TunnelTransition[] {
    return this.log.filter((t) => t.at > from && t.at <= to);
  }

  apply(action: TimelineAction, at: number): void {
    const located = this.connections.get(action.connectionId);
    if (!located) throw new Error(`unknown connection ${action.connectionId}`);
    const { connection, account, region } = located;
    const tunnel = tunnelOf(connection, action.tunnel);
    const before = this.tunnelAt(connection, action.tunnel, at);
    let failure: TunnelFailure | null = null;
    if (action.kind === 'configure') {
      // The new cloud-side settings are what the APIs answer from now on; the tunnel negotiates
      // again and fails (or recovers) on what the difference with the peer now is.
      Object.assign(tunnel.ike, action.ike ?? {});
      Object.assign(tunnel.ipsec, action.ipsec ?? {});
      const derived = deriveFailure(connection, tunnel, this.cgw(region, tunnel));
      failure = derived ? { ...derived, since: at, origin: 'config' } : null;
      this.configFailure.set(tunnel.id, failure);
    } else if (action.kind === 'fail') {
      const configured = this.configFailure.get(tunnel.id);
      const same = before.failure?.code === action.cause ? before.failure : null;
      const values =
        configured?.code === action.cause
          ? { local: configured.mismatchLocal, remote: configured.mismatchRemote }
          : incidentMismatch(action.cause, tunnel);
      failure = same ?? {
        code: action.cause,
        phase: CAUSES[action.cause].phase,
        since: at,
        mismatchLocal: values.local,
        mismatchRemote: values.remote,
        origin: 'incident',
      };
    }
    const list = this.overrides.get(tunnel.id) ?? [];
    list.push({ at, failure });
    list.sort((a, b) => a.at - b.at);
    this.overrides.set(tunnel.id, list);
    const after = this.tunnelAt(connection, action.tunnel, at);
    if (before.up !== after.up || before.failure?.code !== after.failure?.code) {
      this.log.push({
        at,
        account: account.name,
        region: region.id,
        connectionId: connection.id,
        tunnelId: tunnel.id,
        tunnel: action.tunnel,
        up: after.up,
        cause: after.failure?.code ?? null,
      });
      this.log.sort((a, b) => a.at - b.at);
    }
  }

  advance(now: number): void {
    const events = this.world.timeline;
    if (events.length === 0) return;
    const loopMs = this.world.loopSeconds ? this.world.loopSeconds * 1000 : null;
    for (;;) {
      if (this.next >= events.length) {
        if (!loopMs) return;
        this.cycle++;
        this.next = 0;
      }
      const event = events[this.next]!;
      const at = this.startedAt + (loopMs ?? 0) * this.cycle + event.at * 1000;
      if (at > now) return;
      this.apply(event.action, at);
      this.next++;
    }
  }

  /** The next timeline occurrence after the cursor (for the demo timer and `/_sim/timeline`). */
  nextEventAt(): number | null {
    const events = this.world.timeline;
    if (events.length === 0) return null;
    const loopMs = this.world.loopSeconds ? this.world.loopSeconds * 1000 : null;
    if (this.next >= events.length) {
      if (!loopMs) return null;
      return this.startedAt + loopMs * (this.cycle + 1) + events[0]!.at * 1000;
    }
    return this.startedAt + (loopMs ?? 0) * this.cycle + events[this.next]!.at * 1000;
  }
}
