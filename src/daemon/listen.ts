// Opening the HTTP listener and saying what happened in words a person can act on: a port that is
// taken or an address that is not this host's is one line naming the address and what to do (the
// CLI exits 3, no stack); listening beyond loopback without a token is a warning; the start-up line
// names a URL that works from where it is read (never 127.0.0.1 for a 0.0.0.0 listener).
import { hostname, networkInterfaces } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../log/logger.js';

/** The daemon cannot use the address it was given; the message says which and what to do. */
export class ListenError extends Error {
  override name = 'ListenError';
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const hostPort = (host: string, port: number) =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

export function listenError(err: unknown, host: string, port: number): ListenError | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const at = `cannot listen on ${hostPort(host, port)}`;
  const change = 'server.listen of the config (demo: --port)';
  switch (code) {
    case 'EADDRINUSE':
      return new ListenError(
        `${at}: the port is already in use (another alivpn-doctor or another program); stop that one, or choose another port in ${change}`,
        code,
        { cause: err },
      );
    case 'EACCES':
      return new ListenError(
        `${at}: permission denied (ports below 1024 need privileges); choose a port above 1024 in ${change}`,
        code,
        { cause: err },
      );
    case 'EADDRNOTAVAIL':
      return new ListenError(
        `${at}: ${host} is not an address of this host; use 0.0.0.0 (all interfaces), 127.0.0.1 (this host only) or one of its addresses in ${change}`,
        code,
        { cause: err },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ListenError(
        `${at}: the host name ${host} does not resolve; use an IP address in ${change}`,
        code,
        {
          cause: err,
        },
      );
    default:
      return undefined;
  }
}

const ALL = new Set(['0.0.0.0', '::', '']);
const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** What the start-up log says: where to point a browser, and whether that is all interfaces. */
export function announce(host: string, port: number): { url: string; where: string } {
  if (ALL.has(host)) {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
    return {
      url: `http://${external ?? hostname()}:${port}`,
      where: `all interfaces (${host === '::' ? '[::]' : '0.0.0.0'}), port ${port}`,
    };
  }
  return { url: `http://${hostPort(host, port)}`, where: hostPort(host, port) };
}

/** Listen, or throw a ListenError the CLI prints as one line; logs where it listens and any exposure. */
export async function listenAnnounced(
  server: Pick<FastifyInstance, 'listen'> | { listen(o: { host: string; port: number }): Promise<string> },
  { host, port }: { host: string; port: number },
  logger: Logger,
  fields: { version: string; accounts: string[]; hasToken: boolean },
): Promise<string> {
  let address: string;
  try {
    address = await server.listen({ host, port });
  } catch (err) {
    throw listenError(err, host, port) ?? err;
  }
  const bound = Number(new URL(address).port) || port;
  const { url, where } = announce(host, bound);
  logger.info(
    { url, listen: where, accounts: fields.accounts },
    `alivpn-doctor ${fields.version} listening on ${where}: ${url}/`,
  );
  if (!fields.hasToken && !LOOPBACK.test(host))
    logger.warn(
      { listen: where },
      `listening on ${where} without server.authToken: anyone who can reach this port can read the report and trigger diagnose calls; set server.authToken (e.g. "\${ALIVPN_TOKEN}") or listen on 127.0.0.1`,
    );
  // A URL for this host's own use (the demo prints it, tests call it): loopback for a wildcard listener.
  return ALL.has(host) ? address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1') : address;
}
