// checkShape's plain predicate for status pages (issue 13) accepts nothing zod rejects: for a real
// page from the simulator through the SDK, and for every field of it removed, emptied or retyped,
// checkShape throws exactly when zod's safeParse fails, with zod's message.
import * as $Vpc from '@alicloud/vpc20160428';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OpenApiConfig, VpcSdkClient } from '../../src/cloud/sdk.js';
import { checkShape, vpnConnectionsPage } from '../../src/cloud/shape.js';
import { smallFleet } from '../drills/helpers.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ scenario: smallFleet() });
});
afterAll(async () => {
  await sim.close();
});

type Obj = Record<string, unknown>;
/** Every (container, key) path of a value, depth first. */
function paths(v: unknown, out: Array<[Obj | unknown[], string | number]> = []) {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      out.push([v, i]);
      paths(v[i], out);
    }
  } else if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      out.push([v as Obj, k]);
      paths((v as Obj)[k], out);
    }
  }
  return out;
}

const verdict = (body: unknown) => {
  try {
    checkShape(vpnConnectionsPage, body, 'vpc', 'DescribeVpnConnections');
    return 'ok';
  } catch (err) {
    return (err as Error).message;
  }
};
const zodVerdict = (body: unknown) => {
  const r = vpnConnectionsPage.safeParse(body);
  return r.success ? 'ok' : 'error';
};

describe('the status page predicate', () => {
  it('agrees with zod on a real page and on every field removed, emptied or retyped', async () => {
    const key = sim.keys[0]!;
    const region = sim.world.accounts[0]!.regions[0]!.id;
    const client = new VpcSdkClient(
      new OpenApiConfig({
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
        endpoint: sim.url.replace(/^http:\/\//, ''),
        protocol: 'http',
        regionId: region,
      }),
    );
    const fresh = async () =>
      (
        await client.describeVpnConnections(
          new $Vpc.DescribeVpnConnectionsRequest({ regionId: region, pageNumber: 1, pageSize: 50 }),
        )
      ).body as unknown;
    // A good page is accepted without zod (which copies every object it validates).
    const parse = vi.spyOn(vpnConnectionsPage, 'safeParse');
    expect(verdict(await fresh())).toBe('ok');
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
    const count = paths(await fresh()).length;
    expect(count).toBeGreaterThan(50);
    const replacements: unknown[] = [undefined, null, '', 0, Number.NaN, [], {}, 'x'];
    let rejected = 0;
    for (let i = 0; i < count; i++) {
      for (const value of replacements) {
        const body = await fresh();
        const [container, key] = paths(body)[i]!;
        if (value === undefined && !Array.isArray(container)) delete (container as Obj)[key as string];
        else (container as Obj)[key as string] = value;
        const mine = verdict(body);
        expect(mine === 'ok' ? 'ok' : 'error', `${String(key)} = ${String(value)}`).toBe(zodVerdict(body));
        if (mine !== 'ok') rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  }, 120_000);
});
