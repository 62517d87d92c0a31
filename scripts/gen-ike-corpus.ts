// `npm run corpus [-- SCENARIO…]`: regenerates test/fixtures/ike-logs/<scenario>/ from the
// strongSwan lab (src/lab): both sides' real charon logs, both swanctl.conf and strongswan.conf,
// both `swanctl --list-sas`, and expected.json (the cause each side's log can name). Needs root
// and strongSwan (scripts/system-deps.sh installs it). The logs are charon's own lines, unedited:
// times, SPIs and thread numbers differ from run to run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type LabScenario,
  labUnavailableReason,
  runScenario,
  SCENARIOS,
  type ScenarioRun,
} from '../src/lab/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS_DIR = join(ROOT, 'test', 'fixtures', 'ike-logs');
const CONCURRENCY = 3;

/** expected.json of one scenario: the contract test/lab/corpus.test.ts checks and the classifier meets. */
export function expectedJson(s: LabScenario, run: ScenarioRun): Record<string, unknown> {
  return {
    scenario: s.name,
    strongswanVersion: run.strongswanVersion,
    summary: s.summary,
    outcome: run.outcome,
    gateway: s.expected.gateway,
    peer: s.expected.peer,
    ...(s.note ? { note: s.note } : {}),
    ...(s.hostDependent ? { hostDependent: s.hostDependent } : {}),
  };
}

async function record(s: LabScenario): Promise<string> {
  const dir = join(CORPUS_DIR, s.name);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const run = await runScenario(s, { outDir: tmp });
  try {
    if (!run.asExpected) {
      rmSync(tmp, { recursive: true, force: true });
      const why = `outcome ${run.outcome}, expected ${s.outcome}${run.missedSteps.length ? `; ${run.missedSteps.join('; ')}` : ''}`;
      if (s.hostDependent && existsSync(dir))
        return `${s.name}: kept the recorded fixture (${why}: ${s.hostDependent})`;
      throw new Error(`${s.name}: ${why}`);
    }
    writeFileSync(join(tmp, 'expected.json'), `${JSON.stringify(expectedJson(s, run), null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    execFileSync('mv', [tmp, dir]);
    return `${s.name}: ${run.outcome} (${(run.durationMs / 1000).toFixed(1)} s)`;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(names: string[]): Promise<number> {
  const reason = labUnavailableReason();
  if (reason) {
    process.stderr.write(`gen-ike-corpus: cannot run the lab here: ${reason}\n`);
    return 3;
  }
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) {
    process.stderr.write(`gen-ike-corpus: unknown scenario(s): ${unknown.join(', ')}\n`);
    return 64;
  }
  const todo = SCENARIOS.filter((s) => names.length === 0 || names.includes(s.name));
  const failures: string[] = [];
  const queue = [...todo];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        try {
          process.stdout.write(`${await record(s)}\n`);
        } catch (e) {
          failures.push((e as Error).message);
          process.stdout.write(`${(e as Error).message}\n`);
        }
      }
    }),
  );
  // The fixtures stay biome-clean (expected.json is the only file biome formats).
  execFileSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', CORPUS_DIR], {
    stdio: 'ignore',
  });
  if (failures.length) {
    process.stderr.write(
      `gen-ike-corpus: ${failures.length} scenario(s) did not behave as recorded:\n${failures.join('\n')}\n`,
    );
    return 1;
  }
  process.stdout.write(`gen-ike-corpus: ${todo.length} scenario(s) in ${CORPUS_DIR}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`gen-ike-corpus: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}

// Read by test/lab/corpus.test.ts to tell fixture files from stray ones.
export const CORPUS_FILES = [
  'expected.json',
  'gateway.log',
  'peer.log',
  'gateway.swanctl.conf',
  'peer.swanctl.conf',
  'gateway.strongswan.conf',
  'peer.strongswan.conf',
  'gateway.list-sas.txt',
  'peer.list-sas.txt',
] as const;
export const readCorpusFile = (scenario: string, file: string): string =>
  readFileSync(join(CORPUS_DIR, scenario, file), 'utf8');
