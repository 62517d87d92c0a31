// Finds English a Japanese reader would meet: the visible text of a page (or a Markdown/text report)
// minus what is not ours to translate — identifiers, values, product names and verbatim quotes of
// what Alibaba or the device said — must hold no English word. Used by test/report/japanese.test.ts
// and the end-to-end tests that render Japanese pages from a real peer or probe.
import type { VpnEvent } from '../../src/model/events.js';
import type { Snapshot } from '../../src/model/snapshot.js';

/**
 * Words that stay in Latin letters in Japanese text, each for a reason:
 * - product and protocol names Alibaba's Japanese documentation writes in Latin letters
 *   (the seed page: "Alibaba Cloud", "IPsec-VPN", "IKE", "BGP", "DH グループ", "ASN", "CIDR ブロック", "ACL");
 * - acronyms of the protocols and parameters those names are made of (SA, PSK, PFS, DPD, NAT, ESP …);
 * - "Markdown" (a format name), "English" (the language switch names the other language in itself);
 * - units (ms, bit/s …) and time zone names (UTC).
 */
export const LATIN_ALLOWED = new Set(
  [
    // Products and services
    'Alibaba',
    'IPsec-VPN',
    'Cloud',
    'strongSwan',
    'swanctl',
    'charon',
    'VICI',
    'ECS',
    'VPC',
    'VPN',
    'RAM',
    'Prometheus',
    'Markdown',
    'CEN', // Cloud Enterprise Network, as the seed page's product names go
    'ping', // the command
    'FQDN',
    'KB', // a unit
    'Cisco', // a vendor and its product, as named in the remediation
    'ASA',
    // Protocols and their parameters
    'IPsec',
    'IKE',
    'IKEv1',
    'IKEv2',
    'BGP',
    'AS',
    'ASN',
    'DPD',
    'NAT',
    'NAT-T',
    'SA',
    'SAs',
    'PSK',
    'PFS',
    'DH',
    'KE',
    'ESP',
    'AH',
    'UDP',
    'TCP',
    'ICMP',
    'ACL',
    'CIDR',
    'IP',
    'ID',
    'MAC',
    'HASH',
    'SHA',
    'API',
    'URL',
    'HTTP',
    'HTTPS',
    'DELETE',
    'CHILD',
    'INIT',
    // Time zone, units
    'UTC',
    'ms',
    's',
    'bit',
    'kbit',
    'Mbit',
    'Gbit',
    // The language switch: the other language named in itself
    'English',
  ].map((w) => w.toLowerCase()),
);

/** Values that Alibaba's API returns as enumerations (shown as they are, like ids). */
const ALIBABA_VALUES = new Set([
  'active',
  'normal',
  'init',
  'success',
  'false',
  'true',
  'disabled',
  'master',
  'slave',
  'custom',
  'policy',
  'system',
  'main',
  'aggressive',
  'accept',
  'drop',
  'ingress',
  'egress',
  'all',
  'icmp',
  'published',
  'unpublished',
  'dual',
  'single',
  'established', // a BGP session state (RFC 4271), as routers print it
]);

/** Product names of more than one word (Alibaba's Japanese pages keep them in Latin letters). */
const PRODUCT_PHRASES = ['Express Connect', 'Cloud Enterprise Network', 'Alibaba Cloud'];

/** Verbatim texts from outside: log lines, Alibaba's FailedReason and SourceLog, names people gave. */
export function quotesOf(snapshot: Snapshot | null, events: readonly VpnEvent[] = []): string[] {
  const out = new Set<string>();
  // Events keep what Alibaba said at the time (daemon/event-evidence.ts).
  for (const e of events) {
    const d = e.detail as { logs?: unknown; diagnosis?: unknown };
    for (const line of Array.isArray(d.logs) ? d.logs : []) if (typeof line === 'string') out.add(line);
    for (const row of Array.isArray(d.diagnosis) ? d.diagnosis : [])
      for (const k of ['reason', 'log', 'local', 'remote'])
        if (typeof row?.[k] === 'string') out.add(row[k] as string);
  }
  for (const r of snapshot?.regions ?? []) {
    out.add(r.account);
    for (const c of r.connections.data) {
      out.add(c.name);
      for (const t of c.tunnels) {
        const ev = r.evidence[t.id];
        for (const line of ev?.logs?.lines ?? []) out.add(line);
        for (const d of ev?.diagnosis ?? []) {
          for (const s of [d.failedReason, d.sourceLog, d.mismatchLocal, d.mismatchRemote]) if (s) out.add(s);
        }
      }
    }
    for (const g of r.topology?.data.gateways ?? []) if (g.name) out.add(g.name);
    // What people wrote into their security group rules and ACL entries.
    for (const g of r.topology?.data.securityGroups ?? [])
      for (const rule of g.rules) if (rule.description) out.add(rule.description);
    for (const a of r.topology?.data.networkAcls ?? [])
      for (const e of [...a.ingress, ...a.egress]) if (e.name) out.add(e.name);
    for (const g of r.topology?.data.customerGateways ?? []) if (g.name) out.add(g.name);
  }
  return [...out].filter((s) => s.trim().length > 0);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** What a person reads on an HTML page: text and the attributes that are read out or shown. */
export function visibleText(html: string): string {
  const attrs = [
    ...html.matchAll(/\s(?:aria-label|title|alt|placeholder|data-copied|data-say-[a-z0-9-]+)="([^"]*)"/g),
  ]
    .map((m) => m[1])
    .join('\n');
  const body = html
    .replace(/<head>[\s\S]*?<\/head>/, (head) => /<title>([\s\S]*?)<\/title>/.exec(head)?.[1] ?? '')
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, '\n');
  return `${body}\n${attrs}`.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '');
}

const TIME = /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g;

const VALUE_PATTERNS: RegExp[] = [
  /https?:\/\/\S+/g, // links (the runbook)
  /(?:\/[\w.-]+)+\/?(?:#[\w-]*)?/g, // paths
  /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?Z?/g, // times
  /\b\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?\b/g, // IPs and CIDRs
  /\b[\w-]+(\.[\w-]+)+\b/g, // dotted names: TunnelIkeConfig.Psk, swanctl paths, hosts
  /\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b/g, // snake_case: statuses, metric names, notify names
  /\b[a-z0-9]+(?:-[a-z0-9]+)+\b/g, // kebab-case: ids, rule ids, regions, zones
  /\b[a-z]+[A-Z][A-Za-z0-9]*\b/g, // camelCase: fact and field names
  /\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*\b/g, // PascalCase: Alibaba API and field names
  /\b(?:aes\d*|sha\d*|md5|3?des|group\d+|ikev[12]|modp\d+|hmac)\b/gi, // algorithm names
  /\b[A-Z]+\d+[A-Za-z0-9]*\b/g, // codes with digits
  /\b(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/g, // hex: fingerprints, hashes
  /\b\d+[a-z]*\b/g, // numbers, 30s, 4h
];

export interface Untranslated {
  word: string;
  context: string;
}

/**
 * English words left in `text` after removing quotes, identifiers and values: every word must be
 * allowed (LATIN_ALLOWED) or be a value Alibaba returns. Returns each offending word with context.
 */
export function untranslated(text: string, quotes: readonly string[] = []): Untranslated[] {
  // Markdown escapes free text (\[, \*, \`): read it as written. Times are values, and a quoted
  // log line shows its time converted to UTC: compare without times, whitespace collapsed.
  const plain = (x: string) =>
    x
      .replace(TIME, ' ')
      .replace(/\bUTC\b/g, ' ')
      .replace(/\s+/g, ' ');
  let rest = plain(text.replace(/\\([\\`*[\]<>|#!~])/g, '$1'));
  const stripped = quotes.map((q) => plain(q).trim()).filter((q) => q.length > 0);
  for (const q of stripped.sort((a, b) => b.length - a.length)) rest = rest.split(q).join(' ');
  for (const p of PRODUCT_PHRASES) rest = rest.split(p).join(' ');
  for (const p of VALUE_PATTERNS) rest = rest.replace(p, ' ');
  const out: Untranslated[] = [];
  for (const m of rest.matchAll(/[A-Za-z][A-Za-z'-]*/g)) {
    const word = m[0].replace(/['-]+$/, '');
    const lower = word.toLowerCase();
    if (LATIN_ALLOWED.has(lower) || ALIBABA_VALUES.has(lower)) continue;
    if (word.length === 1) continue;
    const at = m.index ?? 0;
    out.push({ word, context: rest.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, ' ') });
  }
  return out;
}
