// Loads rules/*.yaml: schema (zod), CEL conditions and templates compiled once, fact names checked.
// Shipped rules load first; each user directory adds rules or replaces them by id.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Layer, Severity } from '../model/finding.js';
import { type CauseRegistry, SHIPPED } from './causes/registry.js';
import type { CauseDef } from './causes/types.js';
import { causeFiles, readCauseFile } from './causes/user.js';
import { CelCompileError, type Compiled, compile } from './cel.js';
import { factRefs } from './cel-refs.js';
import { type Scope, unknownFact } from './fact-catalogue.js';
import { RuleFileSchema, SEVERITIES } from './rule-schema.js';
import { compileTemplate, type Template, templateExprs } from './template.js';

export interface CompiledText {
  title: Template;
  summary: Template;
  remediation: Template[];
}

export interface CompiledRule {
  id: string;
  layer: Layer;
  severity: Severity;
  scope: Scope;
  codes: string[];
  runbook: string;
  when: Compiled;
  /** Evidence lines per language (a rule file's plain list serves both). */
  evidence: { en: Template[]; ja: Template[] };
  text: { en: CompiledText; ja: CompiledText };
  /** The file the rule came from. */
  file: string;
}

export interface LoadedRules {
  rules: CompiledRule[];
  /** Shipped causes plus those the user directories add (absent: the shipped ones). */
  causes?: CauseRegistry;
  /** Rule id → file, after overrides. */
  sources: Record<string, string>;
}

export interface RuleProblem {
  file: string;
  /** Dotted field path, e.g. "text.ja.remediation.0" or "when". */
  field: string;
  message: string;
}

export class RuleLoadError extends Error {
  constructor(readonly problems: RuleProblem[]) {
    super(`invalid rules:\n${problems.map((p) => `  ${p.file}: ${p.field}: ${p.message}`).join('\n')}`);
  }
}

/** The rules/ directory shipped with the package (found from this module, in src or dist). */
export function shippedRulesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = resolve(here, up, 'rules');
    if (existsSync(dir) && existsSync(resolve(here, up, 'package.json'))) return dir;
  }
  return resolve(here, '../../rules');
}

export function ruleFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`rules directory not found: ${dir}`);
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function compileField(
  problems: RuleProblem[],
  file: string,
  field: string,
  source: string,
  scope: Scope,
  kind: 'expr' | 'template',
): Compiled[] | Template | null {
  try {
    const t = kind === 'expr' ? null : compileTemplate(source);
    const exprs = t ? templateExprs(t) : [compile(source)];
    for (const e of exprs)
      for (const ref of factRefs(e.ast)) {
        const why = unknownFact(ref, scope);
        if (why) problems.push({ file, field, message: why });
      }
    return t ?? exprs;
  } catch (e) {
    const msg = e instanceof CelCompileError ? `CEL does not compile: ${e.message}` : (e as Error).message;
    problems.push({ file, field, message: msg });
    return null;
  }
}

/** Read, validate and compile one rule file; problems name the file and the field. */
export function readRuleFile(file: string): { rule: CompiledRule | null; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    return {
      rule: null,
      problems: [{ file, field: '(file)', message: `not valid YAML: ${(e as Error).message}` }],
    };
  }
  const parsed = RuleFileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push({ file, field: issue.path.join('.') || '(root)', message: issue.message });
    return { rule: null, problems };
  }
  const r = parsed.data;
  const stem = basename(file).replace(/\.ya?ml$/, '');
  if (stem !== r.id)
    problems.push({ file, field: 'id', message: `id "${r.id}" must equal the file name "${stem}"` });
  const scope = r.scope;
  const when = compileField(problems, file, 'when', r.when, scope, 'expr') as Compiled[] | null;
  const tpl = (field: string, s: string) =>
    compileField(problems, file, field, s, scope, 'template') as Template | null;
  const evidenceLines = (lang: 'en' | 'ja') =>
    r.evidence[lang].map((s, i) => tpl(r.evidence.bilingual ? `evidence.${lang}.${i}` : `evidence.${i}`, s));
  const evidence = {
    en: evidenceLines('en'),
    ja: r.evidence.bilingual ? evidenceLines('ja') : null,
  };
  const text = (lang: 'en' | 'ja') => ({
    title: tpl(`text.${lang}.title`, r.text[lang].title),
    summary: tpl(`text.${lang}.summary`, r.text[lang].summary),
    remediation: r.text[lang].remediation.map((s, i) => tpl(`text.${lang}.remediation.${i}`, s)),
  });
  const en = text('en');
  const ja = text('ja');
  if (problems.length > 0 || !when?.[0]) return { rule: null, problems };
  const done = (t: typeof en): CompiledText => ({
    title: t.title as Template,
    summary: t.summary as Template,
    remediation: t.remediation as Template[],
  });
  return {
    rule: {
      id: r.id,
      layer: r.layer,
      severity: r.severity,
      scope,
      codes: r.codes,
      runbook: r.runbook,
      when: when[0],
      evidence: {
        en: evidence.en as Template[],
        ja: (evidence.ja ?? evidence.en) as Template[],
      },
      text: { en: done(en), ja: done(ja) },
      file,
    },
    problems,
  };
}

/** Every problem in the rule files of `dir` (schema, CEL, fact names, duplicate ids). */
export function lintDir(dir: string): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const seen = new Map<string, string>();
  for (const file of ruleFiles(dir)) {
    const { rule, problems: p } = readRuleFile(file);
    problems.push(...p);
    if (rule) {
      const other = seen.get(rule.id);
      if (other)
        problems.push({ file, field: 'id', message: `duplicate id "${rule.id}" (also in ${other})` });
      seen.set(rule.id, file);
    }
  }
  for (const file of causeFiles(dir)) {
    const { cause, problems: p } = readCauseFile(file);
    problems.push(...p);
    if (cause && !seen.has(cause.id))
      problems.push({
        file,
        field: 'id',
        message: `cause "${cause.id}" has no rule ${cause.id}.yaml in ${dir}`,
      });
  }
  return problems;
}

export interface LoadRulesOptions {
  /** User rule directories, applied after the shipped ones; a rule with the same id replaces it. */
  dirs?: string[];
  /** Per-rule severity overrides. */
  severity?: Record<string, Severity>;
  /** Defaults to the shipped rules/ directory. */
  shippedDir?: string;
}

/** Load shipped rules, then user directories; throws RuleLoadError naming every problem. */
export function loadRules(opts: LoadRulesOptions = {}): LoadedRules {
  const byId = new Map<string, CompiledRule>();
  const problems: RuleProblem[] = [];
  const userCauses: CauseDef[] = [];
  const causeFile = new Map<string, string>();
  for (const dir of opts.dirs ?? []) {
    try {
      for (const file of causeFiles(dir)) {
        const { cause, problems: p } = readCauseFile(file);
        problems.push(...p);
        if (cause) {
          userCauses.push(cause);
          causeFile.set(cause.id, file);
        }
      }
    } catch (e) {
      problems.push({ file: dir, field: '(causes)', message: (e as Error).message });
    }
  }
  for (const dir of [opts.shippedDir ?? shippedRulesDir(), ...(opts.dirs ?? [])]) {
    let files: string[];
    try {
      files = ruleFiles(dir);
    } catch (e) {
      problems.push({ file: dir, field: '(dir)', message: (e as Error).message });
      continue;
    }
    for (const file of files) {
      const { rule, problems: p } = readRuleFile(file);
      problems.push(...p);
      if (rule) byId.set(rule.id, rule);
    }
  }
  for (const [id, severity] of Object.entries(opts.severity ?? {})) {
    const rule = byId.get(id);
    if (!rule)
      problems.push({ file: '(config)', field: `rules.severity.${id}`, message: `no rule with id "${id}"` });
    else if (!SEVERITIES.includes(severity))
      problems.push({
        file: '(config)',
        field: `rules.severity.${id}`,
        message: `severity must be one of ${SEVERITIES.join(', ')}`,
      });
    else byId.set(id, { ...rule, severity });
  }
  for (const c of userCauses)
    if (!byId.has(c.id))
      problems.push({
        file: causeFile.get(c.id) ?? c.id,
        field: 'id',
        message: `cause "${c.id}" has no rule: add ${c.id}.yaml beside the causes/ folder`,
      });
  if (problems.length > 0) throw new RuleLoadError(problems);
  const rules = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  return {
    rules,
    causes: SHIPPED.with(userCauses),
    sources: Object.fromEntries(rules.map((r) => [r.id, r.file])),
  };
}

let shipped: LoadedRules | null = null;
/** The shipped rules, loaded once per process. */
export function defaultRules(): LoadedRules {
  shipped ??= loadRules();
  return shipped;
}
