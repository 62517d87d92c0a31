// Read-only reader of an on-prem swanctl.conf (strongSwan's settings syntax: `name { … }` sections,
// `key = value` lines, `#` comments, `include` globs, `name : template { … }` inheritance), for what
// charon's list-conns does not say: proposals, ESP proposals, aggressive mode, forced encapsulation,
// child lifetimes and — as SHA-256 fingerprints only — the PSKs. The secret itself is hashed here and
// dropped: it never leaves this module.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { pskFingerprintOfBytes } from '../model/psk.js';
import { type ParsedProposal, parseProposals } from './algorithms.js';

/** A settings tree: values are strings, sections are nested trees. */
export interface SettingsTree {
  [key: string]: string | SettingsTree;
}

const MAX_FILE_BYTES = 1024 * 1024;
const MAX_INCLUDE_DEPTH = 8;
const MAX_FILES = 200;

export class SwanctlConfError extends Error {
  override name = 'SwanctlConfError';
}

/** swanctl secret values: "text", 0x<hex> or 0s<base64>. */
function secretBytes(value: string): Buffer {
  if (/^0x[0-9a-fA-F]+$/.test(value)) return Buffer.from(value.slice(2), 'hex');
  if (/^0s[A-Za-z0-9+/=]+$/.test(value)) return Buffer.from(value.slice(2), 'base64');
  return Buffer.from(value, 'utf8');
}

interface Token {
  kind: 'word' | 'string' | '{' | '}' | '=' | ':' | 'nl';
  text: string;
  line: number;
}

function tokenize(text: string, file: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      out.push({ kind: 'nl', text: '\n', line });
      line++;
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') i++;
    else if (ch === '#') while (i < text.length && text[i] !== '\n') i++;
    else if (ch === '{' || ch === '}' || ch === '=' || ch === ':') {
      out.push({ kind: ch, text: ch, line });
      i++;
    } else if (ch === '"') {
      let s = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) {
          const n = text[i + 1]!;
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
          i += 2;
        } else {
          if (text[i] === '\n') line++;
          s += text[i];
          i++;
        }
      }
      if (i >= text.length) throw new SwanctlConfError(`${file}:${line}: unterminated quoted string`);
      i++;
      out.push({ kind: 'string', text: s, line });
    } else {
      let s = '';
      while (i < text.length && !/[\s{}=#"]/.test(text[i]!)) {
        // ':' separates a section from its template only before '{': keep it inside values.
        s += text[i];
        i++;
      }
      out.push({ kind: 'word', text: s, line });
    }
  }
  return out;
}

interface ReadState {
  files: number;
}

function readFile(path: string, state: ReadState, depth: number): Token[] {
  if (++state.files > MAX_FILES) throw new SwanctlConfError(`${path}: more than ${MAX_FILES} included files`);
  if (depth > MAX_INCLUDE_DEPTH)
    throw new SwanctlConfError(`${path}: includes nested deeper than ${MAX_INCLUDE_DEPTH}`);
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new SwanctlConfError(
      `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
  if (size > MAX_FILE_BYTES) throw new SwanctlConfError(`${path}: larger than ${MAX_FILE_BYTES} bytes`);
  const tokens = tokenize(readFileSync(path, 'utf8'), path);
  // Expand `include PATTERN` lines in place.
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const atLineStart = i === 0 || tokens[i - 1]!.kind === 'nl' || tokens[i - 1]!.kind === '{';
    const arg = tokens[i + 1];
    if (
      t.kind === 'word' &&
      t.text === 'include' &&
      atLineStart &&
      arg &&
      arg.kind !== '=' &&
      arg.kind !== 'nl'
    ) {
      const pattern = isAbsolute(arg.text) ? arg.text : join(dirname(path), arg.text);
      for (const file of expandGlob(pattern))
        out.push(...readFile(file, state, depth + 1), { kind: 'nl', text: '\n', line: t.line });
      i++;
      continue;
    }
    out.push(t);
  }
  return out;
}

/** `dir/*.conf`-style globs (a `*` in the last path segment only, as swanctl's own configs use). */
function expandGlob(pattern: string): string[] {
  const name = basename(pattern);
  if (!name.includes('*')) return [pattern];
  const dir = dirname(pattern);
  const re = new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  try {
    return readdirSync(dir)
      .filter((f) => re.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return []; // strongSwan ignores an include glob that matches nothing
  }
}

/** Parses a swanctl.conf (with its includes) into a settings tree. */
export function readSettings(path: string): SettingsTree {
  const tokens = readFile(path, { files: 0 }, 0);
  const root: SettingsTree = {};
  const stack: SettingsTree[] = [root];
  const templates = new Map<string, SettingsTree>();
  let i = 0;
  const at = (t: Token | undefined) => `${path}:${t?.line ?? '?'}`;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.kind === 'nl') {
      i++;
      continue;
    }
    const section = stack[stack.length - 1]!;
    if (t.kind === '}') {
      if (stack.length === 1) throw new SwanctlConfError(`${at(t)}: "}" without an open section`);
      stack.pop();
      i++;
      continue;
    }
    if (t.kind !== 'word' && t.kind !== 'string')
      throw new SwanctlConfError(`${at(t)}: unexpected "${t.text}"`);
    const next = tokens[i + 1];
    if (next?.kind === '=') {
      // key = value…: the rest of the line, words joined by one space (strongSwan keeps inner spaces).
      let j = i + 2;
      const parts: string[] = [];
      while (j < tokens.length && tokens[j]!.kind !== 'nl' && tokens[j]!.kind !== '}') {
        parts.push(tokens[j]!.text);
        j++;
      }
      section[t.text] = parts.join(' ');
      i = j;
      continue;
    }
    // name [: template[, template…]] {
    let j = i + 1;
    const parents: string[] = [];
    if (tokens[j]?.kind === ':') {
      j++;
      while (tokens[j] && tokens[j]!.kind === 'word') {
        parents.push(...tokens[j]!.text.split(',').filter(Boolean));
        j++;
      }
    }
    while (tokens[j]?.kind === 'nl') j++;
    if (tokens[j]?.kind !== '{')
      throw new SwanctlConfError(`${at(t)}: expected "=" or "{" after "${t.text}"`);
    const existing = section[t.text];
    const child: SettingsTree = typeof existing === 'object' ? existing : {};
    for (const p of parents) {
      const tpl = templates.get(p);
      if (tpl) for (const [k, v] of Object.entries(structuredClone(tpl))) if (!(k in child)) child[k] = v;
    }
    section[t.text] = child;
    templates.set(t.text, child);
    stack.push(child);
    i = j + 1;
  }
  if (stack.length > 1) throw new SwanctlConfError(`${path}: a section is not closed`);
  return root;
}

/** What swanctl.conf says about one IKE connection beyond list-conns. */
export interface SwanctlConn {
  name: string;
  version: string;
  aggressive: boolean;
  encap: boolean;
  localAddrs: string[];
  remoteAddrs: string[];
  proposals: ParsedProposal[];
  localId: string;
  remoteId: string;
  rekeyTime: number | null;
  reauthTime: number | null;
  dpdDelay: number | null;
  /** SHA-256 short fingerprint of the PSK that charon would pick for these IDs; null when none. */
  pskFingerprint: string | null;
  children: SwanctlChild[];
}

export interface SwanctlChild {
  name: string;
  localTs: string[];
  remoteTs: string[];
  espProposals: ParsedProposal[];
  rekeyTime: number | null;
  lifeTime: number | null;
}

const list = (v: string | SettingsTree | undefined): string[] =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
const str = (v: string | SettingsTree | undefined): string => (typeof v === 'string' ? v : '');
const yes = (v: string | SettingsTree | undefined) => ['yes', 'true', '1'].includes(str(v).toLowerCase());
const sub = (v: string | SettingsTree | undefined): SettingsTree => (typeof v === 'object' ? v : {});

/** swanctl durations: `86400`, `86400s`, `60m`, `24h`, `1d`. */
export function seconds(v: string | SettingsTree | undefined): number | null {
  const m = /^(\d+)\s*([smhd]?)$/.exec(str(v).trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'] ?? 1);
}

/** The auth round's ID: the first `local*`/`remote*` section with an `id`. */
function idOf(conn: SettingsTree, prefix: 'local' | 'remote'): string {
  for (const [k, v] of Object.entries(conn))
    if (k.startsWith(prefix) && typeof v === 'object' && v['id']) return str(v['id']);
  return '';
}

/** The PSK charon would select: IKE secrets owned by the remote ID (best with the local ID too), else an ownerless one. */
function pskFor(secrets: SettingsTree, localId: string, remoteId: string): string | null {
  let best: { score: number; fp: string } | null = null;
  for (const [k, v] of Object.entries(secrets)) {
    if (!k.startsWith('ike') || typeof v !== 'object' || typeof v['secret'] !== 'string') continue;
    const ids = Object.entries(v)
      .filter(([key]) => key === 'id' || key.startsWith('id-') || key.startsWith('id'))
      .map(([, value]) => str(value));
    const score =
      ids.length === 0
        ? 1
        : (ids.includes(remoteId) ? 2 : 0) + (ids.includes(localId) && ids.includes(remoteId) ? 1 : 0);
    if (score === 0) continue;
    if (!best || score > best.score) best = { score, fp: pskFingerprintOfBytes(secretBytes(v['secret'])) };
  }
  return best?.fp ?? null;
}

/** Reads the connections of a swanctl.conf; the PSKs come back as fingerprints only. */
export function readSwanctlConf(path: string): SwanctlConn[] {
  const tree = readSettings(path);
  const secrets = sub(tree['secrets']);
  return Object.entries(sub(tree['connections'])).flatMap(([name, v]) => {
    if (typeof v !== 'object') return [];
    const localId = idOf(v, 'local');
    const remoteId = idOf(v, 'remote');
    return [
      {
        name,
        version: str(v['version']) || '0',
        aggressive: yes(v['aggressive']),
        encap: yes(v['encap']),
        localAddrs: list(v['local_addrs']),
        remoteAddrs: list(v['remote_addrs']),
        proposals: parseProposals(str(v['proposals']) || 'default'),
        localId,
        remoteId,
        rekeyTime: seconds(v['rekey_time']),
        reauthTime: seconds(v['reauth_time']),
        dpdDelay: seconds(v['dpd_delay']),
        pskFingerprint: pskFor(secrets, localId, remoteId || (list(v['remote_addrs'])[0] ?? '')),
        children: Object.entries(sub(v['children'])).flatMap(([childName, c]) =>
          typeof c === 'object'
            ? [
                {
                  name: childName,
                  localTs: list(c['local_ts']),
                  remoteTs: list(c['remote_ts']),
                  espProposals: parseProposals(str(c['esp_proposals']) || 'default'),
                  rekeyTime: seconds(c['rekey_time']),
                  lifeTime: seconds(c['life_time']),
                },
              ]
            : [],
        ),
      },
    ];
  });
}
