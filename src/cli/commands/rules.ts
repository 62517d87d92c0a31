// `alivpn-doctor rules lint [DIR]` and `rules test [--incidents DIR] [--rules DIR]…`.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FACT_CATALOGUE } from '../../diagnose/fact-catalogue.js';
import { type IncidentResult, runIncidents } from '../../diagnose/incidents/replay.js';
import {
  lintDir,
  loadRules,
  RuleLoadError,
  type RuleProblem,
  shippedRulesDir,
} from '../../diagnose/rules-loader.js';
import { parse, UsageError } from '../args.js';

type Write = (text: string) => void;
const stdout: Write = (t) => process.stdout.write(t);

/** Default place of recorded incidents: test/incidents beside the shipped rules. */
export const defaultIncidentsDir = (): string => resolve(shippedRulesDir(), '..', 'test', 'incidents');

export function formatProblems(problems: RuleProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.field}: ${p.message}\n`).join('');
}

/** Lint one directory; 0 when clean, 1 with problems. */
export function lint(dir: string, out: Write = stdout): number {
  let problems: RuleProblem[];
  try {
    problems = lintDir(dir);
  } catch (e) {
    out(`${(e as Error).message}\n`);
    return 1;
  }
  if (problems.length === 0) {
    out(`rules lint: ${dir}: ok\n`);
    return 0;
  }
  out(formatProblems(problems));
  out(`rules lint: ${problems.length} problem(s)\n`);
  return 1;
}

export function formatResults(results: IncidentResult[]): string {
  const width = Math.max(8, ...results.map((r) => r.name.length));
  const lines = [`${'INCIDENT'.padEnd(width)}  RESULT  DETAIL`];
  for (const r of results)
    lines.push(
      `${r.name.padEnd(width)}  ${r.passed ? 'PASS  ' : 'FAIL  '}  ${r.passed ? '' : r.failures.join('; ')}`,
    );
  const failed = results.filter((r) => !r.passed).length;
  lines.push('', `${results.length - failed} passed, ${failed} failed`);
  return `${lines.join('\n')}\n`;
}

/** Replay incidents with the shipped rules plus `ruleDirs`; 0 when all pass. */
export function test(incidentsDir: string, ruleDirs: string[], out: Write = stdout): number {
  if (!existsSync(incidentsDir)) {
    // The recorded incidents live in the repository (test/incidents), not in the installed package.
    out(`rules test: incidents directory not found: ${incidentsDir} (give one with --incidents DIR)\n`);
    return 1;
  }
  let rules: ReturnType<typeof loadRules>;
  try {
    rules = loadRules({ dirs: ruleDirs });
  } catch (e) {
    out(e instanceof RuleLoadError ? formatProblems(e.problems) : `${(e as Error).message}\n`);
    return 1;
  }
  const results = runIncidents(incidentsDir, rules);
  if (results.length === 0) {
    out(`rules test: no incidents in ${incidentsDir}\n`);
    return 1;
  }
  out(formatResults(results));
  return results.every((r) => r.passed) ? 0 : 1;
}

/** The fact catalogue, one line per fact: what rule conditions and templates may name. */
export function facts(out: Write = stdout): number {
  const width = Math.max(...FACT_CATALOGUE.map((f) => f.name.length));
  out(FACT_CATALOGUE.map((f) => `${f.name.padEnd(width)}  ${f.type.padEnd(14)}  ${f.doc}\n`).join(''));
  return 0;
}

const USAGE = 'rules lint [DIR] | rules test [--incidents DIR] [--rules DIR]… | rules facts';

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'lint') {
    const { positionals } = parse(rest, {}, true);
    if (positionals.length > 1) throw new UsageError(`rules lint takes one directory (${USAGE})`);
    return lint(resolve(positionals[0] ?? shippedRulesDir()));
  }
  if (sub === 'test') {
    const { values } = parse(rest, {
      incidents: { type: 'string' },
      rules: { type: 'string', multiple: true },
    });
    return test(
      resolve(values.incidents ?? defaultIncidentsDir()),
      (values.rules ?? []).map((d) => resolve(d)),
    );
  }
  if (sub === 'facts') return facts();
  throw new UsageError(sub ? `unknown rules sub-command "${sub}" (${USAGE})` : USAGE);
}
