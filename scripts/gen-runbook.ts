// Regenerates the per-rule sections of docs/runbook.md from rules/*.yaml.
// The alert sections above the markers are written by hand; everything between the markers is
// replaced. Usage: `npx tsx scripts/gen-runbook.ts` (write) or `--check` (exit 1 when out of date).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { RULE_LAYERS, type RuleFile, RuleFileSchema } from '../src/diagnose/rule-schema.js';
import { ruleFiles } from '../src/diagnose/rules-loader.js';

export const BEGIN_MARKER = '<!-- BEGIN GENERATED RULE SECTIONS: scripts/gen-runbook.ts -->';
export const END_MARKER = '<!-- END GENERATED RULE SECTIONS -->';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const RUNBOOK_PATH = resolve(ROOT, 'docs/runbook.md');
export const RULES_DIR = resolve(ROOT, 'rules');

/** Redundancy rules that have their own alert; every other critical rule pages as AliVpnCriticalFinding. */
const OWN_ALERT: Record<string, string> = {
  'connection-down': 'AliVpnConnectionDown',
  'failover-active': 'AliVpnFailover',
  'standby-tunnel-down': 'AliVpnStandbyTunnelDown',
  'tunnel-flapping': 'AliVpnTunnelFlapping',
};

const LAYER_TITLES: Record<(typeof RULE_LAYERS)[number], string> = {
  reachability: 'Reachability: can the two ends reach each other',
  ike: 'IKE (phase 1)',
  ipsec: 'IPsec (phase 2)',
  bgp: 'BGP',
  routing: 'Routing',
  filtering: 'Filtering (security groups, network ACLs)',
  redundancy: 'Redundancy',
  config: 'Configuration',
};

/** Reads and validates every rule file; errors name the file. */
export function readRules(dir = RULES_DIR): RuleFile[] {
  return ruleFiles(dir).map((file) => {
    const parsed = RuleFileSchema.safeParse(YAML.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new Error(`${basename(file)}: invalid rule file: ${issues.join('; ')}`);
    }
    return parsed.data;
  });
}

/** Splits a CEL expression at `sep` where it stands outside quotes and brackets. */
function splitTopLevel(expr: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (depth === 0 && expr.startsWith(sep, i)) {
      parts.push(expr.slice(start, i).trim());
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(expr.slice(start).trim());
  return parts;
}

const STRING_LITERAL = /^(["'])((?:\\.|(?!\1).)*)\1$/s;

/**
 * A template expression as a reader can follow it without the facts: a fact path becomes
 * ⟨tunnel.id⟩, string concatenations keep their literal text, `c ? "text" : ""` becomes
 * "(when `c`) text"; anything else is named by the first fact path it reads.
 */
export function placeholder(expr: string): string {
  const trimmed = expr.trim();
  const literal = STRING_LITERAL.exec(trimmed);
  if (literal) return literal[2]!.replace(/\\(.)/g, '$1');
  if (/^[A-Za-z_][\w.]*$/.test(trimmed)) return `⟨${trimmed}⟩`;
  const stringCall = /^string\(([A-Za-z_][\w.]*)\)$/.exec(trimmed);
  if (stringCall) return `⟨${stringCall[1]}⟩`;
  const [condition, rest] = splitTopLevel(trimmed, '?');
  if (rest !== undefined && splitTopLevel(trimmed, '?').length === 2) {
    const branches = splitTopLevel(rest, ':');
    if (branches.length === 2) {
      const [yes, no] = branches.map(placeholder) as [string, string];
      // Keep the branch's leading space outside the marker: "x (when `c`) text", not "x(when …".
      const lead = (text: string): string => (/^\s/.test(text) ? ' ' : '');
      if (no === '') return `${lead(yes)}(when \`${condition}\`) ${yes.trimStart()}`;
      if (yes === '') return `${lead(no)}(unless \`${condition}\`) ${no.trimStart()}`;
      return `${yes} / ${no} (depending on \`${condition}\`)`;
    }
  }
  const terms = splitTopLevel(trimmed, '+');
  if (terms.length > 1) return terms.map(placeholder).join('');
  const found = /[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+/.exec(trimmed);
  if (!found) return '⟨…⟩';
  // `routing.missing.map(` is a method call on the fact `routing.missing`.
  const isCall = trimmed[found.index + found[0].length] === '(';
  const path = isCall ? found[0].slice(0, found[0].lastIndexOf('.')) : found[0];
  return `⟨${path} …⟩`;
}

export const renderTemplate = (text: string): string =>
  text
    .replace(/\{\{([\s\S]*?)\}\}/g, (_m, expr: string) => placeholder(expr))
    .replace(/\s+/g, ' ')
    .trim();

function alertLine(rule: RuleFile): string {
  const own = OWN_ALERT[rule.id];
  if (own) return `Alert: [${own}](#${own.toLowerCase()}) (this finding is not paged again on its own).`;
  if (rule.severity === 'critical') {
    return (
      'Alert: [AliVpnCriticalFinding](#alivpncriticalfinding) with `rule="' +
      rule.id +
      '"` (default severity critical).'
    );
  }
  return `Alert: none by default (severity ${rule.severity}); it shows in the report, \`alivpn_finding\` and the dashboards. A config override to critical makes it page as [AliVpnCriticalFinding](#alivpncriticalfinding).`;
}

export function renderRule(rule: RuleFile): string {
  const en = rule.text.en;
  const ja = rule.text.ja;
  const lines = [
    `### ${rule.id}`,
    '',
    `**${en.title}** · layer \`${rule.layer}\` · severity \`${rule.severity}\` · scope \`${rule.scope}\`` +
      (rule.codes.length ? ` · codes ${rule.codes.map((c) => `\`${c}\``).join(', ')}` : ''),
    '',
    renderTemplate(en.summary),
    '',
    alertLine(rule),
    '',
  ];
  if (rule.evidence.en.length) {
    lines.push(
      'Evidence the report shows:',
      '',
      ...rule.evidence.en.map((e) => `- ${renderTemplate(e)}`),
      '',
    );
  }
  lines.push('Fix:', '', ...en.remediation.map((r, i) => `${i + 1}. ${renderTemplate(r)}`), '');
  lines.push(
    '<details><summary>日本語</summary>',
    '',
    `**${ja.title}**`,
    '',
    renderTemplate(ja.summary),
    '',
    ...(rule.evidence.ja.length
      ? ['レポートに示す根拠:', '', ...rule.evidence.ja.map((e) => `- ${renderTemplate(e)}`), '']
      : []),
    ...ja.remediation.map((r, i) => `${i + 1}. ${renderTemplate(r)}`),
    '',
    '</details>',
    '',
  );
  return lines.join('\n');
}

/** The generated block: rules grouped by layer in ladder order, then by id. */
export function renderRuleSections(rules: RuleFile[]): string {
  const out = [
    BEGIN_MARKER,
    '',
    '## Rules',
    '',
    'One section per rule id (the `rule` label of `alivpn_finding` and `AliVpnCriticalFinding`). ' +
      '⟨…⟩ marks a value the report fills in from the facts of the connection.',
    '',
  ];
  for (const layer of RULE_LAYERS) {
    const inLayer = rules.filter((r) => r.layer === layer).sort((a, b) => a.id.localeCompare(b.id));
    if (!inLayer.length) continue;
    out.push(`## Layer: ${LAYER_TITLES[layer]}`, '', ...inLayer.map(renderRule));
  }
  out.push(END_MARKER);
  return out.join('\n');
}

/** The runbook with its generated block replaced (or appended when the markers are missing). */
export function updateRunbook(current: string, rules: RuleFile[]): string {
  const block = renderRuleSections(rules);
  const begin = current.indexOf(BEGIN_MARKER);
  const end = current.indexOf(END_MARKER);
  if (begin === -1 || end === -1 || end < begin) return `${current.trimEnd()}\n\n${block}\n`;
  return current.slice(0, begin) + block + current.slice(end + END_MARKER.length);
}

function main(argv: string[]): number {
  const current = readFileSync(RUNBOOK_PATH, 'utf8');
  const next = updateRunbook(current, readRules());
  if (argv.includes('--check')) {
    if (next === current) return 0;
    process.stderr.write('docs/runbook.md is out of date: run `npx tsx scripts/gen-runbook.ts`\n');
    return 1;
  }
  if (next !== current) writeFileSync(RUNBOOK_PATH, next);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
