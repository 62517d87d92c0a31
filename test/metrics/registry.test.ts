import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/registry.js';
import { IDS, NOW } from '../fixtures/snapshot.js';
import { FixtureView, FLEET, largeSnapshot, PLANTED_SECRET } from '../fixtures/view.js';

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Samples of one metric parsed from the exposition text. */
function samples(text: string, name: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable line ${line}`);
    const labels: Record<string, string> = {};
    for (const lm of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[lm[1]!] = lm[2]!;
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

const make = (view = new FixtureView(), now = NOW) =>
  createMetrics(view, { version: '1.2.3', now: () => now, defaultMetrics: true });

describe('metrics', () => {
  it('exports every tunnel with its state, 0 when down, and the active tunnel', async () => {
    const text = await make().render();
    const up = samples(text, 'alivpn_tunnel_up');
    const byTunnel = Object.fromEntries(up.map((s) => [s.labels.tunnel_id, s]));
    expect(Object.keys(byTunnel).sort()).toEqual(
      [
        IDS.tunnel1,
        IDS.tunnel2,
        FLEET.failedOverTunnel1,
        FLEET.failedOverTunnel2,
        'tun-gw5t1000000000001',
        'tun-gw5t2000000000001',
      ].sort(),
    );
    expect(byTunnel[FLEET.failedOverTunnel1]).toEqual({
      labels: {
        account: 'prod',
        region: 'cn-hangzhou',
        vpn_gateway_id: IDS.gateway,
        connection_id: FLEET.failedOver,
        tunnel_id: FLEET.failedOverTunnel1,
        role: 'primary',
      },
      value: 0,
    });
    expect(byTunnel[FLEET.failedOverTunnel2]?.value).toBe(1);
    expect(byTunnel[FLEET.failedOverTunnel2]?.labels.role).toBe('standby');
    const ike = samples(text, 'alivpn_tunnel_ike_sa_up').find(
      (s) => s.labels.tunnel_id === FLEET.failedOverTunnel1,
    );
    expect(ike?.value).toBe(0);
    const active = samples(text, 'alivpn_tunnel_active').filter(
      (s) => s.labels.connection_id === FLEET.failedOver,
    );
    expect(active.map((s) => [s.labels.role, s.value]).sort()).toEqual([
      ['primary', 0],
      ['standby', 1],
    ]);
    const standby = samples(text, 'alivpn_connection_on_standby');
    expect(standby.find((s) => s.labels.connection_id === FLEET.failedOver)?.value).toBe(1);
    expect(standby.find((s) => s.labels.connection_id === IDS.connection)?.value).toBe(0);
  });

  it('names each connection once, on alivpn_connection_info, and on no other series', async () => {
    const view = new FixtureView();
    const text = await make(view).render();
    const info = samples(text, 'alivpn_connection_info');
    expect(info.find((s) => s.labels.connection_id === FLEET.failedOver)).toEqual({
      labels: {
        account: 'prod',
        region: 'cn-hangzhou',
        vpn_gateway_id: IDS.gateway,
        connection_id: FLEET.failedOver,
        connection_name: '<script>alert(\\"x\\")</script>',
      },
      value: 1,
    });
    // One info series per connection, also for the region whose status collection failed.
    const connections = view.snap!.regions.flatMap((r) => r.connections.data.map((c) => c.id));
    expect(info.map((s) => s.labels.connection_id).sort()).toEqual([...connections].sort());
    const named = text.split('\n').filter((l) => l.includes('connection_name='));
    expect(named.length).toBe(info.length);
    expect(named.every((l) => l.startsWith('alivpn_connection_info{'))).toBe(true);

    // A rename changes the info series only: every other series keeps its identity.
    const others = (t: string) =>
      t
        .split('\n')
        .filter((l) => l.startsWith('alivpn_') && !l.startsWith('alivpn_connection_info'))
        .map((l) => l.replace(/ \S+$/, ''));
    const before = others(text);
    view.snap!.regions[0]!.connections.data.find((c) => c.id === FLEET.failedOver)!.name = 'renamed';
    const after = await make(view).render();
    expect(others(after)).toEqual(before);
    expect(samples(after, 'alivpn_connection_info').map((s) => s.labels.connection_name)).toContain(
      'renamed',
    );
  });

  it('follows a renamed connection from one scrape to the next (a new object, as the merge makes it)', async () => {
    const view = new FixtureView();
    const metrics = make(view);
    const name = async () =>
      samples(await metrics.render(), 'alivpn_connection_info').find(
        (s) => s.labels.connection_id === FLEET.failedOver,
      )?.labels.connection_name;
    const first = await name();
    expect(await name()).toBe(first); // unchanged: the same series
    const region = view.snap!.regions[0]!;
    const data = region.connections.data.map((c) =>
      c.id === FLEET.failedOver ? { ...c, name: 'renamed' } : c,
    );
    view.snap = {
      ...view.snap!,
      regions: [{ ...region, connections: { ...region.connections, data } }, ...view.snap!.regions.slice(1)],
    };
    expect(await name()).toBe('renamed');
  });

  it('leaves out a label that does not apply instead of exporting it empty', async () => {
    const view = new FixtureView();
    const c = view.snap!.regions[0]!.connections.data.find((x) => x.id === FLEET.failedOver)!;
    c.name = ''; // Alibaba allows an unnamed connection
    c.vpnGatewayId = ''; // attached to a transit router: no VPN gateway
    view.diag.findings = view.diag.findings.map((f) =>
      f.connectionId === FLEET.failedOver ? { ...f, vpnGatewayId: '' } : f,
    );
    view.budgetStates = [{ ...view.budgetStates[0]!, region: 'cn-hangzhou' }, view.budgetStates[0]!];
    const text = await make(view).render();
    expect(text).not.toMatch(/=""/);
    expect(
      samples(text, 'alivpn_connection_info').find((s) => s.labels.connection_id === c.id)?.labels,
    ).toEqual({ account: 'prod', region: 'cn-hangzhou', connection_id: c.id });
    expect(
      samples(text, 'alivpn_tunnel_up').find((s) => s.labels.tunnel_id === FLEET.failedOverTunnel1)?.labels,
    ).toEqual({
      account: 'prod',
      region: 'cn-hangzhou',
      connection_id: c.id,
      tunnel_id: FLEET.failedOverTunnel1,
      role: 'primary',
    });
    expect(samples(text, 'alivpn_api_budget_waits_total').map((s) => s.labels)).toEqual([
      { account: 'prod', region: 'cn-hangzhou', product: 'vpc' },
      { account: 'prod', product: 'vpc' },
    ]);
  });

  it('exports alivpn_tunnel_ipsec_sa_up as an alias of alivpn_tunnel_up: the same series, the same values', async () => {
    const text = await make().render();
    const up = samples(text, 'alivpn_tunnel_up');
    expect(up.some((s) => s.value === 0) && up.some((s) => s.value === 1)).toBe(true);
    expect(samples(text, 'alivpn_tunnel_ipsec_sa_up')).toEqual(up);
    // Different help texts: the alias says what it is.
    expect(text).toMatch(/^# HELP alivpn_tunnel_ipsec_sa_up .*alias of alivpn_tunnel_up/m);
  });

  it('counts failovers, failbacks and state changes from the tracker and follows their increase', async () => {
    const view = new FixtureView();
    const metrics = make(view);
    let text = await metrics.render();
    const failovers = () =>
      samples(text, 'alivpn_connection_failovers_total').find(
        (s) => s.labels.connection_id === FLEET.failedOver,
      )?.value;
    expect(failovers()).toBe(2);
    expect(
      samples(text, 'alivpn_connection_failovers_total').find(
        (s) => s.labels.connection_id === IDS.connection,
      )?.value,
    ).toBe(0);
    expect(
      samples(text, 'alivpn_connection_failbacks_total').find(
        (s) => s.labels.connection_id === FLEET.failedOver,
      )?.value,
    ).toBe(1);
    expect(
      samples(text, 'alivpn_tunnel_state_changes_total').find(
        (s) => s.labels.tunnel_id === FLEET.failedOverTunnel1,
      )?.value,
    ).toBe(3);
    expect(samples(text, 'alivpn_tunnel_last_change_timestamp_seconds')).toEqual([
      expect.objectContaining({ value: (NOW - 61_000) / 1000 }),
    ]);
    view.counts.failovers[FLEET.failedOver] = 3;
    text = await metrics.render();
    expect(failovers()).toBe(3);
  });

  it('drops every series of a deleted connection', async () => {
    const view = new FixtureView();
    const metrics = make(view);
    expect(await metrics.render()).toContain(FLEET.failedOver);
    const region = view.snap!.regions[0]!;
    region.connections.data = region.connections.data.filter((c) => c.id !== FLEET.failedOver);
    view.diag = { findings: [], ladders: [] };
    const text = await metrics.render();
    expect(text).not.toContain(FLEET.failedOver);
    expect(samples(text, 'alivpn_tunnel_up').map((s) => s.labels.tunnel_id)).not.toContain(
      FLEET.failedOverTunnel1,
    );
  });

  it('exports one alivpn_finding per open finding with bounded labels only', async () => {
    const text = await make().render();
    const findings = samples(text, 'alivpn_finding');
    expect(findings).toHaveLength(2);
    for (const f of findings) {
      expect(Object.keys(f.labels).sort()).toEqual(
        [
          'account',
          'connection_id',
          'layer',
          'region',
          'rule',
          'severity',
          'vpn_gateway_id',
          ...(f.labels.rule === 'failover-active' ? [] : ['tunnel_id']),
        ].sort(),
      );
      expect(f.value).toBe(1);
    }
    const psk = findings.find((f) => f.labels.rule === 'psk-mismatch');
    expect(psk?.labels).toMatchObject({
      severity: 'critical',
      layer: 'ike',
      tunnel_id: FLEET.failedOverTunnel1,
    });
    // A connection-scoped finding has no tunnel_id label at all (absent, never "").
    expect(findings.find((f) => f.labels.rule === 'failover-active')?.labels).not.toHaveProperty('tunnel_id');
    expect(text).not.toMatch(/=""/);
    expect(text).not.toContain('Pre-shared key mismatch');
    expect(text).not.toContain('FailedReasonCode');
  });

  it('keeps a failed region fresh values but drops its state once stale, with collect_success 0', async () => {
    const view = new FixtureView();
    const region = view.snap!.regions[1]!;
    region.connections.collectedAt = NOW - 60_000;
    const freshText = await make(view, NOW).render();
    expect(
      samples(freshText, 'alivpn_tunnel_up').filter((s) => s.labels.region === FLEET.lostRegion),
    ).toHaveLength(2);

    const staleText = await make(view, NOW + 10 * 60_000).render();
    expect(
      samples(staleText, 'alivpn_tunnel_up').filter((s) => s.labels.region === FLEET.lostRegion),
    ).toEqual([]);
    // History stays and the failure is visible.
    expect(
      samples(staleText, 'alivpn_tunnel_state_changes_total').filter(
        (s) => s.labels.region === FLEET.lostRegion,
      ),
    ).toHaveLength(2);
    expect(samples(staleText, 'alivpn_collect_success')).toEqual(
      expect.arrayContaining([
        { labels: { account: 'prod', region: FLEET.lostRegion, tier: 'status' }, value: 0 },
        { labels: { account: 'prod', region: 'cn-hangzhou', tier: 'status' }, value: 1 },
      ]),
    );
    expect(samples(staleText, 'alivpn_last_collect_timestamp_seconds')).toContainEqual({
      labels: { account: 'prod', region: FLEET.lostRegion, tier: 'status' },
      value: (NOW - 600_000) / 1000,
    });
  });

  it('exports collector, API, traffic, build and process metrics and no secret', async () => {
    const text = await make().render();
    // Which account is throttled, and in which region.
    expect(samples(text, 'alivpn_api_requests_total')).toContainEqual({
      labels: {
        account: 'prod',
        region: FLEET.lostRegion,
        product: 'vpc',
        action: 'DescribeVpnConnections',
        code: 'Throttling.User',
      },
      value: 3,
    });
    // Budgets per account (the default scope) have no region label.
    expect(samples(text, 'alivpn_api_budget_tokens_available')).toEqual([
      { labels: { account: 'prod', product: 'vpc' }, value: 17 },
    ]);
    expect(samples(text, 'alivpn_collect_duration_seconds')).toContainEqual({
      labels: { account: 'prod', region: 'cn-hangzhou', tier: 'status' },
      value: 0.42,
    });
    expect(samples(text, 'alivpn_connection_receive_bits_per_second')).toContainEqual(
      expect.objectContaining({ value: 1_200_000 }),
    );
    expect(samples(text, 'alivpn_build_info')).toEqual([
      { labels: { version: '1.2.3', node_version: process.versions.node }, value: 1 },
    ]);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
    expect(text).not.toContain(PLANTED_SECRET);
    expect(text).not.toContain('3f2a9c0d1e4b'); // not even the PSK fingerprint belongs in metrics
  });

  it('renders a 4,000-tunnel fleet with every tunnel present', async () => {
    const view = new FixtureView();
    view.snap = largeSnapshot(2000);
    view.diag = { findings: [], ladders: [] };
    const metrics = createMetrics(view, { version: 'x', defaultMetrics: false });
    await metrics.render(); // warm-up
    const started = performance.now();
    const text = await metrics.render();
    const ms = performance.now() - started;
    console.info(`metrics render for 4000 tunnels: ${ms.toFixed(1)} ms`);
    expect(samples(text, 'alivpn_tunnel_up')).toHaveLength(4000);
    expect(samples(text, 'alivpn_tunnel_active').filter((s) => s.value === 1)).toHaveLength(2000);
  });
});
