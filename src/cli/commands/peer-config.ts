// `alivpn-doctor peer-config --connection vco-… [--tunnel 1|2] --format swanctl [--include-psk]`:
// prints the swanctl.conf the on-prem strongSwan needs for the connection, from the cloud config.
// Exit 0 printed, 3 the connection could not be read, 64 usage. The PSK is printed only with
// --include-psk, and only to stdout.
import pino from 'pino';
import { createRegionApis, InMemoryApiCallCounter } from '../../cloud/index.js';
import { ConnectionNotFoundError, fetchPeerConfigSource } from '../../collect/peer-config-source.js';
import { createLogger, secretsOf } from '../../log/logger.js';
import { isConnectionId } from '../../model/ids.js';
import { UnsupportedAlgorithmError } from '../../peer/algorithms.js';
import { generateSwanctlConf } from '../../peer/swanctl-generate.js';
import { oneOf, parse, UsageError } from '../args.js';
import { loadConfigOrReport } from '../config-arg.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    config: { type: 'string', short: 'c' },
    connection: { type: 'string' },
    tunnel: { type: 'string' },
    format: { type: 'string', short: 'f' },
    'include-psk': { type: 'boolean' },
  });
  if (!values.connection || !isConnectionId(values.connection))
    throw new UsageError(`--connection takes a connection id like vco-… (got "${values.connection ?? ''}")`);
  oneOf('format', values.format, ['swanctl'] as const, 'swanctl');
  const tunnel = oneOf('tunnel', values.tunnel, ['1', '2'] as const, '1');
  const config = loadConfigOrReport(values.config);
  if (!config) return 3;
  const logger = createLogger({
    level: 'warn',
    secrets: secretsOf(config),
    destination: pino.destination({ fd: 2, sync: true }),
  });
  const apis = createRegionApis(config, { counter: new InMemoryApiCallCounter(), logger });
  try {
    const source = await fetchPeerConfigSource(apis, values.connection, {
      includePsk: values['include-psk'] === true,
    });
    if (values.tunnel !== undefined && !source.connection.tunnels.some((t) => t.index === Number(tunnel))) {
      process.stderr.write(
        `peer-config: connection ${values.connection} has no tunnel ${tunnel} (it is a single-tunnel connection)\n`,
      );
      return 3;
    }
    process.stdout.write(
      generateSwanctlConf(source.connection, {
        ...(values.tunnel !== undefined && { tunnels: [Number(tunnel) as 1 | 2] }),
        psks: source.psks,
      }),
    );
    return 0;
  } catch (err) {
    if (err instanceof ConnectionNotFoundError || err instanceof UnsupportedAlgorithmError) {
      process.stderr.write(`peer-config: ${err.message}\n`);
      return 3;
    }
    throw err;
  }
}
