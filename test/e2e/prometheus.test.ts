// End-to-end proof: the demo (simulator + daemon) scraped by a real Prometheus with the shipped
// alerts.yaml (only `for:` shortened), notifying a real Alertmanager whose webhook receiver is this
// test. A failover triggered through the simulator must reach the webhook with the right connection
// and tunnel labels and resolve after failback; then every PromQL expression of both Grafana
// dashboards must parse and return data from that Prometheus.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { type Demo, startDemo } from '../../src/cli/commands/demo.js';
import {
  DASHBOARD_FILES,
  dashboardQueries,
  loadDashboard,
  substituteVariables,
} from '../dashboards/queries.js';
import {
  freePort,
  type PromSample,
  type PromStack,
  rewriteForDurations,
  startPromStack,
  type WebhookAlert,
  waitFor,
} from '../support/prom-stack.js';

const ALERTS_YAML = readFileSync(new URL('../../dashboards/prometheus/alerts.yaml', import.meta.url), 'utf8');
const SLO_YAML = readFileSync(new URL('../../dashboards/prometheus/slo.yaml', import.meta.url), 'utf8');
/** Every shipped rule file in one (the stack loads one rules file): alerts and availability objectives. */
const RULES_YAML = YAML.stringify(
  { groups: [ALERTS_YAML, SLO_YAML].flatMap((text) => (YAML.parse(text) as { groups: unknown[] }).groups) },
  { lineWidth: 0 },
);

interface Target {
  account: string;
  region: string;
  connectionId: string;
  connectionName: string;
  primaryTunnelId: string;
  standbyTunnelId: string;
}

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url} → ${res.status}: ${await res.text()}`);
}

const vector = (result: unknown): PromSample[] => (Array.isArray(result) ? (result as PromSample[]) : []);

describe('alerts and dashboards against the demo, a real Prometheus and Alertmanager', () => {
  let demo: Demo | undefined;
  let stack: PromStack | undefined;
  let target: Target;
  const startedAt = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    // The quiet `healthy` world: the only incident is the one this test injects.
    demo = await startDemo({
      port: await freePort(),
      statusSchedule: '* * * * * *',
      scenario: 'healthy',
      log: false,
    });
    stack = await startPromStack({
      targets: [new URL(demo.url).host],
      rulesYaml: rewriteForDurations(RULES_YAML, '2s'),
    });
    await stack.waitForTargets(30_000);
    const prom = stack.prom;
    // A connection with BGP, so that every panel of the drill-down has a series to show.
    const primary = await waitFor(
      'a primary tunnel that is up and has BGP',
      async () => vector((await prom.query('alivpn_tunnel_bgp_up{role="primary"} == 1')).result)[0],
      60_000,
      500,
    );
    const conn = primary.metric;
    const tunnels = vector(
      (await prom.query(`alivpn_tunnel_up{connection_id="${conn.connection_id}"}`)).result,
    );
    const standby = tunnels.find((t) => t.metric.role === 'standby');
    if (!standby) throw new Error(`connection ${conn.connection_id} has no standby tunnel series`);
    // The name is only on the info series (a rename must not start new series for everything else).
    const info = vector(
      (await prom.query(`alivpn_connection_info{connection_id="${conn.connection_id}"}`)).result,
    );
    if (info.length !== 1) throw new Error(`connection ${conn.connection_id} has ${info.length} info series`);
    target = {
      account: conn.account!,
      region: conn.region!,
      connectionId: conn.connection_id!,
      connectionName: info[0]!.metric.connection_name!,
      primaryTunnelId: conn.tunnel_id!,
      standbyTunnelId: standby.metric.tunnel_id!,
    };
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await demo?.stop();
    for (const proc of stack?.processes ?? []) expect(proc.exited(), `${proc.name} stopped`).toBe(true);
  });

  const ours = (name: string) => (a: WebhookAlert) =>
    a.labels.alertname === name && a.labels.connection_id === target.connectionId;

  it('pages AliVpnFailover with the connection and both tunnels, names the cause, and resolves after failback', async () => {
    if (!stack || !demo) throw new Error('stack not started');
    await postJson(`${demo.simUrl}/_sim/incidents`, {
      connectionId: target.connectionId,
      tunnel: 1,
      cause: 'PskMismatch',
    });

    const firing = await stack.webhook.waitForAlert(
      'AliVpnFailover firing',
      (a) => ours('AliVpnFailover')(a) && a.status === 'firing',
      90_000,
    );
    expect(firing.labels).toMatchObject({
      alertname: 'AliVpnFailover',
      severity: 'warning',
      account: target.account,
      region: target.region,
      connection_id: target.connectionId,
      tunnel_id: target.primaryTunnelId,
      active_tunnel_id: target.standbyTunnelId,
    });
    // No name on the alert (a rename would re-page it): the text takes it from alivpn_connection_info.
    expect(firing.labels.connection_name).toBeUndefined();
    expect(target.connectionName).toMatch(/\S/);
    expect(firing.annotations.summary).toBe(
      `VPN connection ${target.connectionName} (${target.connectionId}) failed over: primary tunnel ${target.primaryTunnelId} is down, traffic runs on standby tunnel ${target.standbyTunnelId}`,
    );
    expect(firing.annotations.runbook_url).toMatch(/\/docs\/runbook\.md#alivpnfailover$/);

    // The cause the daemon found on the failed tunnel reaches the alert text and pages on its own
    // (which rule it is, is the rule engine's business: here it only has to match the metrics).
    const causes = await waitFor(
      'an open finding on the failed primary tunnel',
      async () => {
        const open = vector(
          (
            await stack!.prom.query(
              `alivpn_finding{connection_id="${target.connectionId}", tunnel_id="${target.primaryTunnelId}", layer!="redundancy"} == 1`,
            )
          ).result,
        );
        return open.length ? open : undefined;
      },
      60_000,
      1000,
    );
    const ruleIds = causes.map((c) => c.metric.rule!).sort();
    await waitFor(
      `AliVpnFailover description naming ${ruleIds.join(', ')}`,
      async () =>
        (await stack!.prom.alerts()).find(
          (a) =>
            a.labels.alertname === 'AliVpnFailover' &&
            a.labels.connection_id === target.connectionId &&
            a.annotations.description?.endsWith(`Cause: ${ruleIds.join('; ')}.`),
        ),
      30_000,
      1000,
    );
    const critical = causes.find((c) => c.metric.severity === 'critical');
    if (critical) {
      const finding = await stack.webhook.waitForAlert(
        `AliVpnCriticalFinding ${critical.metric.rule}`,
        (a) => ours('AliVpnCriticalFinding')(a) && a.labels.rule === critical.metric.rule,
        60_000,
      );
      expect(finding.labels).toMatchObject({ severity: 'critical', tunnel_id: target.primaryTunnelId });
      expect(finding.annotations.runbook_url).toMatch(new RegExp(`#${critical.metric.rule}$`));
    }

    // One root cause pages once: no ConnectionDown or StandbyTunnelDown for this connection.
    const others = stack.webhook
      .notifications()
      .flatMap((n) => n.alerts)
      .filter((a) => ours('AliVpnConnectionDown')(a) || ours('AliVpnStandbyTunnelDown')(a));
    expect(others).toEqual([]);

    await postJson(`${demo.simUrl}/_sim/recover`, { connectionId: target.connectionId, tunnel: 1 });
    const resolved = await stack.webhook.waitForAlert(
      'AliVpnFailover resolved',
      (a) => ours('AliVpnFailover')(a) && a.status === 'resolved',
      90_000,
    );
    expect(resolved.labels.tunnel_id).toBe(target.primaryTunnelId);
    const failbacks = vector(
      (await stack.prom.query(`alivpn_connection_failbacks_total{connection_id="${target.connectionId}"}`))
        .result,
    );
    expect(Number(failbacks[0]?.value?.[1])).toBeGreaterThanOrEqual(1);
  }, 240_000);

  it('pages lost redundancy, then a down connection once: ConnectionDown replaces StandbyTunnelDown', async () => {
    if (!stack || !demo) throw new Error('stack not started');
    const prom = stack.prom;
    // Another connection, both tunnels up.
    const healthy = vector((await prom.query('min by (connection_id) (alivpn_tunnel_up) == 1')).result)
      .map((s) => s.metric.connection_id!)
      .find((id) => id !== target.connectionId);
    if (!healthy) throw new Error('no second healthy connection in the demo world');
    const tunnels = vector((await prom.query(`alivpn_tunnel_up{connection_id="${healthy}"}`)).result);
    const standbyId = tunnels.find((t) => t.metric.role === 'standby')?.metric.tunnel_id;
    const isFor = (name: string) => (a: WebhookAlert) =>
      a.labels.alertname === name && a.labels.connection_id === healthy;

    await postJson(`${demo.simUrl}/_sim/incidents`, {
      connectionId: healthy,
      tunnel: 2,
      cause: 'PskMismatch',
    });
    const standbyDown = await stack.webhook.waitForAlert(
      'AliVpnStandbyTunnelDown firing',
      (a) => isFor('AliVpnStandbyTunnelDown')(a) && a.status === 'firing',
      90_000,
    );
    expect(standbyDown.labels).toMatchObject({ severity: 'warning', tunnel_id: standbyId, role: 'standby' });

    await postJson(`${demo.simUrl}/_sim/incidents`, {
      connectionId: healthy,
      tunnel: 1,
      cause: 'PskMismatch',
    });
    const down = await stack.webhook.waitForAlert(
      'AliVpnConnectionDown firing',
      (a) => isFor('AliVpnConnectionDown')(a) && a.status === 'firing',
      90_000,
    );
    expect(down.labels).toMatchObject({ severity: 'critical', connection_id: healthy });
    expect(down.labels.tunnel_id).toBeUndefined();
    for (const t of tunnels) expect(down.annotations.description).toContain(t.metric.tunnel_id!);
    // The standby alert resolves instead of paging next to the outage, and no failover is paged.
    await stack.webhook.waitForAlert(
      'AliVpnStandbyTunnelDown resolved',
      (a) => isFor('AliVpnStandbyTunnelDown')(a) && a.status === 'resolved',
      60_000,
    );
    const failovers = stack.webhook
      .notifications()
      .flatMap((n) => n.alerts)
      .filter((a) => isFor('AliVpnFailover')(a));
    expect(failovers).toEqual([]);

    await postJson(`${demo.simUrl}/_sim/recover`, { connectionId: healthy, tunnel: 1 });
    await postJson(`${demo.simUrl}/_sim/recover`, { connectionId: healthy, tunnel: 2 });
    await stack.webhook.waitForAlert(
      'AliVpnConnectionDown resolved',
      (a) => isFor('AliVpnConnectionDown')(a) && a.status === 'resolved',
      90_000,
    );
  }, 300_000);

  it('names connections on alivpn_connection_info only, and counts API calls per account and region', async () => {
    if (!stack) throw new Error('stack not started');
    const prom = stack.prom;
    const named = vector((await prom.query('{__name__=~"alivpn_.+", connection_name!=""}')).result);
    expect(new Set(named.map((s) => s.metric.__name__))).toEqual(new Set(['alivpn_connection_info']));
    const connections = vector((await prom.query('count by (connection_id) (alivpn_tunnel_up)')).result);
    expect(named.map((s) => s.metric.connection_id).sort()).toEqual(
      connections.map((s) => s.metric.connection_id).sort(),
    );
    const requests = vector(
      (await prom.query('sum by (account, region) (alivpn_api_requests_total{product="vpc"})')).result,
    );
    expect(requests.map((s) => `${s.metric.account}/${s.metric.region}`)).toContain(
      `${target.account}/${target.region}`,
    );
  });

  it("records each connection's availability from the demo (the availability recording rules)", async () => {
    if (!stack) throw new Error('stack not started');
    const prom = stack.prom;
    const ratio = await waitFor(
      'alivpn:connection_availability:ratio_rate5m for the demo connections',
      async () => {
        const v = vector((await prom.query('alivpn:connection_availability:ratio_rate5m')).result);
        return v.length > 0 ? v : undefined;
      },
      60_000,
      1000,
    );
    for (const s of ratio) {
      const value = Number(s.value?.[1]);
      expect(value, s.metric.connection_id).toBeGreaterThanOrEqual(0);
      expect(value, s.metric.connection_id).toBeLessThanOrEqual(1);
    }
    const objective = vector((await prom.query('alivpn:connection_availability_objective:max')).result);
    expect(objective.map((s) => Number(s.value?.[1]))).toContain(0.999);
  }, 90_000);

  it('answers every dashboard expression, with Grafana variables resolved the way Grafana chains them', async () => {
    if (!stack) throw new Error('stack not started');
    const prom = stack.prom;
    // account → region → connection, as the label_values() variables resolve them.
    expect(await prom.labelValues('account', 'alivpn_tunnel_up')).toContain(target.account);
    expect(await prom.labelValues('region', `alivpn_tunnel_up{account=~"${target.account}"}`)).toContain(
      target.region,
    );
    expect(
      await prom.labelValues(
        'connection_id',
        `alivpn_tunnel_up{account=~"${target.account}", region=~"${target.region}"}`,
      ),
    ).toContain(target.connectionId);

    const end = Math.ceil(Date.now() / 1000);
    const values = {
      datasource: 'prometheus',
      account: target.account,
      region: target.region,
      connection: target.connectionId,
      report_base_url: 'http://127.0.0.1',
      __rate_interval: '15s',
      __interval: '1s',
      __range: `${end - startedAt + 60}s`,
    };
    const empty: string[] = [];
    let checked = 0;
    for (const file of DASHBOARD_FILES) {
      for (const q of dashboardQueries(loadDashboard(file))) {
        const expr = substituteVariables(q.expr, values);
        // Throws with Prometheus's parse error when the expression is invalid.
        const result = await prom.queryRange(expr, startedAt, end, 1);
        const hasData = vector(result.result).some((s) => (s.values?.length ?? 0) > 0);
        // The IKE probe is off by default (a probe leaves a half-open SA on the peer), and the demo's
        // peers are documentation addresses nobody may probe: its panels only have to parse here;
        // test/probe/serve.test.ts shows those series against a real charon.
        const needsProbe = /alivpn_ike_probe_/.test(expr);
        if (!hasData && !needsProbe) empty.push(`${file} ${q.where}: ${expr}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(empty, 'dashboard expressions without data').toEqual([]);
  }, 60_000);
});
