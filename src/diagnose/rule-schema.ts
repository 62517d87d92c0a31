// The rule file format (docs/rules-engine.md, "Rule file format") as a zod schema.
import { z } from 'zod';

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export const RULE_LAYERS = [
  'reachability',
  'ike',
  'ipsec',
  'bgp',
  'routing',
  'filtering',
  'redundancy',
  'config',
] as const;
export const SCOPES = ['tunnel', 'connection'] as const;

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const LangText = z.strictObject({
  title: nonEmpty,
  summary: nonEmpty,
  remediation: z.array(nonEmpty).min(1, 'give at least one remediation step'),
});

export const RuleFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case, e.g. psk-mismatch'),
  layer: z.enum(RULE_LAYERS),
  severity: z.enum(SEVERITIES),
  scope: z.enum(SCOPES),
  codes: z.array(nonEmpty).default([]),
  runbook: nonEmpty,
  when: nonEmpty,
  evidence: z.array(nonEmpty).default([]),
  text: z.strictObject({ en: LangText, ja: LangText }),
});

export type RuleFile = z.infer<typeof RuleFileSchema>;
