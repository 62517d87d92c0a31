// Checks that span several fields. They run on the raw (interpolated) document, independently of the
// schema, so that they are reported together with every field error rather than after them.
import type { ConfigProblem } from './interpolate.js';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);
const present = (v: unknown) => v !== undefined && v !== null && v !== '';

export function crossFieldProblems(doc: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isObject(doc)) return problems;
  const accounts = Array.isArray(doc.accounts) ? doc.accounts : [];
  const names = new Map<string, number>();
  accounts.forEach((account, i) => {
    if (!isObject(account)) return;
    const at = (...rest: Array<string | number>) => ['accounts', i, ...rest];
    if (typeof account.name === 'string') {
      const first = names.get(account.name);
      if (first !== undefined)
        problems.push({
          path: at('name'),
          message: `account name "${account.name}" is already used by accounts[${first}]`,
        });
      else names.set(account.name, i);
    }
    const hasId = present(account.accessKeyId);
    const hasSecret = present(account.accessKeySecret);
    if (hasId !== hasSecret)
      problems.push({
        path: at(hasId ? 'accessKeySecret' : 'accessKeyId'),
        message: `is missing: accessKeyId and accessKeySecret go together (give both, or neither to use the default credential chain)`,
      });
    if (present(account.securityToken) && !hasId)
      problems.push({
        path: at('securityToken'),
        message: 'needs accessKeyId and accessKeySecret (the STS AccessKey pair)',
      });
    if (Array.isArray(account.regions)) {
      const seen = new Set<unknown>();
      account.regions.forEach((r, j) => {
        if (seen.has(r))
          problems.push({ path: at('regions', j), message: `region "${String(r)}" is listed twice` });
        seen.add(r);
      });
    }
  });
  const retries = isObject(doc.api) && isObject(doc.api.retries) ? doc.api.retries : undefined;
  const base = Number(retries?.baseDelayMs ?? 200);
  const max = Number(retries?.maxDelayMs ?? 5000);
  if (Number.isFinite(base) && Number.isFinite(max) && base > max)
    problems.push({
      path: ['api', 'retries', 'baseDelayMs'],
      message: `${base} must not exceed maxDelayMs (${max})`,
    });
  return problems;
}
