// Evidence is bilingual: every shipped rule writes its evidence lines in English and Japanese
// (`evidence: { en, ja }`), the texts that facts carry (log labels, code notes, set-aside and
// missing evidence) render in Japanese in Japanese findings, and a rule file with a plain
// evidence list (written before evidence was bilingual) still loads, for both languages.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { labelJa, noteJa, TRANSLATED } from '../../src/diagnose/causes/labels-ja.js';
import { SHIPPED_CAUSES } from '../../src/diagnose/causes/registry.js';
import { diagnose } from '../../src/diagnose/engine.js';
import { buildWorld } from '../../src/diagnose/incidents/spec.js';
import { readRuleFile, ruleFiles, shippedRulesDir } from '../../src/diagnose/rules-loader.js';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('bilingual evidence', () => {
  it('every shipped rule has evidence in both languages, the Japanese written in Japanese', () => {
    for (const file of ruleFiles(shippedRulesDir())) {
      const raw = parseYaml(readFileSync(file, 'utf8')) as { evidence?: unknown };
      if (raw.evidence === undefined) continue;
      expect(Array.isArray(raw.evidence), `${file}: evidence is { en, ja }`).toBe(false);
      const ev = raw.evidence as { en: string[]; ja: string[] };
      expect(ev.ja.length, file).toBe(ev.en.length);
      for (const line of ev.ja) {
        // A line that is only a fact (a list of texts the facts translate) has nothing to translate.
        if (/^\{\{[^}]*\}\}$/.test(line.trim())) continue;
        expect(line, file).toMatch(JAPANESE);
      }
    }
  });

  it('reads a plain evidence list as both languages, and names the field of a broken line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alivpn-evidence-'));
    const head =
      'layer: ike\nseverity: info\nscope: tunnel\nrunbook: x\nwhen: "tunnel.down"\ntext: {en: {title: a, summary: b, remediation: [c]}, ja: {title: a, summary: b, remediation: [c]}}\n';
    writeFileSync(join(dir, 'plain.yaml'), `id: plain\n${head}evidence: ["Status {{ tunnel.status }}"]\n`);
    const plain = readRuleFile(join(dir, 'plain.yaml'));
    expect(plain.problems).toEqual([]);
    expect(plain.rule?.evidence.ja.map((t) => t.source)).toEqual(['Status {{ tunnel.status }}']);
    writeFileSync(
      join(dir, 'both.yaml'),
      `id: both\n${head}evidence: {en: ["Status {{ tunnel.status }}"], ja: ["状態 {{ tunnel.nothing }}"]}\n`,
    );
    expect(readRuleFile(join(dir, 'both.yaml')).problems).toEqual([
      { file: join(dir, 'both.yaml'), field: 'evidence.ja.0', message: 'unknown fact "tunnel.nothing"' },
    ]);
  });

  it('has the Japanese of every shipped log label and code note', () => {
    const labels = SHIPPED_CAUSES.flatMap((c) => c.patterns.map((p) => p.label));
    const notes = SHIPPED_CAUSES.flatMap((c) =>
      c.codes.flatMap((x) => ('note' in x && x.note ? [x.note] : [])),
    );
    expect(labels.filter((l) => !TRANSLATED.labels.has(l))).toEqual([]);
    expect(notes.filter((n) => !TRANSLATED.notes.has(n))).toEqual([]);
    expect(labelJa('no answer (timeout) after the peer had answered')).toBe(
      '応答なし (タイムアウト) (ピアの応答後)',
    );
    expect(noteJa('the peer proposes AH; Alibaba Cloud supports only ESP')).toMatch(JAPANESE);
  });

  it('renders a Japanese finding from the facts’ Japanese: label, evidence lines, set-aside evidence', () => {
    const { snapshot } = buildWorld({
      tunnels: { '1': { status: 'ike_sa_not_established' } },
      evidence: {
        '1': {
          logs: ["tried 1 shared key for '47.96.10.1' - '203.0.113.10', but MAC mismatched"],
          diagnosis: [{ failedReasonCode: 'PfsMismatch' }],
        },
      },
    });
    const f = diagnose(snapshot).findings.find((x) => x.rule === 'psk-mismatch');
    expect(f).toBeDefined();
    const ja = f!.text.ja.evidence.join('\n');
    expect(ja).toContain('ログ (復号/MAC の失敗)');
    expect(ja).toMatch(/トンネル 1 \(tun-[a-z0-9]+、プライマリ\) のステータス: ike_sa_not_established/);
    expect(ja).toContain('採用しなかった根拠: DiagnoseVpnConnections code PfsMismatch は pfs-mismatch');
    expect(ja).not.toMatch(/Set aside|Evidence age|status:/);
    expect(f!.text.en.evidence.join('\n')).toContain('Log (decryption/MAC failure)');
  });
});
