// The Dockerfile, checked without a Docker engine: dockerfile-utils (the linter behind the VS Code
// Docker extension) for syntax and instruction errors, plus the hadolint rules that matter here,
// the build context (.dockerignore), the non-root user, the health check and the entry point.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { DEPLOYED_NODE_ARGS } from '../../bench/serve-phase.js';
import { usage } from '../../src/cli/main.js';
import { CONFIG_ENV_VAR, configSchema } from '../../src/config/index.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TEXT = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(TEXT);
const instructions = dockerfile.getInstructions();
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
/** The exec-form (JSON array) arguments; throws when the instruction is in shell form. */
const json = (i: Instruction) => JSON.parse(i.getArgumentsContent() ?? '') as string[];

/** Instructions per build stage, by stage name. */
function stages(): Map<string, Instruction[]> {
  const out = new Map<string, Instruction[]>();
  let current: Instruction[] | undefined;
  for (const i of instructions) {
    if (i.getKeyword() === 'FROM') {
      const name = args(i)[2];
      if (!name) throw new Error(`FROM without a stage name: ${i.getTextContent()}`);
      current = [];
      out.set(name, current);
    } else current?.push(i);
  }
  return out;
}
const byStage = stages();
const runtime = byStage.get('runtime') ?? [];
const build = byStage.get('build') ?? [];
const only = (list: Instruction[], keyword: string) => list.filter((i) => i.getKeyword() === keyword);

interface CopySpec {
  from: string | null;
  sources: string[];
  dest: string;
}
const copies = (list: Instruction[]): CopySpec[] =>
  only(list, 'COPY').map((i) => {
    const parts = args(i);
    return {
      from: (i as Copy).getFromFlag()?.getValue() ?? null,
      sources: parts.slice(0, -1),
      dest: parts.at(-1)!,
    };
  });

describe('Dockerfile', () => {
  it('passes the dockerfile-utils linter (which does flag a broken file)', () => {
    expect(validate(TEXT).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    expect(validate('FROM\nRUNN echo\nHEALTHCHECK --interval=3 CMD\n').length).toBeGreaterThanOrEqual(3);
  });

  it('follows the hadolint rules that apply (pinned base, apt hygiene, no ADD, npm ci, JSON exec form)', () => {
    const base = args(only(instructions, 'ARG')[0]!)[0]!;
    expect(base).toMatch(/^NODE_IMAGE=node:20\.\d+\.\d+-bookworm-slim$/); // DL3006/DL3007: pinned, not latest
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile variable, not a template
    for (const from of dockerfile.getFROMs()) expect(args(from)[0]).toBe('${NODE_IMAGE}'); // one Node ABI
    for (const run of only(instructions, 'RUN')) {
      const cmd = run.getArgumentsContent() ?? '';
      if (/apt-get install/.test(cmd)) {
        expect(cmd).toMatch(/--no-install-recommends/); // DL3015
        expect(cmd).toMatch(/-y\b/); // DL3014
        expect(cmd).toMatch(/rm -rf \/var\/lib\/apt\/lists\/\*/); // DL3009
      }
      expect(cmd).not.toMatch(/(^|&&|;)\s*cd\s/); // DL3003: WORKDIR instead
      expect(cmd).not.toMatch(/\bsudo\b/); // DL3004
      expect(cmd).not.toMatch(/npm install\b/); // reproducible: npm ci from the lockfile
    }
    expect(only(instructions, 'ADD')).toEqual([]); // DL3020
    for (const w of only(instructions, 'WORKDIR')) expect(args(w)[0]).toMatch(/^\//); // DL3000
    for (const keyword of ['ENTRYPOINT', 'CMD']) {
      expect(only(instructions, keyword), keyword).toHaveLength(1);
      expect(json(only(instructions, keyword)[0]!).length, `${keyword} in JSON exec form`).toBeGreaterThan(0); // DL3025
    }
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignore[0], '.dockerignore is an allow-list starting with "*"').toBe('*');
    const allowed = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    const fromContext = [...copies(build), ...copies(runtime)].filter((c) => c.from === null);
    expect(fromContext.length).toBeGreaterThan(0);
    for (const c of fromContext) {
      for (const src of c.sources) {
        expect(existsSync(join(ROOT, src)), `COPY ${src}: missing in the repository`).toBe(true);
        expect(allowed, `COPY ${src}: excluded by .dockerignore`).toContain(src);
      }
    }
  });

  it('copies from the build stage only what that stage has or builds', () => {
    const inBuild = new Set(copies(build).flatMap((c) => c.sources));
    const tsconfigBuild = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    // `npm run build` = tsc -p tsconfig.build.json → dist; `npm ci` → node_modules.
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    expect(scripts.build).toBe('tsc -p tsconfig.build.json');
    expect(tsconfigBuild.compilerOptions.outDir).toBe('dist');
    const built = new Set(['dist', 'node_modules', ...inBuild]);
    const fromBuild = copies(runtime).filter((c) => c.from === 'build');
    expect(fromBuild.map((c) => c.sources[0])).toEqual([
      '/app/package.json',
      '/app/node_modules',
      '/app/dist',
    ]);
    for (const c of fromBuild)
      for (const src of c.sources) expect(built).toContain(src.replace(/^\/app\//, ''));
    // bin/alivpn-doctor.js runs dist/cli/main.js when present: src/cli/main.ts compiles there.
    expect(tsconfigBuild.compilerOptions.rootDir).toBe('src');
    expect(readFileSync(join(ROOT, 'bin/alivpn-doctor.js'), 'utf8')).toContain(
      "join(root, 'dist', 'cli', 'main.js')",
    );
    // The runtime finds rules/ and scenarios/ next to dist/ (one level above it, like src/).
    const runtimeDirs = copies(runtime).flatMap((c) => c.sources);
    for (const dir of ['bin', 'rules', 'scenarios']) expect(runtimeDirs).toContain(dir);
  });

  it('puts in the image what the npm package ships (package.json `files`), and its dependencies', () => {
    const files = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] }
    ).files.map((f) => f.replace(/\/$/, ''));
    const shipped = (path: string) =>
      path === 'package.json' || files.some((f) => path === f || path.startsWith(`${f}/`));
    const intoImage = copies(runtime).flatMap((c) => c.sources.map((s) => s.replace(/^\/app\//, '')));
    expect(intoImage.filter((s) => s !== 'node_modules' && !shipped(s))).toEqual([]);
    // node_modules is pruned to the production dependencies (npm prune --omit=dev), as an install of
    // the package would give.
    const prune = only(build, 'RUN').map((r) => r.getArgumentsContent() ?? '');
    expect(prune.some((c) => /npm prune --omit=dev/.test(c))).toBe(true);
  });

  it('runs as a fixed non-root user', () => {
    const users = only(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const [uid, gid] = args(users.at(-1)!)[0]!.split(':');
    expect(Number(uid)).toBeGreaterThan(0); // numeric: Kubernetes runAsNonRoot can verify it
    expect(Number(gid)).toBeGreaterThan(0);
    const useradd = only(runtime, 'RUN')
      .map((r) => r.getArgumentsContent() ?? '')
      .find((c) => c.includes('useradd'));
    expect(useradd).toContain(`--uid ${uid}`);
    // The last USER comes after every RUN: nothing after it runs as root.
    const lastRun = runtime.lastIndexOf(only(runtime, 'RUN').at(-1)!);
    expect(runtime.indexOf(users.at(-1)!)).toBeGreaterThan(lastRun);
  });

  it('health-checks /healthz on the exposed port, which is the default listen port', () => {
    const defaultPort = configSchema
      .parse({ accounts: [{ name: 'a', regions: ['cn-hangzhou'] }] })
      .server.listen.split(':')
      .at(-1);
    expect(only(runtime, 'EXPOSE').map((e) => args(e)[0])).toEqual([defaultPort]);
    const health = only(runtime, 'HEALTHCHECK');
    expect(health).toHaveLength(1);
    const content = health[0]!.getArgumentsContent() ?? '';
    const exec = JSON.parse(content.slice(content.indexOf('CMD') + 3).trim()) as string[];
    expect(exec.slice(0, 2)).toEqual(['node', '-e']);
    expect(exec[2]).toContain(`fetch('http://127.0.0.1:${defaultPort}/healthz')`);
    expect(exec[2]).toMatch(/process\.exit\(r\.ok \? 0 : 1\)/);
  });

  it('keeps the store on a volume, reads the config from a mounted file and runs serve', () => {
    expect(only(runtime, 'VOLUME').map((v) => json(v))).toEqual([['/var/lib/alivpn-doctor']]);
    // The default storage.path is relative to the working directory: make that the volume.
    expect(args(only(runtime, 'WORKDIR').at(-1)!)[0]).toBe('/var/lib/alivpn-doctor');
    const env = only(runtime, 'ENV').flatMap(args);
    expect(env).toContain(`${CONFIG_ENV_VAR}=/etc/alivpn-doctor/config.yaml`);
    // --optimize-for-size keeps RSS under the 300 MB target at 4,000 tunnels; Node refuses it in
    // NODE_OPTIONS, so the entrypoint carries it, and the benchmark runs serve with the same flags.
    expect(json(only(runtime, 'ENTRYPOINT')[0]!)).toEqual([
      'node',
      '--optimize-for-size',
      '/app/bin/alivpn-doctor.js',
    ]);
    expect(json(only(runtime, 'ENTRYPOINT')[0]!).slice(1, -1)).toEqual(DEPLOYED_NODE_ARGS);
    expect(json(only(runtime, 'CMD')[0]!)).toEqual(['serve']);
    // `serve` and the `demo` override are real commands of the CLI.
    expect(usage()).toMatch(/alivpn-doctor serve /);
    expect(usage()).toMatch(/alivpn-doctor demo /);
  });
});
