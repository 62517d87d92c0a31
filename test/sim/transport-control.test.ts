// The unsigned /_sim/ control API: faults (get, replace, append, clear), the call log, and
// pass-through of every other path to the world.
import * as Vpc from '@alicloud/vpc20160428';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultRule, SimCallRecord } from '../../src/sim/protocol.js';
import { type SimServer, startSimServer } from '../../src/sim/server.js';
import { createStubBackend, type StubBackend, vpcClient } from '../support/sim-stub.js';

let backend: StubBackend;
let server: SimServer;
/** A frozen server clock, so call-log times are exact. */
let frozen: number;

beforeEach(async () => {
  backend = createStubBackend();
  frozen = Date.now();
  server = await startSimServer({ backend, now: () => frozen });
});
afterEach(async () => {
  await server.close();
});

interface ControlJson {
  faults: FaultRule[];
  scenario: FaultRule[];
  calls: SimCallRecord[];
  error: string;
}

async function control(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: ControlJson }> {
  const res = await fetch(`${server.url}/_sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as ControlJson };
}

describe('/_sim/faults', () => {
  it('gets, replaces, appends and clears run-time faults', async () => {
    backend.scenarioFaults = [{ kind: 'latency', ms: 1 }];
    expect(await control('GET', 'faults')).toEqual({
      status: 200,
      json: { faults: [], scenario: [{ kind: 'latency', ms: 1 }] },
    });
    const put = await control('PUT', 'faults', [{ kind: 'throttle', action: 'DescribeVpcs', count: 1 }]);
    expect(put.json.faults).toEqual([{ kind: 'throttle', action: 'DescribeVpcs', count: 1 }]);
    const post = await control('POST', 'faults', {
      faults: [{ kind: 'qps', qps: 5, region: 'eu-central-1' }],
    });
    expect(post.json.faults).toHaveLength(2);
    expect(server.faults()).toHaveLength(2);

    // The armed throttle fires once through the real SDK, then disarms.
    await expect(
      vpcClient(server.url).describeVpcs(new Vpc.DescribeVpcsRequest({ regionId: 'cn-hangzhou' })),
    ).rejects.toMatchObject({ name: 'ThrottlingError' });
    expect((await control('GET', 'faults')).json.faults).toEqual([
      { kind: 'qps', qps: 5, region: 'eu-central-1' },
    ]);

    expect((await control('PUT', 'faults', { kind: 'html502' })).json.faults).toEqual([{ kind: 'html502' }]);
    expect(await control('DELETE', 'faults')).toEqual({
      status: 200,
      json: { faults: [], scenario: [{ kind: 'latency', ms: 1 }] },
    });
    expect(server.faults()).toEqual([]);
  });

  it('rejects invalid rules naming the field, and leaves the rules unchanged', async () => {
    server.setFaults([{ kind: 'latency', ms: 5 }]);
    const bad = await control('PUT', 'faults', [{ kind: 'latency' }, { kind: 'slow' }, { kind: 'qps' }]);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain('faults[1].kind');
    expect(bad.json.error).toContain('faults[2].qps');
    const typo = await control('POST', 'faults', [{ kind: 'throttle', ratoi: 0.5 }]);
    expect(typo.status).toBe(400);
    expect(typo.json.error).toContain('ratoi');
    const notJson = await control('PUT', 'faults', '{oops');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toMatch(/not valid JSON/);
    expect(server.faults()).toEqual([{ kind: 'latency', ms: 5 }]);
    expect((await control('PATCH', 'faults', [])).status).toBe(405);
  });
});

describe('/_sim/calls', () => {
  it('lists every API call with product, action, region, account and outcome, and resets', async () => {
    const client = vpcClient(server.url);
    await client.describeVpcs(new Vpc.DescribeVpcsRequest({ regionId: 'cn-shanghai' }));
    await expect(
      vpcClient(server.url, { accessKeySecret: 'nope' }).describeVpcs(
        new Vpc.DescribeVpcsRequest({ regionId: 'cn-hangzhou' }),
      ),
    ).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    const listed = await control('GET', 'calls');
    expect(listed.json.calls).toEqual([
      {
        at: frozen,
        product: 'vpc',
        action: 'DescribeVpcs',
        region: 'cn-shanghai',
        account: 'acct-main',
        httpStatus: 200,
        code: '200',
      },
      {
        at: frozen,
        product: 'vpc',
        action: 'DescribeVpcs',
        region: 'cn-hangzhou',
        httpStatus: 400,
        code: 'SignatureDoesNotMatch',
      },
    ]);
    expect(server.calls()).toHaveLength(2);
    expect(await control('DELETE', 'calls')).toEqual({ status: 200, json: { calls: [] } });
    expect(server.calls()).toEqual([]);
    server.resetCalls();
  });
});

describe('world control paths', () => {
  it('passes other paths, methods and JSON bodies to the backend and relays its answer', async () => {
    const reply = await control('POST', 'incidents', { connection: 'vco-1', cause: 'PskMismatch' });
    expect(reply).toEqual({ status: 201, json: { accepted: { connection: 'vco-1', cause: 'PskMismatch' } } });
    const missing = await control('GET', 'nothing/here');
    expect(missing.status).toBe(404);
    expect(backend.controlCalls).toEqual([
      { method: 'POST', path: 'incidents', body: { connection: 'vco-1', cause: 'PskMismatch' } },
      { method: 'GET', path: 'nothing/here', body: undefined },
    ]);
  });
});
