// deploy/ram-policy.json must list exactly the Alibaba Cloud API actions the daemon calls: derived
// at run time from the simulator's call log over a full cycle of every tier, and statically from the
// SDK operations the collector source invokes (which also covers calls made only on a fallback path).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '../../src/sim/ops/index.js';
import type { SimRequest } from '../../src/sim/protocol.js';
import type { WorldState } from '../../src/sim/world/types.js';
import { type Harness, startHarness } from '../daemon/helpers.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SCENARIO = join(ROOT, 'test/deploy/fixtures/every-api-call.yaml');
const STATIC_CONNECTION = 'vco-bp1static0000000001';

interface Statement {
  Effect: string;
  Action: string[];
  Resource: string | string[];
  Condition?: unknown;
}
interface Policy {
  Version: string;
  Statement: Statement[];
}

const policy = JSON.parse(readFileSync(join(ROOT, 'deploy/ram-policy.json'), 'utf8')) as Policy;
const policyActions = policy.Statement.flatMap((s) => s.Action);
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
/** Granted for `peer-config` (the customer gateway IP of the generated swanctl.conf), never called by `serve`. */
const COMMAND_ONLY_ACTIONS = ['vpc:DescribeCustomerGateway'];

/** `vpc:DescribeVpnConnections` for every SDK `…WithOptions` call on `api.vpc|ecs|cms` under src/collect. */
function actionsInSource(): string[] {
  const dir = join(ROOT, 'src');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.startsWith('sim'))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
  const found: string[] = [];
  for (const text of files) {
    for (const m of text.matchAll(/\.(vpc|ecs|cms)\s*\.\s*([a-z][A-Za-z]+)WithOptions\s*\(/g)) {
      const method = m[2]!;
      found.push(`${m[1]}:${method[0]!.toUpperCase()}${method.slice(1)}`);
    }
  }
  return sorted(found);
}

describe('deploy/ram-policy.json', () => {
  it('is a read-only Allow policy without action wildcards', () => {
    expect(policy.Version).toBe('1');
    expect(policy.Statement.length).toBeGreaterThan(0);
    for (const s of policy.Statement) {
      expect(s.Effect).toBe('Allow');
      // Describe*/Diagnose* calls support no resource-level authorisation: Alibaba requires "*".
      expect(s.Resource).toBe('*');
      expect(s.Condition).toBeUndefined();
    }
    for (const action of policyActions) {
      expect(action).toMatch(/^(vpc|ecs|cms):(Describe|Diagnose)[A-Z][A-Za-z]+$/);
    }
    expect(new Set(policyActions).size).toBe(policyActions.length);
  });

  it('lists exactly the SDK operations the collector source invokes', () => {
    expect(sorted(policyActions)).toEqual(actionsInSource());
  });

  describe('against the simulator, one full cycle of every tier', () => {
    let h: Harness;
    const restore: (() => void)[] = [];

    beforeAll(async () => {
      // Alibaba may list an ACL without its entries; the collector then asks
      // DescribeNetworkAclAttributes. Make the simulator do that so the fallback runs too.
      const list = handlers.vpc.DescribeNetworkAcls;
      if (list) {
        handlers.vpc.DescribeNetworkAcls = (world: WorldState, req: SimRequest, now: number) => {
          const body = list(world, req, now) as { NetworkAcls?: { NetworkAcl?: Record<string, unknown>[] } };
          for (const acl of body.NetworkAcls?.NetworkAcl ?? []) {
            delete acl.IngressAclEntries;
            delete acl.EgressAclEntries;
          }
          return body;
        };
        restore.push(() => {
          handlers.vpc.DescribeNetworkAcls = list;
        });
      }
      h = await startHarness(SCENARIO);
      const doctor = h.parts.doctor;
      await doctor.collectOnce(); // status, topology, traffic
      // A tunnel goes down: the next status cycle captures evidence (diagnosis and logs).
      expect((await h.sim.control.fail(STATIC_CONNECTION, 1, 'PskMismatch')).status).toBe(200);
      h.sim.advance(5);
      await doctor.runStatus();
    });

    afterAll(async () => {
      for (const r of restore) r();
      await h?.close();
    });

    it('every call the daemon made was answered (each dependent call path ran)', () => {
      const failed = h.sim.sim.server
        .calls()
        .filter((c) => c.code !== '200')
        .map((c) => `${c.product}:${c.action} → ${c.code}`);
      expect(sorted(failed), 'the simulator must implement every operation the daemon calls').toEqual([]);
    });

    it('called exactly the actions of the policy (but for those only a one-shot command uses)', () => {
      const called = sorted(h.sim.sim.server.calls().map((c) => `${c.product}:${c.action}`));
      expect(sorted(policyActions.filter((a) => !COMMAND_ONLY_ACTIONS.includes(a)))).toEqual(called);
    });

    it('captured evidence for the down tunnel and collected traffic (the tiers really ran)', () => {
      const actions = new Set(h.sim.sim.server.calls().map((c) => c.action));
      expect(actions.has('DiagnoseVpnConnections')).toBe(true);
      expect(actions.has('DescribeVpnConnectionLogs')).toBe(true);
      expect(actions.has('DescribeMetricLast')).toBe(true);
      // BGP route entries are asked only for BGP connections: the fixture has one.
      const routeCalls = h.sim.sim.server.calls().filter((c) => c.action === 'DescribeVpnRouteEntries');
      expect(routeCalls.length).toBeGreaterThanOrEqual(2);
    });
  });
});
