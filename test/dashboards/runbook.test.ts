// docs/runbook.md: up to date with rules/*.yaml, and every runbook_url anchor exists.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import {
  BEGIN_MARKER,
  END_MARKER,
  placeholder,
  RUNBOOK_PATH,
  readRules,
  renderTemplate,
  updateRunbook,
} from '../../scripts/gen-runbook.js';
import { SHIPPED } from '../../src/diagnose/causes/registry.js';

/** Rule ids: every cause of the registry (its fallback included) has its section too. */
const DESIGN_RULE_IDS = SHIPPED.causes.map((c) => c.runbook);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const runbook = readFileSync(RUNBOOK_PATH, 'utf8');
const anchors = new Set([...runbook.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));

describe('docs/runbook.md', () => {
  it('is up to date with rules/*.yaml (run `npx tsx scripts/gen-runbook.ts`)', () => {
    expect(updateRunbook(runbook, readRules())).toBe(runbook);
  });

  it('has a section for every rule file and every catalogued rule id (docs/architecture.md)', () => {
    const rules = readRules();
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(anchors.has(rule.id), `section for rule ${rule.id}`).toBe(true);
      expect(rule.runbook, `${rule.id}: runbook field`).toBe(rule.id);
    }
    const missing = DESIGN_RULE_IDS.filter((id) => !anchors.has(id));
    expect(missing).toEqual([]);
  });

  it('has the anchor of every alert runbook_url', () => {
    const files = ['alerts.yaml', 'slo.yaml'].map(
      (f) =>
        YAML.parse(readFileSync(new URL(`../../dashboards/prometheus/${f}`, import.meta.url), 'utf8')) as {
          groups: { rules: { alert?: string; annotations: { runbook_url: string } }[] }[];
        },
    );
    const alerts = files.flatMap((f) => f.groups.flatMap((g) => g.rules)).filter((r) => r.alert);
    for (const rule of alerts as { alert: string; annotations: { runbook_url: string } }[]) {
      const anchor = rule.annotations.runbook_url.split('#')[1]!;
      expect(anchors.has(slug(rule.alert)), `section for ${rule.alert}`).toBe(true);
      if (anchor.includes('{{')) {
        // AliVpnCriticalFinding: the anchor is the rule id, checked above for every rule.
        expect(anchor).toBe('{{ $labels.rule }}');
      } else {
        expect(anchor).toBe(slug(rule.alert));
      }
    }
  });
});

describe('scripts/gen-runbook.ts', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('renders template expressions as readable placeholders', () => {
    expect(placeholder(' tunnel.id ')).toBe('⟨tunnel.id⟩');
    expect(placeholder('string(tunnel.index)')).toBe('⟨tunnel.index⟩');
    expect(placeholder('tunnel.enableDpd ? "enabled" : "disabled"')).toBe(
      'enabled / disabled (depending on `tunnel.enableDpd`)',
    );
    expect(placeholder('gateway.notActive ? "Gateway " + gateway.id + " is down." : ""')).toBe(
      '(when `gateway.notActive`) Gateway ⟨gateway.id⟩ is down.',
    );
    expect(placeholder('routing.missing.map(m, m.text)')).toBe('⟨routing.missing …⟩');
    expect(renderTemplate('Tunnel {{ tunnel.index }}\n  ({{ tunnel.id }})')).toBe(
      'Tunnel ⟨tunnel.index⟩ (⟨tunnel.id⟩)',
    );
  });

  it('replaces only the block between the markers', () => {
    const rules = readRules();
    const handWritten = `# Runbook\n\nhand-written\n\n${BEGIN_MARKER}\nold\n${END_MARKER}\n\ntrailer\n`;
    const updated = updateRunbook(handWritten, rules);
    expect(updated.startsWith('# Runbook\n\nhand-written\n\n')).toBe(true);
    expect(updated.endsWith(`${END_MARKER}\n\ntrailer\n`)).toBe(true);
    expect(updated).not.toContain('\nold\n');
    expect(updated).toContain('### psk-mismatch');
    expect(updateRunbook(updated, rules)).toBe(updated);
  });

  it('names the file and field of an invalid rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alivpn-runbook-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'broken-rule.yaml'), 'id: broken-rule\nlayer: nowhere\n');
    expect(() => readRules(dir)).toThrow(/broken-rule\.yaml: invalid rule file: .*layer/);
  });
});
