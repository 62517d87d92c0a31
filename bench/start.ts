// `npm run bench`: compile the daemon and the benchmark (bench/build.ts), then run the compiled
// benchmark, passing the arguments on. The numbers are then those of the JavaScript that ships,
// not of TypeScript transformed on the fly by tsx.
import { spawn } from 'node:child_process';
import { buildBench } from './build.js';

process.stderr.write('bench: compiling the daemon and the benchmark…\n');
const entry = buildBench();
const child = spawn(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
