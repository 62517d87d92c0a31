// Fleets for benchmarks: N dual-tunnel connections spread over R regions and A accounts, built
// through the same compact-scenario expansion as the YAML worlds (so every default applies),
// optionally with failing tunnels and per-call latency / QPS-limit faults.
import type { FaultRule } from './protocol.js';
import { expandScenario } from './world/expand.js';
import { hashInt } from './world/ids.js';
import type { ConnectionInput, RegionInput, ScenarioInput } from './world/schema.js';
import type { FailedReasonCode, World } from './world/types.js';

export const FLEET_REGIONS = [
  'cn-hangzhou',
  'cn-shanghai',
  'cn-beijing',
  'cn-shenzhen',
  'cn-qingdao',
  'cn-hongkong',
  'ap-northeast-1',
  'ap-southeast-1',
  'us-west-1',
  'eu-central-1',
];

export interface FleetOptions {
  /** Total connections (e.g. 2000). */
  connections: number;
  /** Regions per account, taken from FLEET_REGIONS (max 10; default 10). */
  regions?: number;
  /** Accounts (default 2). */
  accounts?: number;
  /** Connections per VPN gateway (default 20). */
  perGateway?: number;
  /** Fraction 0–1 of connections whose tunnel 1 fails at t = 0 (deterministic pick; default 0). */
  failing?: number;
  /** Added to every call (ms). */
  latencyMs?: number;
  /** Per action × region × account QPS limit; beyond it Throttling.User. */
  qps?: number;
  name?: string;
}

const CAUSES: FailedReasonCode[] = [
  'PskMismatch',
  'NoResponse',
  'DhGroupMismatch',
  'TrafficSelectorMismatch',
  'DpdTimeout',
];

/** AccessKey pair of fleet account `a` (fake; only the simulator accepts them). */
export function fleetKey(a: number): { id: string; secret: string } {
  const n = String(a + 1).padStart(4, '0');
  return { id: `LTAI5tSimFleet${n}00000`, secret: `SimFleetSecretDoNotUse${n}000000` };
}

export function generateFleet(opts: FleetOptions): World {
  const accounts = opts.accounts ?? 2;
  const regionCount = Math.min(opts.regions ?? 10, FLEET_REGIONS.length);
  const perGateway = opts.perGateway ?? 20;
  if (!(opts.connections > 0 && accounts > 0 && regionCount > 0))
    throw new Error('a fleet needs connections, accounts and regions');
  if (opts.connections > 4096 * accounts)
    throw new Error('at most 4096 connections per account (on-prem CIDRs must stay unique)');
  const buckets = accounts * regionCount;
  const timeline: NonNullable<ScenarioInput['timeline']> = [];
  const accountInputs: ScenarioInput['accounts'] = [];
  let global = 0;
  for (let a = 0; a < accounts; a++) {
    const regions: Record<string, RegionInput> = {};
    let onPrem = 0; // unique /24s per account across its regions
    for (let r = 0; r < regionCount; r++) {
      const bucket = a * regionCount + r;
      const count = Math.floor(opts.connections / buckets) + (bucket < opts.connections % buckets ? 1 : 0);
      if (count === 0) continue;
      const region = FLEET_REGIONS[r]!;
      const tag = `${a}${r}`;
      const gateways = Math.ceil(count / perGateway);
      const connections: ConnectionInput[] = [];
      const cgws = Math.ceil(count / 5);
      for (let i = 0; i < count; i++) {
        const n = onPrem++;
        const id = `vco-fleet${tag}c${String(i).padStart(5, '0')}`;
        connections.push({
          id,
          name: `fleet-${a}-${region}-${i}`,
          gateway: `vpn-fleet${tag}g${Math.floor(i / perGateway)}`,
          customerGateway: `cgw-fleet${tag}d${Math.floor(i / 5)}`,
          remoteSubnet: `172.${16 + Math.floor(n / 256)}.${n % 256}.0/24`,
          tags: { env: i % 3 === 0 ? 'dev' : 'prod' },
        });
        if (opts.failing && hashInt(`fail|${id}`, 10_000) < opts.failing * 10_000) {
          timeline.push({
            at: 0,
            fail: { connection: id, tunnel: 1, cause: CAUSES[global % CAUSES.length]! },
          });
        }
        global++;
      }
      regions[region] = {
        gateways: Array.from({ length: gateways }, (_, g) => ({
          id: `vpn-fleet${tag}g${g}`,
          name: `fleet-gw-${g}`,
        })),
        customerGateways: Array.from({ length: cgws }, (_, d) => ({
          id: `cgw-fleet${tag}d${d}`,
          name: `dc-${d}`,
          ip: `198.${18 + a}.${Math.floor(d / 250)}.${1 + (d % 250)}`,
          asn: 64512 + d,
        })),
        connections,
      };
    }
    accountInputs.push({ name: `fleet-${a + 1}`, accessKeys: [fleetKey(a)], regions });
  }
  const faults: FaultRule[] = [];
  if (opts.latencyMs) faults.push({ kind: 'latency', ms: opts.latencyMs });
  if (opts.qps) faults.push({ kind: 'qps', qps: opts.qps });
  return expandScenario({
    name: opts.name ?? `fleet-${opts.connections}`,
    description: `${opts.connections} connections over ${regionCount} regions and ${accounts} accounts`,
    accounts: accountInputs,
    timeline,
    faults,
  });
}
