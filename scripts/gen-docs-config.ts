// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the docs mention literal ${VAR} placeholders
// docs/reference/configuration.md from the config's JSON Schema (src/config: configJsonSchema()).
import { configJsonSchema } from '../src/config/index.js';
import { cell, code, doc, table } from './gen-docs-markdown.js';

interface Schema {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  propertyNames?: Schema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  minLength?: number;
  pattern?: string;
}

interface Row {
  path: string;
  schema: Schema;
  required: boolean;
  /** The description of the enclosing object, for fields that have none of their own. */
  context: string | undefined;
}

/** Every field, depth first: objects, then their fields; array items as `name[]`; maps as `name.<key>`. */
function rows(schema: Schema, path: string, required: boolean, context?: string): Row[] {
  const out: Row[] = [{ path, schema, required, context }];
  const nested = (s: Schema, p: string) => {
    for (const [key, child] of Object.entries(s.properties ?? {}))
      out.push(...rows(child, p ? `${p}.${key}` : key, (s.required ?? []).includes(key), s.description));
  };
  if (schema.type === 'object') nested(schema, path);
  if (schema.type === 'array' && schema.items?.type === 'object') nested(schema.items, `${path}[]`);
  if (typeof schema.additionalProperties === 'object' && schema.additionalProperties.type === 'object')
    nested(schema.additionalProperties, `${path}.<key>`);
  return out;
}

function enumText(values: unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(' | ');
}

function range(s: Schema): string {
  const parts: string[] = [];
  if (s.minimum !== undefined && s.maximum !== undefined) return ` (${s.minimum}–${s.maximum})`;
  if (s.minimum !== undefined) parts.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) parts.push(`≤ ${s.maximum}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function typeText(s: Schema): string {
  if (s.enum) return enumText(s.enum);
  if (s.type === 'array') {
    const item = s.items?.type === 'object' ? 'objects' : s.items ? typeText(s.items) : 'any';
    return `list of ${item}${s.minItems ? ` (at least ${s.minItems})` : ''}`;
  }
  if (s.type === 'object' && typeof s.additionalProperties === 'object') {
    const key = s.propertyNames?.pattern ? `key matching ${code(s.propertyNames.pattern)}` : 'key';
    return `map: ${key} → ${typeText(s.additionalProperties)}`;
  }
  if (s.type === 'object') return 'section';
  const pattern = s.pattern ? `, matching ${code(s.pattern)}` : '';
  return `${s.type ?? 'any'}${range(s)}${pattern}`;
}

function defaultText(s: Schema): string {
  if (s.default === undefined) return '';
  // Sections default to {} and take their fields' defaults: nothing useful to show.
  if (s.type === 'object' && typeof s.default === 'object' && Object.keys(s.default ?? {}).length === 0)
    return '';
  return code(JSON.stringify(s.default));
}

function describe(r: Row): string {
  const own = r.schema.description ?? '';
  if (own) return own;
  // Token-bucket fields (rps, burst) have no description of their own.
  const leaf = r.path.split('.').at(-1) ?? '';
  const known: Record<string, string> = {
    rps: 'Requests per second sustained.',
    burst: 'Requests allowed at once.',
  };
  return known[leaf] ?? r.context ?? '';
}

export function renderConfigurationReference(schema: Schema = configJsonSchema() as Schema): string {
  const sections = Object.entries(schema.properties ?? {}).map(([key, section]) => {
    const required = (schema.required ?? []).includes(key);
    const all = rows(section, key, required).slice(section.type === 'object' ? 1 : 0);
    const body = table(
      ['field', 'type', 'default', 'required', 'description'],
      all.map((r) => [
        code(r.path),
        typeText(r.schema),
        defaultText(r.schema),
        r.required && r.schema.default === undefined ? 'yes' : '',
        describe(r),
      ]),
    );
    return [`## \`${key}\``, cell(section.description ?? ''), body].join('\n\n');
  });
  const intro = [
    cell(schema.description ?? ''),
    'The file is YAML. Unknown keys are errors naming their path, so a misspelt key never passes ' +
      'silently. Every section but `accounts` may be omitted. A documented example: ' +
      '[`config/example.yaml`](../../config/example.yaml). The path comes from `--config FILE`, else ' +
      '`$ALIVPN_CONFIG`, else `./config.yaml`. `serve` reloads the file on SIGHUP and keeps the running ' +
      'config when the new one is invalid.',
    'Numbers and booleans may come from `${VAR}` as strings (`"30"`, `"true"`). An account without ' +
      '`accessKeyId` uses the `@alicloud/credentials` default chain (environment variables, profile ' +
      'file, RAM role, ECS metadata, OIDC/RRSA); an account without `endpoint`/`endpoints` uses ' +
      "Alibaba Cloud's regional endpoints.",
  ].join('\n\n');
  return doc('Configuration reference', intro, sections);
}
