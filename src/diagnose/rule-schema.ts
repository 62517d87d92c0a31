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

const Lines = z.array(nonEmpty);
/**
 * Evidence lines in both languages, `{ en: [...], ja: [...] }`. A plain list is still read (rule
 * files written before evidence was bilingual) and used for both languages.
 */
const Evidence = z
  .union([Lines, z.strictObject({ en: Lines, ja: Lines })])
  .default([])
  .transform((e) => (Array.isArray(e) ? { en: e, ja: e, bilingual: false } : { ...e, bilingual: true }));

export const RuleFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case, e.g. psk-mismatch'),
  layer: z.enum(RULE_LAYERS),
  severity: z.enum(SEVERITIES),
  scope: z.enum(SCOPES),
  codes: z.array(nonEmpty).default([]),
  runbook: nonEmpty,
  when: nonEmpty,
  evidence: Evidence,
  text: z.strictObject({ en: LangText, ja: LangText }),
});

export type RuleFile = z.infer<typeof RuleFileSchema>;
