// runScenario: brings one named scenario up, lets the peer initiate, waits for the outcome, runs
// the scenario's follow-up steps, records both sides' logs, configs and `swanctl --list-sas`, and
// tears the lab down.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIDES, type Side } from './config.js';
import { type Lab, LabError, startLab } from './lab.js';
import { findScenario, type LabScenario, type Outcome, SCENARIOS, type Step } from './scenarios.js';
import { strongswanVersion } from './system.js';

export interface ScenarioRun {
  scenario: string;
  strongswanVersion: string;
  outcome: Outcome;
  /** True when `outcome` is what the scenario says charon does. */
  asExpected: boolean;
  durationMs: number;
  /** What `swanctl --initiate` printed on the peer. */
  initiateOutput: string;
  /** Follow-up steps whose wait ran out (e.g. a log line that never came). */
  missedSteps: string[];
  logs: Record<Side, string>;
  listSas: Record<Side, string>;
  swanctlConf: Record<Side, string>;
  /** Each strongswan.conf, with the lab's temporary directory written as LAB_DIR. */
  strongswanConf: Record<Side, string>;
  /** Files written when `outDir` was given. */
  files: string[];
}

export interface RunOptions {
  /** Write gateway.log, peer.log, *.swanctl.conf, *.list-sas.txt and run.json here. */
  outDir?: string;
  /** Seconds the peer's initiate may take. */
  timeoutS?: number;
  /** Keep the lab's run directory (for debugging). */
  keep?: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function scenarioNames(): string[] {
  return SCENARIOS.map((s) => s.name);
}

/** Runs one scenario (by name or definition) end to end; the lab is always torn down. */
export async function runScenario(
  scenario: string | LabScenario,
  options: RunOptions = {},
): Promise<ScenarioRun> {
  const def = typeof scenario === 'string' ? findScenario(scenario) : scenario;
  if (!def)
    throw new LabError(`lab: unknown scenario "${String(scenario)}" (known: ${scenarioNames().join(', ')})`);
  const started = Date.now();
  const lab = await startLab({
    ...(def.topology ? { topology: def.topology } : {}),
    ...(def.gateway ? { gateway: def.gateway } : {}),
    ...(def.peer ? { peer: def.peer } : {}),
    ...(options.keep ? { keep: true } : {}),
  });
  try {
    const missedSteps: string[] = [];
    for (const step of def.before ?? []) await runStep(lab, step, missedSteps);
    const initiate = await lab.initiate({ timeoutS: options.timeoutS ?? 40 });
    const outcome = await outcomeOf(lab, initiate.ok);
    for (const step of def.after ?? []) await runStep(lab, step, missedSteps);
    // Let the responder finish logging what the last exchange did.
    await sleep(700);
    const listSas = { gateway: await lab.listSas('gateway'), peer: await lab.listSas('peer') };
    const run: ScenarioRun = {
      scenario: def.name,
      strongswanVersion: await strongswanVersion(),
      outcome,
      asExpected: outcome === def.outcome && missedSteps.length === 0,
      durationMs: Date.now() - started,
      initiateOutput: initiate.output,
      missedSteps,
      logs: { gateway: lab.readLog('gateway'), peer: lab.readLog('peer') },
      listSas,
      swanctlConf: {
        gateway: readFileSync(lab.sides.gateway.swanctlConfPath, 'utf8'),
        peer: readFileSync(lab.sides.peer.swanctlConfPath, 'utf8'),
      },
      strongswanConf: {
        gateway: readFileSync(lab.sides.gateway.strongswanConfPath, 'utf8').replaceAll(lab.dir, 'LAB_DIR'),
        peer: readFileSync(lab.sides.peer.strongswanConfPath, 'utf8').replaceAll(lab.dir, 'LAB_DIR'),
      },
      files: [],
    };
    if (options.outDir) run.files = writeRun(run, options.outDir);
    return run;
  } finally {
    await lab.stop();
  }
}

/** Outcome of the peer's initiate, read from its SAs (and, for a silent peer, its retransmits). */
async function outcomeOf(lab: Lab, initiateOk: boolean): Promise<Outcome> {
  const sas = await lab.listSas('peer');
  const ike = /\bESTABLISHED\b/.test(sas);
  const child = /\bINSTALLED\b/.test(sas);
  if (initiateOk && ike && child) return 'established';
  if (ike) return child ? 'established' : 'child-failed';
  if (/giving up after \d+ retransmits/.test(lab.readLog('peer'))) return 'gave-up';
  return 'failed';
}

async function runStep(lab: Lab, step: Step, missed: string[]): Promise<void> {
  if ('dropUdp' in step) await lab.dropUdp(step.dropUdp.side, step.dropUdp.port);
  else if ('kill' in step) await lab.kill(step.kill);
  else if ('terminate' in step) {
    const { side, sa } = step.terminate;
    const name = lab.sides[side].connection;
    await lab.swanctl(
      side,
      ['--terminate', sa === 'ike' ? '--ike' : '--child', name, '--timeout', '10'],
      20_000,
    );
  } else if ('waitLog' in step) {
    const { side, pattern, timeoutMs } = step.waitLog;
    if (!(await lab.waitForLog(side, new RegExp(pattern), timeoutMs)))
      missed.push(`${side} log never showed /${pattern}/ within ${timeoutMs} ms`);
  } else await sleep(step.sleep);
}

/** The files of one run, as the corpus keeps them. */
export function writeRun(run: ScenarioRun, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const files: Record<string, string> = {};
  for (const side of SIDES) {
    files[`${side}.log`] = run.logs[side];
    files[`${side}.swanctl.conf`] = run.swanctlConf[side];
    files[`${side}.strongswan.conf`] = run.strongswanConf[side];
    files[`${side}.list-sas.txt`] = run.listSas[side];
  }
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = join(outDir, name);
    writeFileSync(path, text);
    written.push(path);
  }
  return written;
}
