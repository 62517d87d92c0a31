// Issue 11 item 6, beyond the status tier: an HTTP 200 whose body is not the documented shape must
// never read as "no routes", "no ACL rules", "no instances", "no diagnosis" or "no traffic". Through
// the hostile proxy, one region's answers to each action the topology, evidence and traffic tiers
// read become `{}`, the list replaced by a string, or a key field of the wrong type. That tier is
// unknown for that region (alivpn_collect_success 0, the error names the action, the wire field and
// the region), no finding is invented from it, and the other regions keep reading.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPeerConfigSource } from '../../src/collect/peer-config-source.js';
import type { SimProduct } from '../../src/sim/protocol.js';
import { apiCalls, type Drill, fleetConnection, samples, smallFleet, startDrill } from './helpers.js';
import type { Rewrite } from './hostile-proxy.js';

// biome-ignore lint/suspicious/noExplicitAny: the wire bodies are edited as free-form JSON.
type Json = any;

const FAST = {
  readTimeoutMs: 1000,
  connectTimeoutMs: 1000,
  retries: { max: 1, baseDelayMs: 1, maxDelayMs: 5 },
  // Dozens of topology passes back to back: the default budget would make each wait seconds for tokens.
  budget: { vpc: { rps: 1000, burst: 1000 }, ecs: { rps: 1000, burst: 1000 } },
};
/** The proxy tells regions apart (RegionId), not accounts: both accounts' cn-hangzhou are the victims. */
const REGION = 'cn-hangzhou';
const REGIONS = ['fleet-1/cn-hangzhou', 'fleet-1/cn-shanghai', 'fleet-2/cn-hangzhou', 'fleet-2/cn-shanghai'];
const VICTIMS = ['fleet-1/cn-hangzhou', 'fleet-2/cn-hangzhou'];
const victim = (key: string) => VICTIMS.includes(key);

interface Family {
  product: SimProduct;
  action: string;
  /** Wire path of the list: `[Outer, Inner]` (`Outer.Inner[]`) or `[List]` (a plain array). */
  list: string[];
  /** The key field of a row (or of the body, `top`) the collector relies on. */
  key: string;
  top?: boolean;
  /** The list is a JSON string (CloudMonitor's Datapoints). */
  jsonString?: boolean;
}

type Corruption = [name: string, rewrite: (f: Family) => Rewrite, field: (f: Family) => RegExp];

const listOf = (f: Family, b: Json): Json[] => {
  let at = b;
  for (const k of f.list.slice(0, -1)) at = at[k];
  const last = f.list.at(-1)!;
  at[last] ??= [];
  return at[last];
};

const CORRUPTIONS: Corruption[] = [
  ['an empty object', () => ({ kind: 'json', value: {} }), () => /shape: [A-Z]\w*/],
  [
    'the list replaced by another type',
    // A string where the list is; an object where CloudMonitor's list is a JSON string.
    (f) => ({ kind: 'edit', edit: (b) => ({ ...b, [f.list[0]!]: f.jsonString ? { none: 1 } : 'none' }) }),
    (f) => new RegExp(`shape: ${f.list[0]}\\b`),
  ],
  [
    'a key field of the wrong type',
    (f) => ({
      kind: 'edit',
      edit: (b) => {
        if (f.top) b[f.key] = { not: 'an id' };
        else {
          const rows = listOf(f, b);
          if (rows.length === 0) rows.push({});
          for (const r of rows) r[f.key] = { not: 'an id' };
        }
      },
    }),
    (f) => new RegExp(`shape: ([\\w.]*\\[0\\]\\.)?${f.key}\\b|${f.key}: expected`),
  ],
];

const TOPOLOGY: Family[] = [
  { product: 'vpc', action: 'DescribeVpnGateways', list: ['VpnGateways', 'VpnGateway'], key: 'VpnGatewayId' },
  {
    product: 'vpc',
    action: 'DescribeCustomerGateways',
    list: ['CustomerGateways', 'CustomerGateway'],
    key: 'CustomerGatewayId',
  },
  {
    product: 'vpc',
    action: 'DescribeVpnRouteEntries',
    list: ['VpnRouteEntries', 'VpnRouteEntry'],
    key: 'RouteDest',
  },
  {
    product: 'vpc',
    action: 'DescribeVpnPbrRouteEntries',
    list: ['VpnPbrRouteEntries', 'VpnPbrRouteEntry'],
    key: 'RouteDest',
  },
  { product: 'vpc', action: 'DescribeVpcs', list: ['Vpcs', 'Vpc'], key: 'VpcId' },
  { product: 'vpc', action: 'DescribeVSwitches', list: ['VSwitches', 'VSwitch'], key: 'VSwitchId' },
  {
    product: 'vpc',
    action: 'DescribeRouteTableList',
    list: ['RouterTableList', 'RouterTableListType'],
    key: 'RouteTableId',
  },
  {
    product: 'vpc',
    action: 'DescribeRouteEntryList',
    list: ['RouteEntrys', 'RouteEntry'],
    key: 'DestinationCidrBlock',
  },
  { product: 'vpc', action: 'DescribeNetworkAcls', list: ['NetworkAcls', 'NetworkAcl'], key: 'NetworkAclId' },
  { product: 'ecs', action: 'DescribeInstances', list: ['Instances', 'Instance'], key: 'InstanceId' },
  {
    product: 'ecs',
    action: 'DescribeSecurityGroupAttribute',
    list: ['Permissions', 'Permission'],
    key: 'SecurityGroupId',
    top: true,
  },
];

const cases = <T extends { action: string }>(families: T[]) =>
  families.flatMap((f) =>
    CORRUPTIONS.map(([name, rewrite, field]) => [f.action, name, f, rewrite, field] as const),
  );

const success = (text: string, tier: string) =>
  Object.fromEntries(
    samples(text, 'alivpn_collect_success')
      .filter((s) => s.labels.tier === tier)
      .map((s) => [`${s.labels.account}/${s.labels.region}`, s.value]),
  );

const ruleSet = (d: Drill) =>
  d.parts.doctor
    .diagnosis()
    .findings.map((f) => `${f.connectionId} ${f.rule}`)
    .sort();

let drill: Drill;
const log: string[] = [];

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _enc, done) {
      log.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  drill = await startDrill(smallFleet(), { api: FAST }, { proxied: true, logDestination: destination });
  await drill.parts.doctor.runStatus();
  await drill.parts.doctor.runTopology();
  await drill.parts.doctor.runTraffic();
}, 60_000);
afterAll(async () => {
  await drill?.close();
});

describe('bad shapes: a topology answer that is not the documented shape is unknown topology', () => {
  it('reads completely through the proxy when nothing is rewritten', async () => {
    expect(drill.parts.doctor.errors()).toEqual([]);
    const text = await drill.scrape();
    for (const tier of ['status', 'topology', 'traffic']) {
      const s = success(text, tier);
      expect(Object.keys(s).sort(), tier).toEqual(REGIONS);
      for (const r of REGIONS) expect(s[r], `${tier} ${r}`).toBe(1);
    }
  });

  it.each(cases(TOPOLOGY))(
    '%s: %s',
    async (action, _name, family, rewrite, field) => {
      const { doctor } = drill.parts;
      const before = ruleSet(drill);
      drill.proxy!.set([{ product: family.product, action, region: REGION, rewrite: rewrite(family) }]);
      drill.proxy!.resetCalls();
      drill.sim.advance(60);
      await doctor.runTopology();
      // The rewrite was really served (the action is called in this fleet).
      expect(drill.proxy!.calls().some((c) => c.action === action && c.rewritten)).toBe(true);

      // Only the victim region is unknown, and the error says which call, which field, which region.
      const errors = doctor.errors();
      expect(errors.map((e) => `${e.account}/${e.region}`).sort()).toEqual(VICTIMS);
      for (const e of errors) {
        expect(e.message).toMatch(new RegExp(`${action}: BadResponse`));
        expect(e.message).toMatch(field(family));
      }
      const s = success(await drill.scrape(), 'topology');
      for (const r of REGIONS) expect(s[r], r).toBe(victim(r) ? 0 : 1);
      // Nothing is concluded from the missing answer (no missing-route, no ACL or security-group finding).
      expect(ruleSet(drill)).toEqual(before);

      // The proxy steps aside: the region reads completely again.
      drill.proxy!.set([]);
      drill.sim.advance(60);
      await doctor.runTopology();
      expect(doctor.errors()).toEqual([]);
      for (const r of VICTIMS) expect(success(await drill.scrape(), 'topology')[r], r).toBe(1);
    },
    30_000,
  );
});

const TRAFFIC: Family = {
  product: 'cms',
  action: 'DescribeMetricLast',
  list: ['Datapoints'],
  key: 'Success',
  top: true,
};

describe('bad shapes: a CloudMonitor answer that is not the documented shape is unknown traffic', () => {
  it.each(cases([TRAFFIC]))(
    '%s: %s',
    async (action, _name, family, rewrite, field) => {
      const { doctor } = drill.parts;
      const before = ruleSet(drill);
      const bad = apiCalls(drill, { action, code: 'BadResponse' });
      // CloudMonitor names no RegionId: the victims' connection ids (vco-fleet<account><region>…) tell.
      const when = (p: URLSearchParams) => /vco-fleet\d0c/.test(p.get('Dimensions') ?? '');
      drill.proxy!.set([{ product: family.product, action, when, rewrite: rewrite(family) }]);
      log.length = 0;
      drill.sim.advance(60);
      await doctor.runTraffic();
      expect(apiCalls(drill, { action, code: 'BadResponse' })).toBeGreaterThan(bad);
      const s = success(await drill.scrape(), 'traffic');
      for (const r of REGIONS) expect(s[r], r).toBe(victim(r) ? 0 : 1);
      // The tier's warnings name the region, the call and the field.
      const warnings = log
        .map((l) => JSON.parse(l))
        .filter((l) => l.tier === 'traffic' && /collection incomplete/.test(l.msg));
      expect(warnings.map((w) => `${w.account}/${w.region}`).sort()).toEqual(VICTIMS);
      for (const w of warnings) {
        expect(w.msg).toMatch(new RegExp(`${action}: BadResponse`));
        expect(w.msg).toMatch(field(family));
      }
      expect(ruleSet(drill)).toEqual(before);

      drill.proxy!.set([]);
      drill.sim.advance(60);
      await doctor.runTraffic();
      for (const r of VICTIMS) expect(success(await drill.scrape(), 'traffic')[r], r).toBe(1);
    },
    30_000,
  );
});

const EVIDENCE: Family[] = [
  { product: 'vpc', action: 'DiagnoseVpnConnections', list: ['VpnConnections'], key: 'VpnConnectionId' },
  { product: 'vpc', action: 'DescribeVpnConnectionLogs', list: ['Data', 'Logs'], key: 'Count', top: true },
];

describe('bad shapes: an evidence answer that is not the documented shape is missing evidence', () => {
  // Each case fails a tunnel that has not failed before (no flapping, no carried evidence).
  const victims = [0, 1].flatMap((a) =>
    [0, 1].map((i) => ({ account: `fleet-${a + 1}`, id: fleetConnection(a, 0, i) })),
  );
  let n = 0;
  it.each(cases(EVIDENCE))(
    '%s: %s',
    async (action, _name, family, rewrite, field) => {
      const { doctor } = drill.parts;
      const { account, id: VICTIM } = victims[n % victims.length]!;
      const tunnel = n < victims.length ? 1 : 2;
      n++;
      drill.proxy!.set([{ product: family.product, action, region: REGION, rewrite: rewrite(family) }]);
      drill.proxy!.resetCalls();
      // A fresh outage: its evidence is read while the proxy corrupts the call.
      expect((await drill.sim.control.fail(VICTIM, tunnel, 'PskMismatch')).status).toBe(200);
      drill.sim.advance(30);
      await doctor.runStatus();
      drill.sim.advance(30);
      await doctor.runStatus();
      expect(drill.proxy!.calls().some((c) => c.action === action && c.rewritten)).toBe(true);
      // The status tier is untouched; the tunnel's evidence error names the call and the field.
      expect(doctor.errors()).toEqual([]);
      const region = doctor.snapshot()!.regions.find((r) => r.account === account && r.region === REGION)!;
      const conn = region.connections.data.find((c) => c.id === VICTIM)!;
      const evidence = region.evidence[conn.tunnels[tunnel - 1]!.id]!;
      expect(evidence.errors.join('; ')).toMatch(new RegExp(`${action}: BadResponse`));
      expect(evidence.errors.join('; ')).toMatch(field(family));
      // The bad answer is not evidence: no diagnosis (or no log) read from it, no code quoted from it.
      if (action === 'DiagnoseVpnConnections') expect(evidence.diagnosis).toBeNull();
      else expect(evidence.logs).toBeNull();
      const mine = doctor.diagnosis().findings.filter((f) => f.connectionId === VICTIM);
      expect(mine.length).toBeGreaterThan(0);
      if (action === 'DiagnoseVpnConnections') for (const f of mine) expect(f.codes).toEqual([]);
      // Only what the other evidence (or none) supports: the named cause, or the unknown-cause finding.
      for (const f of mine)
        expect(
          ['psk-mismatch', 'negotiation-failed', 'failover-active', 'standby-tunnel-down'],
          f.rule,
        ).toContain(f.rule);

      drill.proxy!.set([]);
      expect((await drill.sim.control.recover(VICTIM, tunnel)).status).toBe(200);
      drill.sim.advance(60);
      await doctor.runStatus();
    },
    30_000,
  );
});

describe('bad shapes: the peer configuration never reads a bad page as "not found"', () => {
  it('DescribeVpnConnections answering {} is named as a failed read, not a missing connection', async () => {
    const id = fleetConnection(0, 0, 1);
    drill.proxy!.set([
      {
        product: 'vpc',
        action: 'DescribeVpnConnections',
        region: REGION,
        rewrite: { kind: 'json', value: {} },
      },
    ]);
    try {
      const failed = fetchPeerConfigSource(drill.parts.doctor.apis, id, { includePsk: false });
      await expect(failed).rejects.toThrow(
        /could not be asked: fleet-1\/cn-hangzhou: DescribeVpnConnections: BadResponse: .*shape: (TotalCount|VpnConnections)\b/,
      );
    } finally {
      drill.proxy!.set([]);
    }
    const read = await fetchPeerConfigSource(drill.parts.doctor.apis, id, { includePsk: false });
    expect(read.connection.id).toBe(id);
  }, 30_000);
});
