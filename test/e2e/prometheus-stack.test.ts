// Self-test of the Prometheus/Alertmanager harness against a small /metrics endpoint served here
// with the metric names and labels of docs/architecture.md. It proves the harness and the shipped alert rules
// work together without the product; test/e2e/prometheus.test.ts is the proof against the demo.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PromStack, rewriteForDurations, startPromStack, waitFor } from '../support/prom-stack.js';

const CONN = {
  account: 'prod',
  region: 'cn-hangzhou',
  vpn_gateway_id: 'vpn-gw1',
  connection_id: 'vco-selftest',
  connection_name: 'dc-tokyo',
};
const PRIMARY = { ...CONN, tunnel_id: 'tun-primary', role: 'primary' };
const STANDBY = { ...CONN, tunnel_id: 'tun-standby', role: 'standby' };

/** A fake exporter whose connection can be put on standby and back. */
function fakeExporter() {
  const registry = new Registry();
  const tunnelLabels = Object.keys(PRIMARY);
  const up = new Gauge({
    name: 'alivpn_tunnel_up',
    help: 'x',
    labelNames: tunnelLabels,
    registers: [registry],
  });
  const active = new Gauge({
    name: 'alivpn_tunnel_active',
    help: 'x',
    labelNames: tunnelLabels,
    registers: [registry],
  });
  const onStandby = new Gauge({
    name: 'alivpn_connection_on_standby',
    help: 'x',
    labelNames: Object.keys(CONN),
    registers: [registry],
  });
  const failovers = new Counter({
    name: 'alivpn_connection_failovers_total',
    help: 'x',
    labelNames: Object.keys(CONN),
    registers: [registry],
  });
  const collectSuccess = new Gauge({
    name: 'alivpn_collect_success',
    help: 'x',
    labelNames: ['account', 'region', 'tier'],
    registers: [registry],
  });
  collectSuccess.set({ account: 'prod', region: 'cn-hangzhou', tier: 'status' }, 1);
  const setStandby = (standby: boolean): void => {
    up.set(PRIMARY, standby ? 0 : 1);
    up.set(STANDBY, 1);
    active.set(PRIMARY, standby ? 0 : 1);
    active.set(STANDBY, standby ? 1 : 0);
    onStandby.set(CONN, standby ? 1 : 0);
    if (standby) failovers.inc(CONN);
    else failovers.inc(CONN, 0);
  };
  setStandby(false);
  return { registry, setStandby };
}

describe('prom-stack harness (self-test against a fake exporter)', () => {
  const exporter = fakeExporter();
  let server: Server;
  let stack: PromStack | undefined;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      void exporter.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': exporter.registry.contentType }).end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address !== 'object') throw new Error('no address');
    const alerts = readFileSync(new URL('../../dashboards/prometheus/alerts.yaml', import.meta.url), 'utf8');
    stack = await startPromStack({
      targets: [`127.0.0.1:${address.port}`],
      rulesYaml: rewriteForDurations(alerts, '2s'),
    });
    await stack.waitForTargets();
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    // Nothing the harness started may outlive it.
    for (const proc of stack?.processes ?? []) expect(proc.exited()).toBe(true);
  });

  it('rewrites only the for: durations of the shipped rules', () => {
    const alerts = readFileSync(new URL('../../dashboards/prometheus/alerts.yaml', import.meta.url), 'utf8');
    const rewritten = rewriteForDurations(alerts, '2s');
    const alertCount = alerts.match(/^\s+- alert: /gm)?.length ?? 0;
    expect(alertCount).toBeGreaterThanOrEqual(6);
    expect(rewritten.match(/^\s+for: 2s$/gm)?.length).toBe(alertCount);
    expect(rewritten).not.toMatch(/for: [0-9]+m/);
    expect(rewritten).toContain('alivpn_connection_on_standby == 1');
  });

  it('delivers AliVpnFailover to the webhook with the tunnel labels, then its resolution', async () => {
    if (!stack) throw new Error('stack not started');
    const series = await stack.prom.query('alivpn_tunnel_up');
    expect(Array.isArray(series.result) ? series.result.length : 0).toBe(2);

    exporter.setStandby(true);
    const isOurs = (a: { labels: Record<string, string> }) =>
      a.labels.alertname === 'AliVpnFailover' && a.labels.connection_id === CONN.connection_id;
    const firing = await stack.webhook.waitForAlert(
      'AliVpnFailover firing',
      (a) => isOurs(a) && a.status === 'firing',
      30_000,
    );
    expect(firing.labels).toMatchObject({
      severity: 'warning',
      account: 'prod',
      region: 'cn-hangzhou',
      connection_name: 'dc-tokyo',
      tunnel_id: 'tun-primary',
      active_tunnel_id: 'tun-standby',
    });
    expect(firing.annotations.runbook_url).toMatch(/docs\/runbook\.md#alivpnfailover$/);
    expect(firing.annotations.summary).toContain('tun-primary');

    exporter.setStandby(false);
    const resolved = await stack.webhook.waitForAlert(
      'AliVpnFailover resolved',
      (a) => isOurs(a) && a.status === 'resolved',
      30_000,
    );
    expect(resolved.labels.tunnel_id).toBe('tun-primary');

    // Prometheus itself no longer holds the alert.
    await waitFor(
      'AliVpnFailover gone from Prometheus',
      async () =>
        (await stack!.prom.alerts()).some((a) => a.labels.alertname === 'AliVpnFailover') ? undefined : true,
      10_000,
    );
  }, 90_000);

  it('reports PromQL parse errors from the query API', async () => {
    if (!stack) throw new Error('stack not started');
    await expect(stack.prom.query('sum(alivpn_tunnel_up')).rejects.toThrow(/bad_data/);
  });
});
