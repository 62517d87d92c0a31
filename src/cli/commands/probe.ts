// `alivpn-doctor probe HOST [--port 500|4500] [--ike v1|v2] [--timeout-ms N] [--retries N]
// [--dh-group N] [--format json|text]`: one IKE first message and what came back.
// Exit 0 answered (the path to an IKE responder is open), 2 no answer, 3 bad input.
import { isIP } from 'node:net';
import { describeProbe, isDhGroup, probeIke } from '../../probe/index.js';
import { oneOf, parse, port, UsageError } from '../args.js';

const FORMATS = ['text', 'json'] as const;
const VERSIONS = ['v2', 'v1'] as const;
const HOST_NAME =
  /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      port: { type: 'string', short: 'p' },
      ike: { type: 'string' },
      'timeout-ms': { type: 'string' },
      retries: { type: 'string' },
      'dh-group': { type: 'string' },
      format: { type: 'string', short: 'f' },
    },
    true,
  );
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'probe needs the peer address: probe HOST'
        : `probe takes one HOST (got ${positionals.length}: ${positionals.join(' ')})`,
    );
  const host = positionals[0]!;
  if (!isIP(host) && !HOST_NAME.test(host))
    throw new UsageError(`HOST must be an IPv4/IPv6 address or a DNS name (got "${host}")`);
  const udpPort = port('port', values.port, 500);
  if (udpPort === 0) throw new UsageError('--port must not be 0 (IKE listens on 500 and 4500)');
  const ike = oneOf('ike', values.ike, VERSIONS, 'v2');
  const format = oneOf('format', values.format, FORMATS, 'text');
  const timeoutMs = integer('timeout-ms', values['timeout-ms'], 2000, 1, 60_000);
  const retries = integer('retries', values.retries, 2, 0, 10);
  const group = integer('dh-group', values['dh-group'], 14, 1, 65535);
  if (!isDhGroup(group))
    throw new UsageError(`--dh-group must be one of 1, 2, 5, 14, 19, 20 (got "${group}")`);

  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const result = await probeIke({
    host,
    port: udpPort,
    ike,
    timeoutMs,
    retries,
    dhGroup: group,
    signal: abort.signal,
  });
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);

  const summary = describeProbe(result);
  if (format === 'json') process.stdout.write(`${JSON.stringify({ ...result, summary }, null, 2)}\n`);
  else {
    const lines = [summary];
    const a = result.answer;
    if (a) {
      lines.push(
        `  IKE${a.version === 1 ? 'v1' : a.version === 2 ? 'v2' : '?'} ${a.exchange}: ${a.payloads.join(' ') || 'no payloads'}`,
      );
      if (a.notifies.length > 0) lines.push(`  notifies: ${a.notifies.join(', ')}`);
      if (a.wantsDhGroup !== null) lines.push(`  responder wants DH group ${a.wantsDhGroup}`);
      if (a.malformed) lines.push(`  not read to its end: ${a.malformed}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (result.answered) return 0;
  // A name that does not resolve is bad input, not silence on the path.
  if (result.outcome === 'error' && result.address === '') {
    process.stderr.write(`probe: ${result.error}\n`);
    return 3;
  }
  return 2;
}
