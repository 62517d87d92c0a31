// `alivpn-doctor demo` (and `npm start`): the simulator and the daemon in one process. The `demo`
// scenario scripts a failover and its recovery on a loop, so the report, the metrics and the
// timeline show a living system. The daemon reaches the simulator exactly as it would reach
// Alibaba Cloud: through the real SDK clients, with signed requests, configured only by the config.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, configSchema } from '../../config/index.js';
import { type Daemon, startDaemon } from '../../daemon/runtime.js';
import { startSimulator } from '../../sim/index.js';
import { backWithLabs, type LabBacked, type LabBinding } from '../../sim/lab-backing.js';
import type { World } from '../../sim/world/types.js';
import { parse, port } from '../args.js';
import { labBindings } from './simulate.js';

export interface DemoOptions {
  /** HTTP port of the daemon (default 9756; 0 picks a free one). */
  port?: number;
  /** Port of the simulator (default: a free one). */
  simPort?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Cron expression of the status tier (default every 5 s, so incidents show quickly). */
  statusSchedule?: string;
  scenario?: string;
  /** Where the SQLite store lives (default: a temporary directory removed on stop). */
  dataDir?: string;
  /** Write the daemon's logs (default true). */
  log?: boolean;
  /** Tunnels backed by the strongSwan lab (real charons negotiate; root needed). */
  lab?: LabBinding[];
  /** Where lab-backing progress goes (default stderr). */
  report?: (line: string) => void;
}

export interface Demo {
  url: string;
  simUrl: string;
  daemon: Daemon;
  world: World;
  /** Settles when every lab-backed tunnel has negotiated (empty without `lab`). */
  lab: Promise<LabBacked[]>;
  stop(): Promise<void>;
}

/** The daemon's config for a simulated world: every account of the world, pointed at the simulator. */
export function demoConfig(world: World, simUrl: string, opts: DemoOptions & { dataDir: string }): AppConfig {
  return configSchema.parse({
    poll: {
      status: opts.statusSchedule ?? '*/5 * * * * *',
      topology: '*/30 * * * * *',
      traffic: '*/10 * * * * *',
      adaptive: { enabled: true, status: '*/2 * * * * *' },
    },
    storage: { path: join(opts.dataDir, 'alivpn.db'), retentionDays: 1 },
    logging: { level: opts.log === false ? 'silent' : 'info' },
    accounts: world.accounts.map((account) => {
      const key = account.accessKeys[0];
      if (!key) throw new Error(`scenario account ${account.name} has no AccessKey`);
      return {
        name: account.name,
        accessKeyId: key.id,
        accessKeySecret: key.secret,
        ...(key.securityToken && { securityToken: key.securityToken }),
        regions: account.regions.map((r) => r.id),
        endpoint: simUrl,
      };
    }),
  });
}

export async function startDemo(opts: DemoOptions = {}): Promise<Demo> {
  const sim = await startSimulator({
    scenario: opts.scenario ?? 'demo',
    port: opts.simPort ?? 0,
    clock: 'real',
  });
  const ownDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'alivpn-demo-'));
  let daemon: Daemon;
  try {
    daemon = await startDaemon(demoConfig(sim.world, sim.url, { ...opts, dataDir }), {
      listen: { host: opts.host ?? '127.0.0.1', port: opts.port ?? 9756 },
    });
  } catch (err) {
    await sim.close();
    throw err;
  }
  const report = opts.report ?? ((line: string) => process.stderr.write(`  ${line}\n`));
  const lab = opts.lab?.length ? backWithLabs(sim, opts.lab, report) : Promise.resolve([]);
  return {
    url: daemon.url,
    simUrl: sim.url,
    daemon,
    world: sim.world,
    lab,
    async stop() {
      await lab;
      await daemon.stop();
      await sim.close();
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    port: { type: 'string', short: 'p' },
    'sim-port': { type: 'string' },
    host: { type: 'string' },
    scenario: { type: 'string', short: 's' },
    lab: { type: 'string', multiple: true },
  });
  const lab = labBindings(values.lab);
  const demo = await startDemo({
    ...(lab.length > 0 && { lab }),
    port: port('port', values.port, 9756),
    simPort: port('sim-port', values['sim-port'], 0),
    ...(values.host !== undefined && { host: values.host }),
    ...(values.scenario !== undefined && { scenario: values.scenario }),
  });
  const connection = demo.world.accounts[0]?.regions[0]?.connections[0]?.id ?? 'vco-…';
  process.stderr.write(
    [
      '',
      `  alivpn-doctor demo — scenario "${demo.world.name}"`,
      `  On-call report:   ${demo.url}/`,
      `  Metrics:          ${demo.url}/metrics`,
      `  JSON report:      ${demo.url}/api/v1/report`,
      `  API docs:         ${demo.url}/docs`,
      `  Simulator:        ${demo.simUrl}  (Alibaba Cloud OpenAPI, signed requests)`,
      `  Fail a tunnel:    curl -X POST ${demo.simUrl}/_sim/incidents -H 'content-type: application/json' \\`,
      `                      -d '{"connectionId":"${connection}","tunnel":1,"cause":"PskMismatch"}'`,
      `  Recover it:       curl -X POST ${demo.simUrl}/_sim/recover -H 'content-type: application/json' \\`,
      `                      -d '{"connectionId":"${connection}","tunnel":1}'`,
      '  Ctrl-C stops.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await demo.stop();
  return 0;
}
