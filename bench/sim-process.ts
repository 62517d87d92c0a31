// The benchmark's simulator, in its own process so that the daemon's peak RSS and event loop are
// measured without the simulated cloud. Reads its fleet options as JSON in argv[2], prints one JSON
// line {url, keys} when listening, and runs until killed (SIGTERM).
import { type FleetOptions, fleetKey, generateFleet } from '../src/sim/fleet.js';
import { startSimulator } from '../src/sim/index.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as FleetOptions;
const world = generateFleet(opts);
const sim = await startSimulator({ scenario: world, port: 0, host: '127.0.0.1', clock: 'real' });
const keys = world.accounts.map((a, i) => ({ account: a.name, ...fleetKey(i) }));
const regions = world.accounts.map((a) => ({
  account: a.name,
  regions: a.regions.map((r) => ({ id: r.id, connections: r.connections.map((c) => c.id) })),
}));
process.stdout.write(`${JSON.stringify({ url: sim.url, keys, regions })}\n`);
const stop = () => void sim.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
