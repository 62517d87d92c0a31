// The world behind the transport: credentials from the scenario's AccessKeys, dispatch of every
// call to its handler (after applying the timeline up to the call's time), the scenario's faults,
// and the world's control endpoints (/_sim/incidents, recover, clock, world, timeline).
import { z } from 'zod';
import { handlers } from './ops/index.js';
import type { FaultRule, SimBackend, SimRequest } from './protocol.js';
import { gatewayErrors } from './transport/errors.js';
import { SimWorldState } from './world/state.js';
import { FAILED_REASON_CODES, type World } from './world/types.js';

/** A clock the test (or `/_sim/clock`) moves by hand. */
export class ManualClock {
  constructor(private ms: number) {}
  now = (): number => this.ms;
  advance(seconds: number): number {
    this.ms += seconds * 1000;
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}

export interface WorldBackendOptions {
  now: () => number;
  /** The world's t = 0; default `now()` at construction. */
  startedAt?: number;
  /** When given, POST /_sim/clock may advance it. */
  manualClock?: ManualClock;
}

type ControlReply = { status: number; body: unknown };

const tunnelRef = {
  connectionId: z.string().min(1),
  tunnel: z.union([z.literal(1), z.literal(2)]),
};
const incidentBody = z.strictObject({ ...tunnelRef, cause: z.enum(FAILED_REASON_CODES) });
const recoverBody = z.strictObject(tunnelRef);
const clockBody = z.strictObject({ advanceSeconds: z.number().positive() });
const keyBody = z.strictObject({ accessKeyId: z.string().min(1) });

function badRequest(error: z.ZodError | string): ControlReply {
  const message =
    typeof error === 'string'
      ? error
      : error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  return { status: 400, body: { error: message } };
}

export class WorldBackend implements SimBackend {
  readonly state: SimWorldState;
  private readonly keys = new Map<string, { secret: string; account: string; securityToken?: string }>();
  /** AccessKeys revoked at run time (POST /_sim/keys/revoke): answered as deleted keys. */
  private readonly revoked = new Set<string>();

  constructor(
    readonly world: World,
    private readonly opts: WorldBackendOptions,
  ) {
    this.state = new SimWorldState(world, opts.startedAt ?? opts.now());
    for (const account of world.accounts) {
      for (const key of account.accessKeys) {
        this.keys.set(key.id, {
          secret: key.secret,
          account: account.name,
          ...(key.securityToken ? { securityToken: key.securityToken } : {}),
        });
      }
    }
  }

  now(): number {
    return this.opts.now();
  }

  credential(accessKeyId: string) {
    return this.revoked.has(accessKeyId) ? undefined : this.keys.get(accessKeyId);
  }

  handle(req: SimRequest): Record<string, unknown> {
    const handler = handlers[req.product]?.[req.action];
    if (!handler) throw gatewayErrors.invalidAction();
    const now = this.now();
    this.state.advance(now);
    return handler(this.state, req, now);
  }

  faults(): FaultRule[] {
    return this.world.faults;
  }

  control(method: string, path: string, body: unknown): ControlReply {
    const now = this.now();
    this.state.advance(now);
    const route = `${method} ${path.replace(/\/+$/, '')}`;
    switch (route) {
      case 'POST incidents':
        return this.incident(body, now);
      case 'GET incidents':
        return { status: 200, body: { transitions: this.state.transitions(0, now) } };
      case 'POST recover':
        return this.recover(body, now);
      case 'GET clock':
        return { status: 200, body: this.clockBody(now) };
      case 'POST clock':
        return this.advanceClock(body);
      case 'GET world':
        return { status: 200, body: this.summary(now) };
      case 'GET timeline':
        return { status: 200, body: this.timeline(now) };
      case 'POST keys/revoke':
      case 'POST keys/restore':
        return this.revokeKey(body, route === 'POST keys/revoke');
      default:
        return {
          status: 404,
          body: {
            error: `no control endpoint ${method} /_sim/${path} (world: POST incidents, POST recover, GET|POST clock, GET world, GET timeline, POST keys/revoke|restore)`,
          },
        };
    }
  }

  private incident(body: unknown, now: number): ControlReply {
    const parsed = incidentBody.safeParse(body);
    if (!parsed.success) return badRequest(parsed.error);
    const { connectionId, tunnel, cause } = parsed.data;
    if (!this.state.locateConnection(connectionId))
      return { status: 404, body: { error: `unknown connection ${connectionId}` } };
    this.state.apply({ kind: 'fail', connectionId, tunnel, cause }, now);
    return { status: 200, body: this.tunnelSummary(connectionId, tunnel, now) };
  }

  private recover(body: unknown, now: number): ControlReply {
    const parsed = recoverBody.safeParse(body);
    if (!parsed.success) return badRequest(parsed.error);
    const { connectionId, tunnel } = parsed.data;
    if (!this.state.locateConnection(connectionId))
      return { status: 404, body: { error: `unknown connection ${connectionId}` } };
    this.state.apply({ kind: 'recover', connectionId, tunnel }, now);
    return { status: 200, body: this.tunnelSummary(connectionId, tunnel, now) };
  }

  /** Revoke (or restore) an AccessKey mid-run: its calls then fail as InvalidAccessKeyId.NotFound. */
  private revokeKey(body: unknown, revoke: boolean): ControlReply {
    const parsed = keyBody.safeParse(body);
    if (!parsed.success) return badRequest(parsed.error);
    const { accessKeyId } = parsed.data;
    if (!this.keys.has(accessKeyId))
      return { status: 404, body: { error: `unknown AccessKey ${accessKeyId}` } };
    if (revoke) this.revoked.add(accessKeyId);
    else this.revoked.delete(accessKeyId);
    return { status: 200, body: { accessKeyId, revoked: revoke } };
  }

  private advanceClock(body: unknown): ControlReply {
    if (!this.opts.manualClock)
      return badRequest('the clock is real time; start the simulator with a manual clock');
    const parsed = clockBody.safeParse(body);
    if (!parsed.success) return badRequest(parsed.error);
    const now = this.opts.manualClock.advance(parsed.data.advanceSeconds);
    this.state.advance(now);
    return { status: 200, body: this.clockBody(now) };
  }

  private clockBody(now: number) {
    return {
      now,
      iso: new Date(now).toISOString(),
      startedAt: this.state.startedAt,
      elapsedSeconds: (now - this.state.startedAt) / 1000,
      manual: this.opts.manualClock !== undefined,
    };
  }

  private tunnelSummary(connectionId: string, tunnel: 1 | 2, now: number) {
    const { connection } = this.state.locateConnection(connectionId)!;
    const rt = this.state.tunnelAt(connection, tunnel, now);
    return {
      connectionId,
      tunnel,
      tunnelId: connection.tunnels[tunnel - 1]?.id,
      status: rt.status,
      cause: rt.failure?.code ?? null,
      activeTunnelId: this.state.trafficAt(connection, now).activeTunnelId,
    };
  }

  /** Accounts, AccessKeyIds (never secrets), and every connection's live state. */
  private summary(now: number) {
    return {
      name: this.world.name,
      description: this.world.description,
      clock: this.clockBody(now),
      accounts: this.world.accounts.map((a) => ({
        name: a.name,
        uid: a.uid,
        accessKeyIds: a.accessKeys.map((k) => k.id),
        regions: a.regions.map((r) => ({
          id: r.id,
          vpnGateways: r.vpnGateways.map((g) => g.id),
          connections: r.connections.map((c) => {
            const traffic = this.state.trafficAt(c, now);
            return {
              id: c.id,
              name: c.name,
              vpnGatewayId: c.vpnGatewayId,
              activeTunnelId: traffic.activeTunnelId,
              rxBps: traffic.rxBps,
              txBps: traffic.txBps,
              tunnels: ([1, 2] as const).map((i) => {
                const rt = this.state.tunnelAt(c, i, now);
                return {
                  id: c.tunnels[i - 1]?.id,
                  role: c.tunnels[i - 1]?.role,
                  status: rt.status,
                  bgpUp: rt.bgpUp,
                  cause: rt.failure?.code ?? null,
                };
              }),
            };
          }),
        })),
      })),
      expect: this.world.expect,
    };
  }

  private timeline(now: number) {
    return {
      startedAt: this.state.startedAt,
      now,
      loopSeconds: this.world.loopSeconds,
      events: this.world.timeline.map((e) => ({
        atSeconds: e.at,
        at: this.state.startedAt + e.at * 1000,
        ...e.action,
      })),
      nextEventAt: this.state.nextEventAt(),
      transitions: this.state.transitions(0, now),
    };
  }
}
