// The pino logger factory. Every record is scrubbed of secrets (see redact.ts) before it is written:
// config objects, SDK errors, request headers and child bindings can be logged without leaking
// credentials.
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { secrets as processSecrets, type Scrubber } from './redact.js';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  level?: string;
  name?: string;
  /** Literal secret values to blank wherever they appear (use secretsOf(config)); taught to the process's scrubber. */
  secrets?: Iterable<string>;
  /** Default: the process's one scrubber (redact.ts `secrets`), which every other sink uses too. */
  scrubber?: Scrubber;
  /** Where to write (default stdout); tests pass a stream to capture lines. */
  destination?: DestinationStream;
  base?: Record<string, unknown>;
}

export function createLogger(opts: CreateLoggerOptions = {}): Logger {
  const scrubber = opts.scrubber ?? processSecrets;
  scrubber.learn(opts.secrets ?? []);
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    ...(opts.name !== undefined && { name: opts.name }),
    base: opts.base ?? { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Errors are already plain objects after scrubbing (type, message, stack, code, …).
    serializers: { err: (e: unknown) => e, error: (e: unknown) => e },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => scrubber.scrub(bindings) as Record<string, unknown>,
      log: (obj) => scrubber.scrub(obj) as Record<string, unknown>,
    },
    hooks: {
      // Message strings and printf-style arguments are scrubbed too.
      logMethod(args, method) {
        let input: unknown[] = args;
        // log.error(err) takes its message from the error: route it through the scrubbed path.
        const [first, ...rest] = args as unknown[];
        if (first instanceof Error) input = [{ err: first }, rest[0] ?? first.message, ...rest.slice(1)];
        const clean = input.map((a, i) =>
          typeof a === 'string'
            ? scrubber.scrubString(a)
            : i > 0 && typeof a === 'object'
              ? scrubber.scrub(a)
              : a,
        );
        return method.apply(this, clean as Parameters<typeof method>);
      },
    },
  };
  const logger = opts.destination ? pino(options, opts.destination) : pino(options);
  return scrubChildBindings(logger, scrubber);
}

type ChildFn = (bindings: Record<string, unknown>, options?: Record<string, unknown>) => Logger;

/** pino serialises child bindings once, outside formatters.log: scrub them on the way in. */
function scrubChildBindings(logger: Logger, scrubber: Scrubber): Logger {
  const child = logger.child.bind(logger) as unknown as ChildFn;
  const wrapped: ChildFn = (bindings, options) =>
    scrubChildBindings(child(scrubber.scrub(bindings) as Record<string, unknown>, options), scrubber);
  logger.child = wrapped as unknown as Logger['child'];
  return logger;
}

/** Secrets the default credential chain reads from the environment (accounts without an AccessKey). */
const CHAIN_SECRET_VARS = ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN'] as const;

/** The literal secrets in a loaded config (and the credential chain's), for CreateLoggerOptions.secrets. */
export function secretsOf(
  config: {
    server?: { authToken?: string | undefined };
    accounts?: Array<{ accessKeySecret?: string | undefined; securityToken?: string | undefined }>;
  },
  env: Readonly<Record<string, string | undefined>> = process.env,
): string[] {
  const out: string[] = [];
  if (config.server?.authToken) out.push(config.server.authToken);
  for (const a of config.accounts ?? []) {
    if (a.accessKeySecret) out.push(a.accessKeySecret);
    if (a.securityToken) out.push(a.securityToken);
  }
  for (const name of CHAIN_SECRET_VARS) if (env[name]) out.push(env[name]);
  return out;
}
