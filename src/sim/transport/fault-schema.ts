// Validates fault rules that arrive over the control endpoint, so a typo is a clear 400 rather
// than a rule that silently never fires.
import { z } from 'zod';
import type { FaultRule } from '../protocol.js';

const faultRule = z
  .object({
    product: z.enum(['vpc', 'ecs', 'cms']).optional(),
    action: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
    account: z.string().min(1).optional(),
    kind: z.enum(['latency', 'throttle', 'qps', 'error5xx', 'html502', 'malformed', 'timeout', 'apiError']),
    ms: z.number().int().nonnegative().optional(),
    ratio: z.number().min(0).max(1).optional(),
    qps: z.number().positive().optional(),
    status: z.number().int().min(400).max(599).optional(),
    code: z.string().min(1).optional(),
    message: z.string().optional(),
    count: z.number().int().positive().optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.kind === 'qps' && rule.qps === undefined)
      ctx.addIssue({ code: 'custom', message: 'qps rule needs "qps"', path: ['qps'] });
    if (rule.kind === 'apiError' && rule.code === undefined)
      ctx.addIssue({ code: 'custom', message: 'apiError rule needs "code"', path: ['code'] });
    if (rule.kind === 'error5xx' && rule.status !== undefined && rule.status < 500) {
      ctx.addIssue({ code: 'custom', message: 'error5xx status must be 5xx', path: ['status'] });
    }
  });

/** A single rule or a list of rules; throws an Error naming each bad field (`faults[0].kind: …`). */
export function parseFaultRules(input: unknown): FaultRule[] {
  const list = Array.isArray(input) ? input : [input];
  const result = z.array(faultRule).safeParse(list);
  if (!result.success) {
    const problems = result.error.issues.map(
      (i) =>
        `faults${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${i.message}`,
    );
    throw new Error(problems.join('; '));
  }
  return result.data as FaultRule[];
}
