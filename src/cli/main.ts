// Entry point of the `alivpn-doctor` command: dispatches to one module per sub-command.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProxyConfigError } from '../cloud/proxy-error.js';
import { ListenError } from '../daemon/listen.js';
import { StoreError } from '../state/errors.js';
import { UsageError } from './args.js';

type Command = { run(argv: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  serve: {
    summary: 'serve --config FILE: the daemon (schedules collection, serves HTTP)',
    load: () => import('./commands/serve.js'),
  },
  diagnose: {
    summary: 'diagnose --config FILE [--connection vco-…] [--format text|json|markdown] [--lang en|ja]',
    load: () => import('./commands/diagnose.js'),
  },
  simulate: {
    summary:
      'simulate --scenario NAME|FILE [--port N] [--lab [vco-…:]1|2=LAB_SCENARIO]: the Alibaba Cloud API simulator alone',
    load: () => import('./commands/simulate.js'),
  },
  demo: {
    summary: 'demo [--port N] [--lab [vco-…:]1|2=LAB_SCENARIO]: simulator + daemon with scripted incidents',
    load: () => import('./commands/demo.js'),
  },
  logs: {
    summary: 'logs classify [--side gateway|peer] [--format json|text] [FILE|-] | logs score [--corpus DIR]',
    load: () => import('./commands/logs.js'),
  },
  'peer-config': {
    summary:
      'peer-config --config FILE --connection vco-… [--tunnel 1|2] [--format swanctl] [--include-psk]: the on-prem swanctl.conf',
    load: () => import('./commands/peer-config.js'),
  },
  lab: {
    summary: 'lab list | lab run SCENARIO [--out DIR]: real charon daemons in network namespaces',
    load: () => import('./commands/lab.js'),
  },
  rules: {
    summary: 'rules lint [DIR] | rules test: validate rules, replay recorded incidents',
    load: () => import('./commands/rules.js'),
  },
  probe: {
    summary:
      'probe HOST [--port 500|4500] [--ike v1|v2] [--timeout-ms N] [--format json|text]: does an IKE peer answer',
    load: () => import('./commands/probe.js'),
  },
};

const COMMAND_NOTE = [
  'A --config FILE may also come from ALIVPN_CONFIG (else ./config.yaml);',
  'config/example.yaml is a commented example. All commands: alivpn-doctor --help',
].join('\n');

export function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  alivpn-doctor ${c.summary}`);
  return ['Usage:', ...lines, '', 'The config path may also come from ALIVPN_CONFIG.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 64;
  }
  if (name === '--version' || name === 'version') {
    const { VERSION } = await import('../version.js');
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`alivpn-doctor: unknown command "${name}"\n\n${usage()}\n`);
    return 64;
  }
  // Every command answers --help (exit 0), before its own option parsing could call it unknown.
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`Usage: alivpn-doctor ${command.summary}\n\n${COMMAND_NOTE}\n`);
    return 0;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`alivpn-doctor ${name}: ${err.message}\n\n${usage()}\n`);
      // diagnose speaks the monitoring-plugin convention of docs/architecture.md: no verdict is 3 (unknown);
      // probe exits 3 on bad input.
      return name === 'diagnose' || name === 'probe' ? 3 : 64;
    }
    // A store it cannot use (unopenable, full, locked, corrupt) or an address it cannot listen on
    // (port taken, not this host's), or a proxy variable it cannot read: one line with the path,
    // address or variable and the remedy, exit 3 (what it cannot use), no stack.
    if (err instanceof StoreError || err instanceof ListenError || err instanceof ProxyConfigError) {
      process.stderr.write(`alivpn-doctor ${name}: ${err.message}\n`);
      return 3;
    }
    throw err;
  }
}

// Run when executed directly (bin/alivpn-doctor.js imports this module).
const invokedPath = process.argv[1] ? safeRealpath(process.argv[1]) : '';
const isBinShim = invokedPath.endsWith('alivpn-doctor.js') || invokedPath.endsWith('alivpn-doctor');
if (invokedPath === safeRealpath(fileURLToPath(import.meta.url)) || isBinShim) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `alivpn-doctor: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 70;
    },
  );
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
