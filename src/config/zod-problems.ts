// Turn zod issues into our problem list with messages an operator can act on. Values of secret
// fields (the keys the one secret scrubber, src/log/redact.ts, calls secret) are never echoed.
import type { z } from 'zod';
import { isSecretKey } from '../log/redact.js';
import type { ConfigProblem, PathSegment } from './interpolate.js';

export function zodProblems(error: z.ZodError): ConfigProblem[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    // One problem per unknown key, located at the key itself.
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: 'unknown key (not part of the config format)',
      }));
    return [{ path, message: describeIssue(issue, path) }];
  });
}

function describeIssue(issue: z.core.$ZodIssue, path: PathSegment[]): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `expected ${issue.expected}, got ${kindOf(issue.input)}`;
    case 'invalid_value': {
      const secret = path.some((s) => typeof s === 'string' && isSecretKey(s));
      const got = secret || issue.input === undefined ? '' : ` (got ${JSON.stringify(issue.input)})`;
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got}`;
    }
    case 'too_small':
    case 'too_big':
      return /^Too (small|big)/.test(issue.message) ? describeBound(issue) : issue.message;
    default:
      return issue.message;
  }
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

function describeBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = Number(
    small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum,
  );
  const inclusive = issue.inclusive !== false;
  const got = typeof issue.input === 'number' ? ` (got ${issue.input})` : '';
  if (issue.origin === 'array')
    return small ? `needs at least ${limit} item(s)` : `allows at most ${limit} item(s)`;
  if (issue.origin === 'string')
    return small ? `must be at least ${limit} character(s)` : `must be at most ${limit} character(s)`;
  const relation = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
  return `must be ${relation} ${limit}${got}`;
}
