// The cause registry is the one list: every cause has its rule file, every rule's `codes:` are the
// codes that can name it, and a user rule directory can add a cause as a data file.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/cli/commands/rules.js';
import { resolvePhased, SHIPPED } from '../../src/diagnose/causes/registry.js';
import { diagnose } from '../../src/diagnose/engine.js';
import { buildWorld } from '../../src/diagnose/incidents/spec.js';
import { defaultRules, loadRules, RuleLoadError } from '../../src/diagnose/rules-loader.js';
import { FAILED_REASON_CODES } from '../../src/sim/world/types.js';

const rules = defaultRules().rules;
const ruleById = new Map(rules.map((r) => [r.id, r]));

describe('shipped cause registry', () => {
  it('has a rule file, with the same runbook anchor and layer, for every cause', () => {
    for (const c of SHIPPED.causes) {
      expect(ruleById.has(c.id), `rules/${c.id}.yaml`).toBe(true);
      expect(ruleById.get(c.id)?.runbook).toBe(c.runbook);
      if (c.layer) expect(ruleById.get(c.id)?.layer, c.id).toBe(c.layer);
    }
  });

  it("lists in each rule's codes exactly the FailedReasonCodes that can name it", () => {
    for (const rule of rules.filter((r) => SHIPPED.has(r.id))) {
      const naming = SHIPPED.codes().filter((code) => {
        const cause = SHIPPED.mapCode(code).cause;
        if (cause === null) return rule.id === 'negotiation-failed';
        return resolvePhased(cause, false) === rule.id || resolvePhased(cause, true) === rule.id;
      });
      expect([...rule.codes].sort(), rule.id).toEqual(naming.sort());
    }
  });

  it('declares each code once, and the simulator reports every code but NoExceptionFound', () => {
    const codes = SHIPPED.codes();
    expect(new Set(codes).size).toBe(codes.length);
    expect([...FAILED_REASON_CODES].sort()).toEqual(codes.filter((c) => c !== 'NoExceptionFound').sort());
  });

  it('keeps every pattern lower case and names its source', () => {
    for (const p of SHIPPED.patterns) {
      for (const s of [...(p.any ?? []), ...(p.seq ?? [])]) expect(s).toBe(s.toLowerCase());
      expect(p.source.length).toBeGreaterThan(3);
    }
  });
});

describe('a cause added by a user rule directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alivpn-cause-'));
  mkdirSync(join(dir, 'causes'));
  writeFileSync(
    join(dir, 'frobnicator-jam.yaml'),
    `id: frobnicator-jam
layer: ike
severity: critical
scope: tunnel
codes: [FrobnicatorJammed]
runbook: frobnicator-jam
when: 'tunnel.down && negotiation.cause == "frobnicator-jam"'
evidence: ["Log: {{ negotiation.matchedLine }}", "Code: {{ negotiation.code }}"]
text:
  en: { title: Frobnicator jammed, summary: s, remediation: [r] }
  ja: { title: t, summary: s, remediation: [r] }
`,
  );
  writeFileSync(
    join(dir, 'causes', 'frobnicator-jam.yaml'),
    `id: frobnicator-jam
phase: phase1
layer: ike
codes: [{ code: FrobnicatorJammed, reason: Frobnicator jammed, weight: 100 }]
patterns:
  - { any: ["frobnicator jammed"], weight: 90, label: frobnicator jammed, style: charon, source: a vendor patch }
`,
  );

  it('is named from its log line and from its FailedReasonCode', () => {
    const loaded = loadRules({ dirs: [dir] });
    const fromLog = buildWorld({
      tunnels: { '1': { status: 'ike_sa_not_established' } },
      evidence: { '1': { logs: ['09[IKE] frobnicator jammed on 198.18.0.2'] } },
    });
    const a = diagnose(fromLog.snapshot, { rules: loaded }).findings.find(
      (f) => f.rule === 'frobnicator-jam',
    );
    expect(a?.text.en.evidence.join('\n')).toMatch(/Log: .*frobnicator jammed on 198.18.0.2/);
    const fromCode = buildWorld({
      tunnels: { '1': { status: 'ike_sa_not_established' } },
      evidence: { '1': { diagnosis: [{ failedReasonCode: 'FrobnicatorJammed' }] } },
    });
    const b = diagnose(fromCode.snapshot, { rules: loaded }).findings.find(
      (f) => f.rule === 'frobnicator-jam',
    );
    expect(b?.codes).toEqual(['FrobnicatorJammed']);
    // Without the directory the shipped registry does not know it.
    expect(diagnose(fromLog.snapshot).findings.some((f) => f.rule === 'frobnicator-jam')).toBe(false);
  });

  it('is linted with the rules, and refused with a clear error without its rule', () => {
    const out: string[] = [];
    expect(lint(dir, (t) => out.push(t))).toBe(0);
    const bare = mkdtempSync(join(tmpdir(), 'alivpn-cause-'));
    mkdirSync(join(bare, 'causes'));
    writeFileSync(
      join(bare, 'causes', 'x.yaml'),
      'id: x\nphase: later\npatterns: [{ any: [Loud], weight: 5 }]\n',
    );
    let err: unknown;
    try {
      loadRules({ dirs: [bare] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuleLoadError);
    const msg = (err as Error).message;
    expect(msg).toContain(`${join(bare, 'causes', 'x.yaml')}: phase:`);
    expect(msg).toContain('patterns.0.any.0: must be lower case');
  });
});
