// Causes a user rule directory adds: `<dir>/causes/<id>.yaml`, the data form of a cause module
// (see docs/rules-engine.md). Its rule lives beside it as `<dir>/<id>.yaml`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CauseDef } from './types.js';

const lower = z
  .string()
  .min(3, 'must be at least 3 characters')
  .refine((s) => s === s.toLowerCase(), 'must be lower case (lines are matched lower-cased)');

const Weight = z.number().int().min(0).max(100);

const CauseFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case, e.g. my-cause'),
  phase: z.enum(['phase1', 'phase2', 'any']),
  layer: z.enum(['reachability', 'ike', 'ipsec']),
  runbook: z.string().min(1).optional(),
  codes: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[A-Za-z0-9]+$/, 'must be a FailedReasonCode, e.g. PskMismatch'),
        reason: z.string().min(1),
        phase: z.union([z.literal(1), z.literal(2)]).default(1),
        weight: Weight,
        note: z.string().min(1).optional(),
        phased: z.enum(['proposal', 'dh']).optional(),
      }),
    )
    .default([]),
  patterns: z
    .array(
      z
        .strictObject({
          any: z.array(lower).min(1).optional(),
          seq: z.array(lower).min(1).optional(),
          weight: Weight,
          label: z.string().min(1),
          style: z.enum(['charon', 'alibaba']),
          source: z.string().min(1),
          phased: z.enum(['proposal', 'dh']).optional(),
        })
        .refine((p) => p.any || p.seq, 'give `any` or `seq`'),
    )
    .default([]),
});

export interface CauseProblem {
  file: string;
  field: string;
  message: string;
}

/** The cause files of a rule directory (none when it has no causes/ folder). */
export function causeFiles(ruleDir: string): string[] {
  const dir = join(ruleDir, 'causes');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Read and validate one cause file; problems name the file and the field. */
export function readCauseFile(file: string): { cause: CauseDef | null; problems: CauseProblem[] } {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    return {
      cause: null,
      problems: [{ file, field: '(file)', message: `not valid YAML: ${(e as Error).message}` }],
    };
  }
  const parsed = CauseFileSchema.safeParse(raw);
  if (!parsed.success)
    return {
      cause: null,
      problems: parsed.error.issues.map((i) => ({
        file,
        field: i.path.join('.') || '(root)',
        message: i.message,
      })),
    };
  const c = parsed.data;
  const stem = basename(file).replace(/\.ya?ml$/, '');
  if (stem !== c.id)
    return {
      cause: null,
      problems: [{ file, field: 'id', message: `id "${c.id}" must equal the file name "${stem}"` }],
    };
  return { cause: { ...c, runbook: c.runbook ?? c.id }, problems: [] };
}
