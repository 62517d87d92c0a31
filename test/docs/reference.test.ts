// The generated reference docs (docs/reference/*.md) must match what their sources produce now, say
// what the sources say, and link only to places that exist. Stale? Run `npm run docs`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { renderReferenceDocs } from '../../scripts/gen-docs.js';
import { alertCatalogue } from '../../scripts/gen-docs-alerts.js';
import { metricCatalogue } from '../../scripts/gen-docs-metrics.js';
import { readRules } from '../../scripts/gen-runbook.js';
import { configJsonSchema } from '../../src/config/index.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const generated = renderReferenceDocs();

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to "-". */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    out.add(
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return out;
}

/** Relative links of a Markdown file: [text](target#anchor), outside code. */
function links(markdown: string): { target: string; anchor: string | undefined }[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((href) => !/^[a-z]+:/.test(href))
    .map((href) => {
      const [target, anchor] = href.split('#');
      return { target: target ?? '', anchor };
    });
}

describe('docs/reference', () => {
  it('is up to date with its sources (refresh with `npm run docs`)', () => {
    expect([...generated.keys()].sort()).toEqual(
      ['README.md', 'alerts.md', 'configuration.md', 'metrics.md', 'rules.md'].map(
        (f) => `docs/reference/${f}`,
      ),
    );
    const onDisk = readdirSync(join(ROOT, 'docs/reference')).map((f) => `docs/reference/${f}`);
    expect(onDisk.sort(), 'docs/reference holds only generated pages').toEqual([...generated.keys()].sort());
    for (const [path, content] of generated) {
      expect(read(path), `${path} is stale: run \`npm run docs\``).toBe(content);
    }
  });

  it('documents every config field with its default', () => {
    const doc = generated.get('docs/reference/configuration.md')!;
    const schema = configJsonSchema() as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    for (const [section, s] of Object.entries(schema.properties)) {
      expect(doc).toContain(`## \`${section}\``);
      for (const field of Object.keys(s.properties ?? {})) expect(doc).toContain(`\`${section}.${field}\``);
    }
    expect(doc).toContain('| `accounts[].regions` | list of string (at least 1) |  | yes |');
    expect(doc).toContain('| `poll.status` | string | `"*/30 * * * * *"` |');
    expect(doc).toContain('| `api.budget.cms.rps` | number (> 0, ≤ 10000) | `20` |');
  });

  it('lists every metric of the registry with its type and labels, as docs/architecture.md names them', () => {
    const doc = generated.get('docs/reference/metrics.md')!;
    const metrics = metricCatalogue();
    expect(metrics.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        'alivpn_tunnel_up',
        'alivpn_tunnel_active',
        'alivpn_connection_failovers_total',
        'alivpn_finding',
        'alivpn_collect_success',
        'alivpn_api_requests_total',
        'alivpn_build_info',
      ]),
    );
    for (const m of metrics) {
      expect(doc).toContain(`### ${m.name}\n\n${m.type} · ${m.help}`);
      expect(m.name.startsWith('alivpn_')).toBe(true);
    }
    expect(metrics.find((m) => m.name === 'alivpn_tunnel_up')!.labels).toEqual([
      'account',
      'region',
      'vpn_gateway_id',
      'connection_id',
      'tunnel_id',
      'role',
    ]);
    expect(metrics.find((m) => m.name === 'alivpn_connection_info')!.labels).toEqual([
      'account',
      'region',
      'vpn_gateway_id',
      'connection_id',
      'connection_name',
    ]);
    expect(doc).toContain('Labels: `account`, `region`, `product`, `action`, `code`.');
    // A label that does not apply is absent, and the reference says when.
    expect(doc).toContain(
      '- `tunnel_id` is absent when the finding is about the connection, not one tunnel.',
    );
  });

  it('catalogues every rule with cause and fix in English and Japanese', () => {
    const doc = generated.get('docs/reference/rules.md')!;
    const rules = readRules();
    expect(rules.length).toBeGreaterThan(30);
    for (const r of rules) {
      expect(doc).toContain(`### ${r.id}\n\n**${r.text.en.title}** / **${r.text.ja.title}**`);
      expect(doc).toContain(`[runbook](../runbook.md#${r.runbook})`);
    }
    const psk = doc.slice(
      doc.indexOf('### psk-mismatch'),
      doc.indexOf('\n## ', doc.indexOf('### psk-mismatch')),
    );
    expect(psk).toContain('**Cause.** Tunnel ⟨tunnel.index⟩ (⟨tunnel.id⟩) fails IKE phase 1');
    expect(psk).toContain('- DiagnoseVpnConnections FailedReasonCode: ⟨negotiation.code⟩');
    expect(psk).toMatch(/\*\*Fix\.\*\*\n\n1\. On the on-prem device/);
    expect(psk).toMatch(/\*\*対処。\*\*\n\n1\. オンプレミスデバイス/);
  });

  it('references every alert of alerts.yaml and slo.yaml with its severity and runbook section', () => {
    const doc = generated.get('docs/reference/alerts.md')!;
    const alerts = alertCatalogue();
    const fromYaml = ['alerts.yaml', 'slo.yaml'].flatMap((f) =>
      (
        YAML.parse(read(`dashboards/prometheus/${f}`)) as {
          groups: { rules: { alert?: string }[] }[];
        }
      ).groups.flatMap((g) => g.rules.map((r) => r.alert).filter(Boolean)),
    );
    expect(alerts.map((a) => a.alert)).toEqual(fromYaml);
    for (const a of alerts) {
      expect(doc).toContain(`### ${a.alert}\n\nSeverity \`${a.severity}\` · for ${a.for}`);
      expect(doc).toContain(`(../runbook.md#${a.alert.toLowerCase()})`);
    }
  });

  it('links only to files and headings that exist', () => {
    const pages = [...generated.keys(), 'docs/real-account.md', 'deploy/kubernetes/README.md'];
    let checked = 0;
    for (const page of pages) {
      const text = generated.get(page) ?? read(page);
      const found = links(text);
      checked += found.length;
      for (const { target, anchor } of found) {
        const file = target ? resolve(dirname(join(ROOT, page)), target) : join(ROOT, page);
        expect(existsSync(file), `${page}: link to ${target}`).toBe(true);
        if (anchor && file.endsWith('.md')) {
          const content = generated.get(file.slice(ROOT.length + 1)) ?? readFileSync(file, 'utf8');
          expect(anchors(content).has(anchor), `${page}: link to ${target}#${anchor}`).toBe(true);
        }
      }
    }
    expect(checked).toBeGreaterThan(100); // the rule catalogue alone links 38 runbook sections
  });
});
