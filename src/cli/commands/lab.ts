// `alivpn-doctor lab list` and `lab run SCENARIO [--out DIR] [--format text|json]`: the strongSwan
// lab of src/lab (two real charon daemons in network namespaces; root and strongSwan needed to run).
import { resolve } from 'node:path';
import { LabError, labUnavailableReason, runScenario, SCENARIOS, type ScenarioRun } from '../../lab/index.js';
import { oneOf, parse, UsageError } from '../args.js';

type Write = (text: string) => void;
const stdout: Write = (t) => process.stdout.write(t);
const stderr: Write = (t) => process.stderr.write(t);

/** The scenario table: name, what charon does, the cause each side's log names. */
export function formatList(): string {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  const lines = [`${'SCENARIO'.padEnd(width)}  ${'OUTCOME'.padEnd(12)}  GATEWAY / PEER CAUSE`];
  for (const s of SCENARIOS) {
    const cause = (side: 'gateway' | 'peer') => s.expected[side].cause ?? '-';
    lines.push(`${s.name.padEnd(width)}  ${s.outcome.padEnd(12)}  ${cause('gateway')} / ${cause('peer')}`);
    lines.push(`${''.padEnd(width)}  ${s.summary}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatRun(run: ScenarioRun, expected: string): string {
  const lines = [
    `scenario  ${run.scenario} (strongSwan ${run.strongswanVersion}, ${(run.durationMs / 1000).toFixed(1)} s)`,
    `outcome   ${run.outcome}${run.asExpected ? '' : `  (expected ${expected})`}`,
    ...run.missedSteps.map((m) => `missed    ${m}`),
    ...run.files.map((f) => `wrote     ${f}`),
  ];
  return `${lines.join('\n')}\n`;
}

export async function run(argv: string[], out: Write = stdout, err: Write = stderr): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'list') {
    parse(rest, {});
    out(formatList());
    return 0;
  }
  if (sub !== 'run') throw new UsageError('lab needs a sub-command: list | run SCENARIO [--out DIR]');
  const { values, positionals } = parse(rest, { out: { type: 'string' }, format: { type: 'string' } }, true);
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  const name = positionals[0];
  if (!name || positionals.length > 1)
    throw new UsageError('lab run takes one scenario name (see `lab list`)');
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new UsageError(`unknown lab scenario "${name}" (see \`alivpn-doctor lab list\`)`);
  const reason = labUnavailableReason();
  if (reason) {
    err(`alivpn-doctor lab: cannot run here: ${reason}\n`);
    return 3;
  }
  let result: ScenarioRun;
  try {
    result = await runScenario(scenario, values.out ? { outDir: resolve(values.out) } : {});
  } catch (e) {
    if (e instanceof LabError) {
      err(`alivpn-doctor lab: ${e.message}\n`);
      return 3;
    }
    throw e;
  }
  if (format === 'json') {
    const { logs: _logs, swanctlConf: _conf, strongswanConf: _ss, ...summary } = result;
    out(`${JSON.stringify({ ...summary, expected: scenario.expected }, null, 2)}\n`);
  } else out(formatRun(result, scenario.outcome));
  return result.asExpected ? 0 : 1;
}
