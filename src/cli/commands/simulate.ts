// `alivpn-doctor simulate --scenario NAME|FILE [--port N]`: the Alibaba Cloud API simulator alone,
// until SIGINT/SIGTERM. Prints where it listens and the scenario's (fake) AccessKey pairs, so a
// script using the official SDK can point at it.

import { labUnavailableReason } from '../../lab/index.js';
import { type Simulator, startSimulator } from '../../sim/index.js';
import { backWithLabs, type LabBinding, LabBindingError, parseLabBinding } from '../../sim/lab-backing.js';
import { listScenarios, ScenarioError } from '../../sim/world/load.js';
import { parse, port, UsageError } from '../args.js';

export interface SimulateOptions {
  scenario: string;
  port?: number;
  host?: string;
  /** World time runs this many times faster than wall time (game days). */
  speed?: number;
}

/** What `simulate` prints on start: address, control endpoints and the scenario's keys. */
export function banner(sim: Simulator): string {
  const lines = [
    '',
    `  alivpn-doctor simulator — scenario "${sim.world.name}"${sim.world.description ? `: ${sim.world.description}` : ''}`,
    `  Listening on     ${sim.url}   (SDK Config: endpoint "${new URL(sim.url).host}", protocol "http")`,
    '  AccessKey pairs (fake, valid only against this simulator):',
  ];
  for (const account of sim.world.accounts) {
    for (const key of account.accessKeys) {
      lines.push(`    account ${account.name}: AccessKeyId ${key.id}  AccessKeySecret ${key.secret}`);
    }
  }
  const regions = [...new Set(sim.world.accounts.flatMap((a) => a.regions.map((r) => r.id)))];
  const connection = sim.world.accounts[0]?.regions[0]?.connections[0]?.id ?? 'vco-…';
  lines.push(
    `  Regions          ${regions.join(', ')}`,
    `  World summary    curl ${sim.url}/_sim/world`,
    `  Fail a tunnel    curl -X POST ${sim.url}/_sim/incidents -H 'content-type: application/json' -d '{"connectionId":"${connection}","tunnel":1,"cause":"PskMismatch"}'`,
    `  Recover it       curl -X POST ${sim.url}/_sim/recover -H 'content-type: application/json' -d '{"connectionId":"${connection}","tunnel":1}'`,
    '  Ctrl-C stops.',
    '',
  );
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    scenario: { type: 'string', short: 's' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    speed: { type: 'string' },
    lab: { type: 'string', multiple: true },
  });
  if (!values.scenario) {
    throw new UsageError(`--scenario NAME|FILE is required (shipped: ${listScenarios().join(', ')})`);
  }
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0)) throw new UsageError(`--speed must be a positive number (got "${values.speed}")`);
  const bindings = labBindings(values.lab);
  let sim: Simulator;
  try {
    sim = await startSimulator({
      scenario: values.scenario,
      port: port('port', values.port, 9100),
      host: values.host ?? '127.0.0.1',
      clock: 'real',
      speed,
    });
  } catch (err) {
    // A bad scenario or a busy port is the user's to fix: say what and where, no stack trace.
    const code = (err as NodeJS.ErrnoException).code;
    if (err instanceof ScenarioError || code === 'EADDRINUSE' || /scenario/.test((err as Error).message)) {
      process.stderr.write(`alivpn-doctor simulate: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
  process.stdout.write(banner(sim));
  if (bindings.length > 0) void backWithLabs(sim, bindings, (line) => process.stdout.write(`  ${line}\n`));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  return 0;
}

/**
 * `--lab [vco-…:]1|2=SCENARIO` (repeatable): back tunnels with the strongSwan lab. Needs root and
 * strongSwan; a host that cannot run it is a usage error that says why.
 */
export function labBindings(specs: string[] | undefined): LabBinding[] {
  if (!specs || specs.length === 0) return [];
  const bindings = specs.map((spec) => {
    try {
      return parseLabBinding(spec);
    } catch (e) {
      if (e instanceof LabBindingError) throw new UsageError(e.message);
      throw e;
    }
  });
  const reason = labUnavailableReason();
  if (reason) throw new UsageError(`--lab needs the strongSwan lab, which cannot run here: ${reason}`);
  return bindings;
}
