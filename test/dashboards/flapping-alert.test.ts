// AliVpnTunnelFlapping deliberately asks for more than the daemon's definition of flapping
// (src/model/flapping.ts says why): this pins the alert's threshold and window to the constants
// there, and the relation between the two, reading the alert rule file Prometheus loads.
// (dashboards/prometheus/tests/findings_test.yaml runs the alert itself under promtool.)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import {
  FLAP_ALERT_MIN_CHANGES,
  FLAP_ALERT_WINDOW_MS,
  FLAP_MIN_CHANGES,
  FLAP_WINDOW_MS,
} from '../../src/model/flapping.js';

const ALERTS = fileURLToPath(new URL('../../dashboards/prometheus/alerts.yaml', import.meta.url));

function flappingAlert(): { changes: number; windowMs: number } {
  const file = YAML.parse(readFileSync(ALERTS, 'utf8')) as {
    groups: { rules: { alert?: string; expr: string }[] }[];
  };
  const rule = file.groups.flatMap((g) => g.rules).find((r) => r.alert === 'AliVpnTunnelFlapping');
  const m = /^increase\(alivpn_tunnel_state_changes_total\[(\d+)m\]\)\s*>=\s*(\d+)$/.exec(
    rule?.expr.trim() ?? '',
  );
  expect(m, `AliVpnTunnelFlapping's expr is not the documented shape: ${rule?.expr}`).not.toBeNull();
  return { changes: Number(m![2]), windowMs: Number(m![1]) * 60_000 };
}

describe('AliVpnTunnelFlapping and the definition of flapping', () => {
  it('pages at the threshold and window src/model/flapping.ts documents', () => {
    expect(flappingAlert()).toEqual({ changes: FLAP_ALERT_MIN_CHANGES, windowMs: FLAP_ALERT_WINDOW_MS });
  });

  it('looks back at least as far as the daemon and waits for more changes than one burst', () => {
    const alert = flappingAlert();
    expect(alert.windowMs).toBeGreaterThanOrEqual(FLAP_WINDOW_MS);
    // One burst that just meets the definition is a finding in the report, not a page.
    expect(alert.changes).toBeGreaterThan(FLAP_MIN_CHANGES);
  });

  it('always pages a tunnel that keeps flapping by the daemon definition', () => {
    const alert = flappingAlert();
    // The fewest changes a tunnel makes over the alert window while it flaps by the daemon's
    // definition in every daemon window of it.
    const sustained = Math.floor(alert.windowMs / FLAP_WINDOW_MS) * FLAP_MIN_CHANGES;
    expect(sustained).toBeGreaterThanOrEqual(alert.changes);
  });
});
