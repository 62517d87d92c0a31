import { afterEach, describe, expect, it } from 'vitest';
import { collectEvidence } from '../../src/collect/evidence.js';
import { collectStatus } from '../../src/collect/status.js';
import { collectTraffic } from '../../src/collect/traffic.js';
import type { Connection } from '../../src/model/snapshot.js';
import { type FakeRegion, fail, fakeRegion, ok, page } from './fake-region.js';

let region: FakeRegion | undefined;
afterEach(async () => {
  await region?.close();
  region = undefined;
});

const wireConnection = (i: number, gateway = 'vpn-1', masterStatus = 'ipsec_sa_established') => ({
  VpnConnectionId: `vco-${String(i).padStart(4, '0')}`,
  Name: `conn-${i}`,
  VpnGatewayId: gateway,
  State: 'active',
  Status: 'ipsec_sa_established',
  LocalSubnet: '10.0.0.0/16',
  RemoteSubnet: '192.168.0.0/16',
  EffectImmediately: true,
  TunnelOptionsSpecification: {
    TunnelOptions: [
      {
        TunnelId: `tun-${i}-1`,
        Role: 'master',
        State: 'active',
        Status: masterStatus,
        CustomerGatewayId: 'cgw-1',
        EnableDpd: 'true',
        TunnelIkeConfig: { Psk: `secret-${i}` },
      },
      {
        TunnelId: `tun-${i}-2`,
        Role: 'slave',
        State: 'active',
        Status: 'ipsec_sa_established',
        CustomerGatewayId: 'cgw-1',
        EnableDpd: 'true',
        TunnelIkeConfig: { Psk: `secret-${i}` },
      },
    ],
  },
});

const listing = (all: ReturnType<typeof wireConnection>[]) => (call: Parameters<typeof page>[0]) => {
  const gw = call.query.VpnGatewayId;
  const p = page(call, gw ? all.filter((c) => c.VpnGatewayId === gw) : all);
  return ok({
    TotalCount: p.total,
    PageNumber: p.pageNumber,
    PageSize: p.pageSize,
    VpnConnections: { VpnConnection: p.items },
  });
};

describe('collectStatus', () => {
  it('reads 120 connections in three pages of 50 with only DescribeVpnConnections calls', async () => {
    const all = Array.from({ length: 120 }, (_, i) => wireConnection(i));
    region = await fakeRegion({ DescribeVpnConnections: listing(all) });
    const result = await collectStatus(region.api, { tags: { env: 'prod' } });
    expect(result.complete).toBe(true);
    expect(result.data).toHaveLength(120);
    expect(result.data.every((c) => c.tunnels.length === 2 && c.tunnels[0]?.role === 'master')).toBe(true);
    expect(region.actions()).toEqual([
      'DescribeVpnConnections',
      'DescribeVpnConnections',
      'DescribeVpnConnections',
    ]);
    expect(
      region.fake.calls.map((c) => [
        c.query.PageNumber,
        c.query.PageSize,
        c.query.RegionId,
        c.query['Tag.1.Key'],
        c.query['Tag.1.Value'],
      ]),
    ).toEqual([
      ['1', '50', 'cn-hangzhou', 'env', 'prod'],
      ['2', '50', 'cn-hangzhou', 'env', 'prod'],
      ['3', '50', 'cn-hangzhou', 'env', 'prod'],
    ]);
    expect(region.counter.total()).toBe(3);
    expect(JSON.stringify(result)).not.toContain('secret-');
  });

  it('lists each filtered gateway on its own', async () => {
    const all = [wireConnection(1, 'vpn-a'), wireConnection(2, 'vpn-b'), wireConnection(3, 'vpn-c')];
    region = await fakeRegion({ DescribeVpnConnections: listing(all) });
    const result = await collectStatus(region.api, { vpnGatewayIds: ['vpn-a', 'vpn-b', 'vpn-a'] });
    expect(result.complete).toBe(true);
    expect(result.data.map((c) => c.vpnGatewayId)).toEqual(['vpn-a', 'vpn-b']);
    expect(region.fake.calls.map((c) => c.query.VpnGatewayId).sort()).toEqual(['vpn-a', 'vpn-b']);
  });

  it('marks the result incomplete when a page fails, never presenting a partial list as complete', async () => {
    const all = Array.from({ length: 80 }, (_, i) => wireConnection(i));
    const list = listing(all);
    region = await fakeRegion({
      DescribeVpnConnections: (call) =>
        call.query.PageNumber === '2' ? fail(403, 'Forbidden.RAM', 'User not authorized') : list(call),
    });
    const result = await collectStatus(region.api);
    expect(result.complete).toBe(false);
    expect(result.error).toMatch(/DescribeVpnConnections: Forbidden\.RAM/);
    expect(result.data).toHaveLength(0);
  });
});

const target = (conn: Partial<Connection> & { id: string }, tunnelId: string) => {
  const connection = { dualTunnel: true, ...conn } as Connection;
  return { connection, tunnel: { id: tunnelId } as Connection['tunnels'][number] };
};

describe('collectEvidence', () => {
  const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('batches tunnels in one DiagnoseVpnConnections call and pages the last 10 minutes of logs', async () => {
    const lines = Array.from(
      { length: 53 },
      (_, i) => `2026-01-01 20:0${i % 10}:00 vco-1 [PROTO_ERR]: line ${i}`,
    );
    region = await fakeRegion({
      DiagnoseVpnConnections: () =>
        ok({
          TotalCount: 2,
          VpnConnections: [
            {
              VpnConnectionId: 'vco-1',
              TunnelId: 'tun-1',
              FailedReasonCode: 'PskMismatch',
              FailedReason: 'PSK mismatch',
              FailedTime: NOW - 30_000,
              Severity: 'Critical',
            },
            {
              VpnConnectionId: 'vco-2',
              TunnelId: 'tun-3',
              FailedReasonCode: 'NoResponse',
              Severity: 'Critical',
            },
          ],
        }),
      DescribeVpnConnectionLogs: (call) => {
        if (call.query.VpnConnectionId === 'vco-2')
          return ok({ Count: 0, IsCompleted: true, Data: { Logs: [] } });
        const p = page(call, lines);
        return ok({
          Count: p.items.length,
          PageNumber: p.pageNumber,
          PageSize: p.pageSize,
          IsCompleted: true,
          Data: { Logs: p.items },
        });
      },
    });
    const ev = await collectEvidence(
      region.api,
      [target({ id: 'vco-1' }, 'tun-1'), target({ id: 'vco-2' }, 'tun-3')],
      { now: NOW },
    );
    const diagnoseCalls = region.fake.calls.filter((c) => c.action === 'DiagnoseVpnConnections');
    expect(diagnoseCalls).toHaveLength(1);
    expect([diagnoseCalls[0]?.query['TunnelIds.1'], diagnoseCalls[0]?.query['TunnelIds.2']]).toEqual([
      'tun-1',
      'tun-3',
    ]);
    const logCalls = region.fake.calls.filter(
      (c) => c.action === 'DescribeVpnConnectionLogs' && c.query.TunnelId === 'tun-1',
    );
    expect(logCalls.map((c) => [c.query.From, c.query.To, c.query.PageNumber, c.query.PageSize])).toEqual([
      [String(NOW / 1000 - 600), String(NOW / 1000), '1', '50'],
      [String(NOW / 1000 - 600), String(NOW / 1000), '2', '50'],
    ]);
    expect(ev['tun-1']).toMatchObject({
      tunnelId: 'tun-1',
      connectionId: 'vco-1',
      collectedAt: NOW,
      errors: [],
    });
    expect(ev['tun-1']?.diagnosis).toEqual([
      {
        connectionId: 'vco-1',
        tunnelId: 'tun-1',
        failedReasonCode: 'PskMismatch',
        failedReason: 'PSK mismatch',
        failedTime: NOW - 30_000,
        mismatchLocal: '',
        mismatchRemote: '',
        severity: 'Critical',
        sourceLog: '',
      },
    ]);
    expect(ev['tun-1']?.logs?.lines).toEqual(lines);
    expect(ev['tun-1']?.logs?.complete).toBe(true);
    expect(ev['tun-3']?.diagnosis?.map((d) => d.failedReasonCode)).toEqual(['NoResponse']);
    expect(ev['tun-3']?.logs?.lines).toEqual([]);
  });

  it('records an unsupported diagnosis as an error and still captures logs; single-tunnel goes by connection id', async () => {
    region = await fakeRegion({
      DiagnoseVpnConnections: () =>
        fail(400, 'OperationUnsupported.DiagnoseVpn', 'The gateway does not support diagnosis.'),
      DescribeVpnConnectionLogs: () => ok({ Count: 1, IsCompleted: false, Data: { Logs: ['a line'] } }),
    });
    const ev = await collectEvidence(region.api, [target({ id: 'vco-9', dualTunnel: false }, 'vco-9')], {
      now: NOW,
      logWindowMinutes: 5,
    });
    expect(ev['vco-9']?.diagnosis).toBeNull();
    expect(ev['vco-9']?.errors).toEqual([
      expect.stringMatching(/^DiagnoseVpnConnections: OperationUnsupported\.DiagnoseVpn/),
    ]);
    expect(ev['vco-9']?.logs).toMatchObject({ lines: ['a line'], complete: false, from: NOW / 1000 - 300 });
    const diag = region.fake.calls.find((c) => c.action === 'DiagnoseVpnConnections');
    expect(diag?.query['VpnConnectionIds.1']).toBe('vco-9');
    const logs = region.fake.calls.find((c) => c.action === 'DescribeVpnConnectionLogs');
    expect(logs?.query.TunnelId).toBeUndefined();
  });

  it('asks per gateway again when an old gateway in the batch makes diagnosis unsupported', async () => {
    region = await fakeRegion({
      DiagnoseVpnConnections: (call) => {
        const ids = Object.entries(call.query)
          .filter(([k]) => k.startsWith('TunnelIds.'))
          .map(([, v]) => v);
        if (ids.includes('tun-old')) return fail(400, 'OperationUnsupported.DiagnoseVpn', 'old gateway');
        return ok({
          TotalCount: 1,
          VpnConnections: [
            {
              VpnConnectionId: 'vco-new',
              TunnelId: 'tun-new',
              FailedReasonCode: 'PskMismatch',
              FailedTime: NOW,
            },
          ],
        });
      },
      DescribeVpnConnectionLogs: () => ok({ Count: 0, IsCompleted: true, Data: { Logs: [] } }),
    });
    const ev = await collectEvidence(
      region.api,
      [
        target({ id: 'vco-old', vpnGatewayId: 'vpn-old' }, 'tun-old'),
        target({ id: 'vco-new', vpnGatewayId: 'vpn-new' }, 'tun-new'),
      ],
      { now: NOW },
    );
    expect(ev['tun-new']?.diagnosis?.map((d) => d.failedReasonCode)).toEqual(['PskMismatch']);
    expect(ev['tun-new']?.errors).toEqual([]);
    expect(ev['tun-old']?.diagnosis).toBeNull();
    expect(ev['tun-old']?.errors).toEqual([expect.stringMatching(/OperationUnsupported\.DiagnoseVpn/)]);
    // One batched call, then one per gateway.
    expect(region.actions().filter((a) => a === 'DiagnoseVpnConnections')).toHaveLength(3);
  });

  it('bounds the tunnels per run with maxTunnels', async () => {
    region = await fakeRegion({
      DiagnoseVpnConnections: () => ok({ TotalCount: 0, VpnConnections: [] }),
      DescribeVpnConnectionLogs: () => ok({ Count: 0, IsCompleted: true, Data: { Logs: [] } }),
    });
    const ev = await collectEvidence(
      region.api,
      [target({ id: 'vco-1' }, 'tun-1'), target({ id: 'vco-2' }, 'tun-2')],
      { now: NOW, maxTunnels: 1 },
    );
    expect(Object.keys(ev)).toEqual(['tun-1']);
    expect(ev['tun-1']?.diagnosis).toEqual([]);
  });
});

describe('collectTraffic', () => {
  const conns = Array.from(
    { length: 60 },
    (_, i) => ({ id: `vco-${i}`, vpnGatewayId: 'vpn-1' }) as Connection,
  );

  it('batches 50 connections per call and parses the Datapoints JSON string', async () => {
    region = await fakeRegion({
      DescribeMetricLast: (call) => {
        const dims = JSON.parse(call.query.Dimensions ?? '[]') as Array<{
          instanceId: string;
          ipsecId: string;
        }>;
        const rate = call.query.MetricName === 'ipsec_rx.rate' ? 1000 : 500;
        const points = dims
          .filter((d) => d.ipsecId !== 'vco-5')
          .map((d, i) => ({
            timestamp: 1_700_000_000_000,
            userId: '1',
            instanceId: d.instanceId,
            ipsecId: d.ipsecId,
            Value: rate + i,
          }));
        return ok({ Code: '200', Success: true, Period: '60', Datapoints: JSON.stringify(points) });
      },
    });
    const result = await collectTraffic(region.api, conns, 42);
    expect(result.complete).toBe(true);
    expect(result.collectedAt).toBe(42);
    const calls = region.fake.calls;
    expect(calls).toHaveLength(4);
    expect(
      calls
        .map((c) => [c.query.Namespace, c.query.MetricName, JSON.parse(c.query.Dimensions ?? '[]').length])
        .sort(),
    ).toEqual([
      ['acs_vpn', 'ipsec_rx.rate', 10],
      ['acs_vpn', 'ipsec_rx.rate', 50],
      ['acs_vpn', 'ipsec_tx.rate', 10],
      ['acs_vpn', 'ipsec_tx.rate', 50],
    ]);
    expect(JSON.parse(calls[0]?.query.Dimensions ?? '[]')[0]).toEqual({
      instanceId: 'vpn-1',
      ipsecId: 'vco-0',
    });
    expect(result.data['vco-0']).toEqual({
      connectionId: 'vco-0',
      rxBps: 1000,
      txBps: 500,
      at: 1_700_000_000_000,
    });
    expect(result.data['vco-5']).toEqual({ connectionId: 'vco-5', rxBps: null, txBps: null, at: null });
    expect(Object.keys(result.data)).toHaveLength(60);
  });

  it('treats Success:false as an error: the batch is unknown and the result incomplete', async () => {
    region = await fakeRegion({
      DescribeMetricLast: (call) =>
        JSON.parse(call.query.Dimensions ?? '[]').length === 10
          ? ok({ Code: '403', Success: false, Message: 'no permission' })
          : ok({ Code: '200', Success: true, Datapoints: '[]' }),
    });
    const result = await collectTraffic(region.api, conns, 42);
    expect(result.complete).toBe(false);
    expect(result.error).toMatch(/DescribeMetricLast/);
    expect(Object.keys(result.data)).toHaveLength(50);
    expect(result.data['vco-55']).toBeUndefined();
  });
});
