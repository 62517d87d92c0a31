// Imports between src/ folders run one way (docs/architecture.md, "Layers"). Every folder has a row
// naming the folders it may import; an import outside its row fails here, and so does a folder
// without a row: a new folder says where it sits before it lands. Today's exceptions are listed
// file by file with the reason, and an exception that no longer occurs must be removed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(fileURLToPath(new URL('../../src', import.meta.url)));
/** Files directly in src/ (version.ts) belong to this pseudo-folder. */
const ROOT_FILES = '(root)';

/**
 * Which folders each folder may import (besides itself), in the order of docs/architecture.md
 * ("Layers"): the shared ground, the cloud and the model, the stages of the data flow (collect →
 * state → diagnose), the read interface (view), its readers (metrics, report, server), the
 * simulator and the on-prem side, the daemon that wires them, and the CLI. Nothing imports from
 * server/ except daemon/ (runtime.ts builds the server) and cli/.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  [ROOT_FILES]: [], // version.ts: the package version
  log: [], // pino + secret scrubbing
  model: [], // the vocabulary: snapshot, findings, events, history, and its one-owner definitions
  config: ['model', 'log'], // the config file: YAML, ${ENV}, zod schema (ids from model, secret names from log)
  cloud: ['config', 'log'], // SDK clients, budget, retries, paging
  probe: ['model', 'config', 'log'], // active IKE probe of a peer (the probe tier runs it)
  collect: ['cloud', 'model', 'probe', 'config', 'log'], // tiers → normalised snapshot
  state: ['model', 'log'], // tracker + SQLite store (log/redact.ts scrubs what it stores)
  diagnose: ['model'], // facts + CEL rule engine, causes
  view: ['model', 'cloud'], // the read interface (DoctorView) the readers depend on
  metrics: ['model', 'view', 'diagnose', 'config', 'log'], // prom-client registry, filled from the view
  report: ['model', 'view', 'diagnose', 'log'], // JSON/text/Markdown/HTML reports
  server: ['model', 'view', 'report', 'metrics', 'diagnose', 'config', 'log', ROOT_FILES], // fastify
  daemon: [
    ROOT_FILES,
    'cloud',
    'collect',
    'config',
    'diagnose',
    'log',
    'metrics',
    'model',
    'peer', // the on-prem watchers serve runs
    'probe', // the IKE probes serve runs
    'report',
    'server', // runtime.ts wires the HTTP server
    'state',
    'view',
  ],
  sim: ['lab'], // the Alibaba Cloud API simulator; a tunnel may be backed by the strongSwan lab
  peer: ['model', 'diagnose', 'config', 'log'], // the on-prem side: swanctl config, VICI client, log classifier
  lab: ['model', 'peer', 'probe', 'config', 'log'], // real strongSwan daemons in network namespaces
  cli: [
    ROOT_FILES,
    'cloud',
    'collect',
    'config',
    'daemon',
    'diagnose',
    'lab',
    'log',
    'metrics',
    'model',
    'peer',
    'probe',
    'report',
    'server',
    'sim',
    'state',
    'view',
  ],
};

/** Imports outside the rows above that exist today, each with why (paths relative to src/). */
const EXCEPTIONS: readonly { from: string; to: string; why: string }[] = [
  {
    from: 'sim/world/types.ts',
    to: 'diagnose/causes/registry.ts',
    why: 'the simulator fails tunnels with the causes the product diagnoses; one registry keeps both in step',
  },
  {
    from: 'sim/world/negotiate.ts',
    to: 'diagnose/causes/registry.ts',
    why: 'same registry: the simulated negotiation outcome per cause',
  },
  {
    from: 'sim/lab-backing.ts',
    to: 'diagnose/causes/registry.ts',
    why: 'same registry: the cause a lab-backed tunnel fails with',
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const folderOf = (path: string): string => {
  const parts = relative(SRC, path).split('/');
  return parts.length > 1 ? parts[0]! : ROOT_FILES;
};

/** Relative imports (static, type-only, re-exports and dynamic import()) of every file under src/. */
function imports(): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName).replace(/\.js$/, '.ts');
      out.push({ from: relative(SRC, file), to: relative(SRC, target) });
    }
  }
  return out;
}

describe('imports between src/ folders', () => {
  const all = imports();
  const crossing = all.filter((i) => folderOf(join(SRC, i.from)) !== folderOf(join(SRC, i.to)));

  it('sees the imports (a sanity check of the reader itself)', () => {
    expect(crossing.length).toBeGreaterThan(100);
    expect(crossing).toContainEqual({ from: 'daemon/runtime.ts', to: 'server/app.ts' });
    // a dynamic import() (the CLI loads each command on demand)
    expect(all).toContainEqual({ from: 'cli/main.ts', to: 'cli/commands/serve.ts' });
  });

  it('has a row for every folder', () => {
    const folders = [
      ...readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory()),
      ...(readdirSync(SRC).some((n) => n.endsWith('.ts')) ? [ROOT_FILES] : []),
    ];
    const missing = folders.filter((f) => !(f in MAY_IMPORT));
    expect(missing, 'add a MAY_IMPORT row (and a line in docs/architecture.md, "Layers")').toEqual([]);
  });

  it('run one way: each import stays within its folder row or is a listed exception', () => {
    const listed = (i: { from: string; to: string }) =>
      EXCEPTIONS.some((e) => e.from === i.from && e.to === i.to);
    const against = crossing
      .filter((i) => !(MAY_IMPORT[folderOf(join(SRC, i.from))] ?? []).includes(folderOf(join(SRC, i.to))))
      .filter((i) => !listed(i))
      .map((i) => `${i.from} imports ${i.to}`);
    expect(against).toEqual([]);
  });

  it('lists only exceptions that still occur', () => {
    const stale = EXCEPTIONS.filter((e) => !crossing.some((i) => i.from === e.from && i.to === e.to));
    expect(stale.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('form no cycle between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of crossing) {
      const a = folderOf(join(SRC, i.from));
      const b = folderOf(join(SRC, i.to));
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)!.add(b);
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      for (const next of edges.get(node) ?? []) {
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else visit(next, [...path, next]);
      }
    };
    for (const start of edges.keys()) visit(start, [start]);
    expect([...new Set(cycles)]).toEqual([]);
  });
});
