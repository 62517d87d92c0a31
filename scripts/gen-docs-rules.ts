// docs/reference/rules.md: the rule catalogue (cause, evidence, fix in English and Japanese) from
// rules/*.yaml, with the same template rendering as the runbook (scripts/gen-runbook.ts).
import { RULE_LAYERS, type RuleFile } from '../src/diagnose/rule-schema.js';
import { code, doc, table } from './gen-docs-markdown.js';
import { readRules, renderTemplate } from './gen-runbook.js';

const LAYERS: Record<(typeof RULE_LAYERS)[number], { en: string; ja: string }> = {
  reachability: { en: 'Reachability', ja: '到達性' },
  ike: { en: 'IKE (phase 1)', ja: 'IKE（フェーズ 1）' },
  ipsec: { en: 'IPsec (phase 2)', ja: 'IPsec（フェーズ 2）' },
  bgp: { en: 'BGP', ja: 'BGP' },
  routing: { en: 'Routing', ja: 'ルーティング' },
  filtering: {
    en: 'Filtering (security groups, network ACLs)',
    ja: 'フィルタリング（セキュリティグループ、ネットワーク ACL）',
  },
  redundancy: { en: 'Redundancy', ja: '冗長性' },
  config: { en: 'Configuration', ja: '設定' },
};

function renderRule(rule: RuleFile): string {
  const { en, ja } = rule.text;
  const facts = [
    `layer ${code(rule.layer)}`,
    `severity ${code(rule.severity)}`,
    `scope ${code(rule.scope)}`,
    ...(rule.codes.length ? [`codes ${rule.codes.map(code).join(', ')}`] : []),
    `[runbook](../runbook.md#${rule.runbook})`,
  ];
  const lines = [
    `### ${rule.id}`,
    '',
    `**${en.title}** / **${ja.title}** · ${facts.join(' · ')}`,
    '',
    `Fires when: ${code(rule.when.replace(/\s+/g, ' ').trim())}`,
    '',
    `**Cause.** ${renderTemplate(en.summary)}`,
    '',
  ];
  if (rule.evidence.en.length)
    lines.push(
      '**Evidence** (shown when available):',
      '',
      ...rule.evidence.en.map((e) => `- ${renderTemplate(e)}`),
      '',
    );
  lines.push('**Fix.**', '', ...en.remediation.map((r, i) => `${i + 1}. ${renderTemplate(r)}`), '');
  lines.push(`**原因。** ${renderTemplate(ja.summary)}`, '');
  if (rule.evidence.ja.length)
    lines.push(
      '**根拠**（取得できた場合）:',
      '',
      ...rule.evidence.ja.map((e) => `- ${renderTemplate(e)}`),
      '',
    );
  lines.push('**対処。**', '', ...ja.remediation.map((r, i) => `${i + 1}. ${renderTemplate(r)}`));
  return lines.join('\n');
}

export function renderRuleCatalogue(rules: RuleFile[] = readRules()): string {
  const ordered = RULE_LAYERS.flatMap((layer) =>
    rules.filter((r) => r.layer === layer).sort((a, b) => a.id.localeCompare(b.id)),
  );
  const intro = [
    `${rules.length} rules, one file each under [\`rules/\`](../../rules/). The id is stable: it is the ` +
      '`rule` label of `alivpn_finding` and `AliVpnCriticalFinding` and the anchor of its runbook ' +
      'section. The severity is the default; `rules.severity` in the config overrides it per id ' +
      '(`off` disables the rule). ⟨…⟩ marks a value the report fills in from the facts of the tunnel ' +
      'or connection. `alivpn-doctor rules lint [DIR]` validates rule files, `rules test` replays ' +
      'recorded incidents against them.',
    '各ルールの原因・証拠・対処を英語と日本語で示します。重大度は既定値で、設定の `rules.severity` ' +
      'でルールごとに変更できます（`off` で無効化）。',
  ].join('\n\n');
  const overview = table(
    ['rule', 'layer', 'severity', 'scope', 'title', 'タイトル'],
    ordered.map((r) => [
      `[${r.id}](#${r.id})`,
      r.layer,
      r.severity,
      r.scope,
      r.text.en.title,
      r.text.ja.title,
    ]),
  );
  const sections: string[] = ['## Overview', overview];
  for (const layer of RULE_LAYERS) {
    const inLayer = ordered.filter((r) => r.layer === layer);
    if (!inLayer.length) continue;
    sections.push(`## ${LAYERS[layer].en} / ${LAYERS[layer].ja}`, ...inLayer.map(renderRule));
  }
  return doc('Rule catalogue / ルール一覧', intro, sections);
}
