import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose, FALLBACK_RULE, loadRules } from '../../src/diagnose/engine.js';
import { buildWorld } from '../../src/diagnose/incidents/spec.js';
import { connection, evidence, healthySnapshot, IDS, snapshotWith, tunnel } from '../fixtures/snapshot.js';

const pskWorld = () =>
  buildWorld({
    tunnels: { '1': { status: 'ike_sa_not_established' } },
    evidence: {
      '1': { diagnosis: [{ failedReasonCode: 'PskMismatch' }], logs: ['could not decrypt payloads.'] },
    },
  }).snapshot;

/** The same PSK failure with tunnel 2 down too: the connection is down, so the cause stays critical. */
const pskDownWorld = () =>
  buildWorld({
    tunnels: { '1': { status: 'ike_sa_not_established' }, '2': { status: 'ike_sa_not_established' } },
    evidence: {
      '1': { diagnosis: [{ failedReasonCode: 'PskMismatch' }], logs: ['could not decrypt payloads.'] },
    },
  }).snapshot;

describe('diagnose', () => {
  it('finds nothing to warn about in the healthy world and says every layer is ok', () => {
    const d = diagnose(healthySnapshot());
    expect(d.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(d.ladders).toHaveLength(2);
    for (const l of d.ladders) {
      expect(l.firstFailingLayer).toBeNull();
      expect(l.layers.map((x) => `${x.layer}:${x.state}`)).toEqual([
        'reachability:ok',
        'ike:ok',
        'ipsec:ok',
        'bgp:ok',
        'routing:ok',
        'filtering:ok',
      ]);
    }
  });

  it('fills every field of a finding, in English and Japanese', () => {
    const f = diagnose(pskDownWorld()).findings.find((x) => x.rule === 'psk-mismatch');
    expect(f).toMatchObject({
      severity: 'critical',
      layer: 'ike',
      account: IDS.account,
      region: IDS.region,
      vpnGatewayId: IDS.gateway,
      connectionId: IDS.connection,
      tunnelId: IDS.tunnel1,
      codes: ['PskMismatch'],
      runbook: 'psk-mismatch',
    });
    expect(f?.text.en.title).toBe('Pre-shared key mismatch');
    expect(f?.text.ja.title).toBe('事前共有鍵の不一致');
    expect(f?.text.en.summary).toContain(IDS.tunnel1);
    expect(f?.text.en.evidence).toContain('DiagnoseVpnConnections FailedReasonCode: PskMismatch');
    expect(f?.text.en.remediation[0]).toContain('fingerprint 3f2a9c0d1e4b');
    expect(JSON.stringify(f)).not.toContain('{{');
  });

  it('renders no template markers and no empty text for any finding of the recorded incidents', () => {
    const worlds = [
      pskWorld(),
      buildWorld({
        tunnels: { '1': { status: 'ike_sa_not_established' }, '2': { status: 'ike_sa_not_established' } },
      }).snapshot,
      buildWorld({
        connection: { effectImmediately: false },
        tunnels: { '1': { status: 'ike_sa_not_established' } },
      }).snapshot,
    ];
    for (const s of worlds)
      for (const f of diagnose(s).findings)
        for (const lang of ['en', 'ja'] as const) {
          expect(f.text[lang].title.length, f.rule).toBeGreaterThan(0);
          expect(f.text[lang].summary, f.rule).not.toMatch(/\{\{|\}\}/);
          expect(f.text[lang].remediation.length, f.rule).toBeGreaterThan(0);
        }
  });

  it('names the first failing layer on the ladder', () => {
    const d = diagnose(pskWorld());
    const l1 = d.ladders.find((l) => l.tunnelId === IDS.tunnel1);
    expect(l1?.firstFailingLayer).toBe('ike');
    expect(l1?.layers.find((x) => x.layer === 'ike')).toMatchObject({
      state: 'fail',
      rules: ['psk-mismatch'],
    });
    expect(l1?.layers.find((x) => x.layer === 'reachability')?.state).toBe('ok');
    expect(l1?.layers.find((x) => x.layer === 'ipsec')?.state).toBe('unknown');
    expect(d.ladders.find((l) => l.tunnelId === IDS.tunnel2)?.firstFailingLayer).toBeNull();
  });

  it('puts negotiation-failed on the phase the tunnel did not reach', () => {
    const p2 = buildWorld({ tunnels: { '1': { status: 'ipsec_sa_not_established' } } }).snapshot;
    const f = diagnose(p2).findings.find((x) => x.rule === FALLBACK_RULE);
    expect(f?.layer).toBe('ipsec');
    expect(f?.text.en.summary).toContain('no evidence was collected');
  });

  it('marks routing and filtering unknown, never ok, without a complete topology', () => {
    const d = diagnose(buildWorld({ topology: 'partial' }).snapshot);
    const layers = d.ladders[0]?.layers ?? [];
    expect(layers.find((x) => x.layer === 'routing')?.state).toBe('unknown');
    expect(layers.find((x) => x.layer === 'filtering')?.state).toBe('unknown');
  });

  it('gives no finding for data it did not see in an incomplete region', () => {
    const d = diagnose(buildWorld({ connectionsComplete: false, topology: false }).snapshot);
    expect(d.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(
      d.ladders
        .flatMap((l) => l.layers)
        .filter((x) => x.layer === 'routing')
        .every((x) => x.state === 'unknown'),
    ).toBe(true);
  });

  it('evaluates every connection of every region', () => {
    const s = snapshotWith({
      connections: [
        connection(),
        connection({
          id: 'vco-second',
          tunnels: [
            tunnel({ index: 1, id: 'tun-a', status: 'ike_sa_not_established' }),
            tunnel({ index: 2, id: 'tun-b' }),
          ],
        }),
      ],
      evidence: [
        {
          ...evidence('tun-a', { diagnosis: [{ failedReasonCode: 'DpdTimeout', tunnelId: 'tun-a' }] }),
          connectionId: 'vco-second',
        },
      ],
    });
    const d = diagnose(s);
    expect(
      d.findings.filter((f) => f.rule === 'dpd-timeout').map((f) => [f.connectionId, f.tunnelId]),
    ).toEqual([['vco-second', 'tun-a']]);
    expect(d.ladders).toHaveLength(4);
  });
});

describe('user rules', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'alivpn-rules-'));

  it('changes a severity without editing shipped files', () => {
    const rules = loadRules({ severity: { 'psk-mismatch': 'warning' } });
    expect(
      diagnose(pskDownWorld(), { rules }).findings.find((f) => f.rule === 'psk-mismatch')?.severity,
    ).toBe('warning');
  });

  it('adds a rule and overrides a shipped one by id', () => {
    const d = dir();
    writeFileSync(
      join(d, 'weak-crypto.yaml'),
      `id: weak-crypto\nlayer: config\nseverity: warning\nscope: tunnel\nrunbook: weak-crypto\nwhen: tunnel.ike.encAlg == "aes256"\ntext:\n  en: {title: Company policy, summary: "{{ tunnel.id }} uses aes256", remediation: [Use sm4]}\n  ja: {title: 社内規定, summary: "{{ tunnel.id }}", remediation: [sm4]}\n`,
    );
    writeFileSync(
      join(d, 'primary-in-zone-h.yaml'),
      `id: primary-in-zone-h\nlayer: redundancy\nseverity: info\nscope: connection\nrunbook: custom\nwhen: connection.zones.exists(z, z == "cn-hangzhou-h")\nevidence: ["zones {{ connection.zones }}"]\ntext:\n  en: {title: t, summary: s, remediation: [r]}\n  ja: {title: t, summary: s, remediation: [r]}\n`,
    );
    const rules = loadRules({ dirs: [d] });
    expect(rules.sources['weak-crypto']).toBe(join(d, 'weak-crypto.yaml'));
    const fs = diagnose(healthySnapshot(), { rules }).findings;
    expect(fs.filter((f) => f.rule === 'weak-crypto').map((f) => [f.severity, f.text.en.summary])).toEqual([
      ['warning', `${IDS.tunnel1} uses aes256`],
      ['warning', `${IDS.tunnel2} uses aes256`],
    ]);
    expect(fs.find((f) => f.rule === 'primary-in-zone-h')?.text.en.evidence).toEqual([
      'zones cn-hangzhou-h, cn-hangzhou-i',
    ]);
  });

  it('refuses bad user rules and unknown severity ids with the file and field', () => {
    const d = dir();
    writeFileSync(
      join(d, 'x.yaml'),
      'id: y\nlayer: ike\nseverity: warning\nscope: tunnel\nrunbook: y\nwhen: tunnel.bogus\ntext: {en: {title: a, summary: b, remediation: [c]}, ja: {title: a, summary: b, remediation: [c]}}\n',
    );
    expect(() => loadRules({ dirs: [d] })).toThrow(
      /x\.yaml: id: id "y" must equal the file name "x"[\s\S]*x\.yaml: when: unknown fact "tunnel\.bogus"/,
    );
    expect(() => loadRules({ severity: { 'no-such-rule': 'info' } })).toThrow(
      /rules\.severity\.no-such-rule: no rule with id/,
    );
  });
});
