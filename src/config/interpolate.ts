// `${VAR}` / `${VAR:-default}` interpolation, applied to string values after YAML parsing so that a
// variable's content can never change the document's structure, and so errors can name the field.
// `$${` writes a literal `${`.

export type PathSegment = string | number;

export interface ConfigProblem {
  /** Field path, e.g. ['accounts', 1, 'regions', 0]; [] for the document itself. */
  path: PathSegment[];
  message: string;
  /** Set when the problem is an unset environment variable (a command may not need that field). */
  unsetVariable?: string;
}

const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** ['accounts', 1, 'regions', 0] → `accounts[1].regions[0]`. */
export function formatPath(segments: ReadonlyArray<PathSegment>): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

export function interpolateString(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  path: PathSegment[],
  problems: ConfigProblem[],
): string {
  return text.replace(PLACEHOLDER, (match, body: string | undefined) => {
    if (match === '$${') return '${';
    if (body === undefined) {
      problems.push({ path, message: 'unterminated "${" (write "$${" for a literal "${")' });
      return match;
    }
    const sep = body.indexOf(':-');
    const name = sep === -1 ? body : body.slice(0, sep);
    if (!VAR_NAME.test(name)) {
      problems.push({ path, message: `invalid environment variable reference "\${${body}}"` });
      return match;
    }
    const value = env[name];
    if (sep !== -1) return value === undefined || value === '' ? body.slice(sep + 2) : value;
    if (value === undefined) {
      problems.push({
        path,
        message: `environment variable ${name} is not set (use \${${name}:-default} for a default)`,
        unsetVariable: name,
      });
      return '';
    }
    return value;
  });
}

/** Returns a copy of `value` with every string interpolated; problems are appended. */
export function interpolateTree(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
  segments: PathSegment[] = [],
): unknown {
  if (typeof value === 'string') return interpolateString(value, env, segments, problems);
  if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, env, problems, [...segments, i]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateTree(v, env, problems, [...segments, k]);
    return out;
  }
  return value;
}
