import { describe, expect, it } from 'vitest';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderText } from '../../src/report/text.js';
import { NOW } from '../fixtures/snapshot.js';
import {
  FixtureView,
  FLEET,
  fixtureEvents,
  PLANTED_ACCESS_KEY_SECRET,
  PLANTED_SECRET,
} from '../fixtures/view.js';

const report = (lang: 'en' | 'ja') => buildReport(reportInputFromView(new FixtureView()), { lang, now: NOW });
const events = { [FLEET.failedOver]: fixtureEvents() };

describe('renderText', () => {
  it('renders the fleet in English with the cause, the failover and the failed region', () => {
    const text = renderText(report('en'), 'en', { events });
    expect(text).toContain('Overall status: CRITICAL (3 connections)');
    expect(text).toContain('  - prod / ap-northeast-1: DescribeVpnConnections: Throttling.User');
    expect(text).toContain('  ! Failed over: traffic runs on the standby tunnel');
    expect(text).toContain(
      `  Tunnel 2 (standby) ${FLEET.failedOverTunnel2}  ipsec_sa_established  up  Zone cn-hangzhou-i  47.96.10.2 <-> 203.0.113.10  <- carries traffic`,
    );
    expect(text).toContain(
      `    [Critical] psk-mismatch (IKE (phase 1)) ${FLEET.failedOverTunnel1}: Pre-shared key mismatch`,
    );
    expect(text).toContain('        1. Set the same pre-shared key on the customer gateway and on tunnel 1.');
    expect(text).toContain(
      `    2025-12-31 23:59:00 UTC  FAILOVER to standby tunnel ${FLEET.failedOverTunnel2} (fromTunnelId=${FLEET.failedOverTunnel1}, toTunnelId=${FLEET.failedOverTunnel2})`,
    );
    expect(text).toContain('[UNKNOWN] hq-to-tokyo');
    expect(text).not.toContain(PLANTED_SECRET);
    expect(text).not.toContain(PLANTED_ACCESS_KEY_SECRET);
  });

  it('renders Japanese UI strings and finding texts', () => {
    const text = renderText(report('ja'), 'ja', { events });
    expect(text).toContain('全体の状態: 重大 (3 件の接続)');
    expect(text).toContain('フェールオーバー中: スタンバイトンネルで通信しています');
    expect(text).toContain('[重大] psk-mismatch (IKE (フェーズ 1))');
    expect(text).toContain('事前共有鍵の不一致');
    expect(text).toContain('スタンバイトンネルへフェールオーバー');
    expect(text).toContain('収集できなかったリージョン:');
  });
});

describe('renderMarkdown', () => {
  it('renders a ticket-ready document with inert free text', () => {
    const md = renderMarkdown(report('en'), 'en', { events });
    expect(md.startsWith('# IPsec-VPN connection report\n')).toBe(true);
    expect(md).toContain('**Overall status:** 🔴 Critical · 3 connections');
    // The connection name is free text: escaped, so it cannot inject HTML in a ticket system.
    expect(md).toContain(`## 🔴 Critical — \\<script\\>alert("x")\\</script\\> (\`${FLEET.failedOver}\`)`);
    expect(md).not.toContain('<script>');
    expect(md).toContain('> **Failed over: traffic runs on the standby tunnel**');
    expect(md).toContain(
      `| 2 standby \`${FLEET.failedOverTunnel2}\` — **carries traffic** | ✅ \`ipsec_sa_established\``,
    );
    expect(md).toContain(
      `#### Critical: Pre-shared key mismatch (\`psk-mismatch\`, IKE (phase 1), Tunnel \`${FLEET.failedOverTunnel1}\`)`,
    );
    expect(md).toContain('1. Set the same pre-shared key on the customer gateway and on tunnel 1.');
    expect(md).toContain('- 2025-12-31 23:59:00 UTC — **FAILOVER to standby tunnel');
    expect(md).toContain('  - `FailedReasonCode=PskMismatch`');
    expect(md).toContain('## ⚠ Regions that could not be collected');
    expect(md).not.toContain(PLANTED_SECRET);
  });

  it('renders Japanese', () => {
    const md = renderMarkdown(report('ja'), 'ja', { events });
    expect(md.startsWith('# IPsec-VPN 接続レポート\n')).toBe(true);
    expect(md).toContain('#### 重大: 事前共有鍵の不一致');
    expect(md).toContain('**対処方法**');
    expect(md).toContain('**スタンバイトンネルへフェールオーバー');
  });
});
