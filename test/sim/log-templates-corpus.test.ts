// The simulator speaks real charon: every strongSwan-style line it prints is a line of the recorded
// lab corpus (test/fixtures/ike-logs, two real charon 5.9.8 daemons) up to the fields it
// substitutes (addresses, names, SPIs, subnets, numbers); every other line is one Alibaba documents
// (it carries a keyword of the cause registry's Alibaba-documented patterns).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED } from '../../src/diagnose/causes/registry.js';
import { defaultCorpusDir } from '../../src/diagnose/logs/corpus.js';
import { parseLine } from '../../src/diagnose/logs/parse.js';
import {
  CAUSE_LINES,
  INITIATE,
  KEEPALIVE,
  type LogContext,
  type LogStyle,
  type LogTemplate,
  PHASE1_START,
  PHASE1_UP,
  PHASE2_UP,
  retransmits,
} from '../../src/sim/world/log-templates.js';
import { FAILED_REASON_CODES } from '../../src/sim/world/types.js';

/** Fields a template substitutes, and numbers, reduced to placeholders. */
function normalise(text: string): string {
  return text
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?\b/g, 'A')
    .replace(/'[^']*'/g, "'Q'")
    .replace(/"[^"]*"/g, '"Q"')
    .replace(/\b[0-9a-f]{8}(?=_[io]\b|\b)/g, 'X')
    .replace(/\d+/g, 'N')
    .replace(/[\w.-]+(?=[[{]N[\]}])/g, 'C')
    .replace(/\[[\w.-]+\]/g, '[I]');
}

const corpus = new Set<string>();
const dir = defaultCorpusDir();
for (const scenario of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()))
  for (const side of ['gateway', 'peer'])
    for (const line of readFileSync(join(dir, scenario.name, `${side}.log`), 'utf8').split('\n')) {
      const p = parseLine(line);
      if (p) corpus.add(normalise(p.text));
    }

const contexts: LogContext[] = [
  {
    local: '47.96.10.1',
    peer: '203.0.113.10',
    mismatchLocal: 'group2',
    mismatchRemote: 'group14',
    spi: '0123456789abcdef',
    conn: 'vco-bp1conn00000000001',
    mode: 'main',
    ts: '172.16.0.0/16 === 192.168.0.0/24',
    peerId: '203.0.113.10',
  },
  {
    local: '47.96.10.1',
    peer: '203.0.113.10',
    mismatchLocal: 'group2',
    mismatchRemote: 'disabled',
    spi: 'fedcba9876543210',
    conn: 'vco-bp1conn00000000001',
    mode: 'aggressive',
    ts: '172.16.0.0/16 === 192.168.0.0/24',
    peerId: '203.0.113.10',
  },
];

const templates: [string, LogTemplate][] = [];
/** The failure lines (the lifecycle lines of a racoon-style gateway are not failure keywords). */
const failures = new Set<LogTemplate>();
for (const style of ['racoon', 'strongswan'] as LogStyle[]) {
  for (const [name, set] of Object.entries({ PHASE1_START, PHASE1_UP, PHASE2_UP, KEEPALIVE, INITIATE }))
    for (const tpl of set[style]) templates.push([`${name} (${style})`, tpl]);
  for (const tpl of retransmits(style)) templates.push([`retransmits (${style})`, tpl]);
  for (const code of FAILED_REASON_CODES)
    for (const phase of [1, 2] as const)
      for (const tpl of CAUSE_LINES[code](style, phase))
        templates.push([`${code} phase ${phase} (${style})`, tpl]);
}

const documented = SHIPPED.patterns;
const matches = (lower: string) =>
  documented.some(
    (p) =>
      p.any?.some((s) => lower.includes(s)) ||
      (p.seq !== undefined &&
        p.seq.reduce<number>(
          (from, s) => (from < 0 ? -1 : lower.indexOf(s, from) < 0 ? -1 : lower.indexOf(s, from) + s.length),
          0,
        ) >= 0),
  );

describe('simulator log templates', () => {
  it('has a corpus to compare with', () => {
    expect(corpus.size).toBeGreaterThan(200);
  });

  it('prints in strongSwan style only lines charon printed in the lab', () => {
    const invented: string[] = [];
    for (const [where, tpl] of templates)
      for (const c of contexts) {
        if (tpl.source !== 'charon') continue;
        const text = tpl.text(c);
        if (!corpus.has(normalise(text))) invented.push(`${where}: ${text}`);
      }
    expect([...new Set(invented)]).toEqual([]);
  });

  it('prints other failure lines only with a keyword the cause registry documents', () => {
    const undocumented: string[] = [];
    for (const [where, tpl] of templates)
      for (const c of contexts) {
        if (tpl.source !== 'alibaba' || !failures.has(tpl)) continue;
        const text = tpl.text(c);
        if (!matches(text.toLowerCase())) undocumented.push(`${where}: ${text}`);
      }
    expect([...new Set(undocumented)]).toEqual([]);
  });

  it('marks every strongSwan-style failure line it can as charon text', () => {
    // Codes whose strongSwan-style lines are charon's (the rest fail in ways charon does not).
    for (const code of [
      'PskMismatch',
      'PeerIdMismatch',
      'DhGroupMismatch',
      'IkeVersionMismatch',
      'DpdTimeout',
      'TrafficSelectorMismatch',
      'PfsMismatch',
      'NoResponse',
      'ReceiveDeleteNotify',
    ] as const)
      expect(
        CAUSE_LINES[code]('strongswan', 1).every((x) => x.source === 'charon'),
        code,
      ).toBe(true);
  });
});
