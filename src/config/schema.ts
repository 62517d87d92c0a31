// The config file's shape (DESIGN.md "Config"), with defaults. Objects are strict: an unknown key is
// an error naming its path, because a misspelt key silently ignored is a misconfigured daemon.
import { z } from 'zod';
import { isKnownRegion, suggestRegion } from './regions.js';
import { cronProblem, endpointProblem, listenProblem } from './validators.js';

/** Numbers may come from `${ENV}` as strings; accept plain decimal strings, nothing looser. */
const fromEnvNumber = (v: unknown) =>
  typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v;
const fromEnvBoolean = (v: unknown) => (v === 'true' ? true : v === 'false' ? false : v);

const int = (min: number, max: number) => z.preprocess(fromEnvNumber, z.number().int().min(min).max(max));
const positive = (max: number) => z.preprocess(fromEnvNumber, z.number().positive().max(max));
const bool = () => z.preprocess(fromEnvBoolean, z.boolean());
const nonEmpty = () => z.string().trim().min(1, 'must not be empty');

const check = (problem: (v: string) => string | undefined) =>
  z.string().superRefine((v, ctx) => {
    const message = problem(v);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const cron = () => check(cronProblem);
const endpoint = () => check(endpointProblem);

const region = z.string().superRefine((id, ctx) => {
  if (isKnownRegion(id)) return;
  const hint = suggestRegion(id);
  ctx.addIssue({
    code: 'custom',
    message: `"${id}" is not a known Alibaba Cloud region id${hint ? ` (did you mean ${hint}?)` : ''}`,
  });
});

const ruleId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'rule ids are lower-case words joined by "-"');

const bucket = (rps: number, burst: number) =>
  z.strictObject({ rps: positive(10_000).default(rps), burst: int(1, 100_000).default(burst) }).prefault({});

export const serverSchema = z
  .strictObject({
    listen: check(listenProblem).default('0.0.0.0:9756'),
    /** Bearer token for /api and /report; omit to leave them open (only on a trusted network). */
    authToken: nonEmpty().optional(),
  })
  .prefault({});

export const pollSchema = z
  .strictObject({
    status: cron().default('*/30 * * * * *'),
    topology: cron().default('*/5 * * * *'),
    traffic: cron().default('* * * * *'),
    /** A faster status tier for a region with an unhealthy tunnel (relaxes when healthy again). */
    adaptive: z
      .strictObject({ enabled: bool().default(true), status: cron().default('*/10 * * * * *') })
      .prefault({}),
    evidence: z
      .strictObject({
        maxTunnelsPerCycle: int(1, 1000).default(20),
        /** Minutes of DescribeVpnConnectionLogs to capture at a failure. */
        logWindowMinutes: int(1, 60).default(10),
      })
      .prefault({}),
  })
  .prefault({});

export const storageSchema = z
  .strictObject({
    /** SQLite file; a relative path is relative to the working directory. */
    path: nonEmpty().default('./data/alivpn.db'),
    retentionDays: int(1, 3650).default(30),
  })
  .prefault({});

export const apiSchema = z
  .strictObject({
    readTimeoutMs: int(100, 300_000).default(10_000),
    connectTimeoutMs: int(100, 120_000).default(5_000),
    retries: z
      .strictObject({
        max: int(0, 20).default(4),
        baseDelayMs: int(1, 60_000).default(200),
        maxDelayMs: int(1, 600_000).default(5_000),
      })
      .prefault({}),
    /** Request budget per account × product (token bucket): calls wait rather than get throttled. */
    budget: z
      .strictObject({
        /** `account`: one bucket per account × product; `region`: one per account × region × product. */
        scope: z.enum(['account', 'region']).default('account'),
        vpc: bucket(10, 20),
        ecs: bucket(10, 20),
        cms: bucket(20, 40),
      })
      .prefault({}),
  })
  .prefault({});

export const rulesSchema = z
  .strictObject({
    /** Extra rule directories (CEL rule files). */
    dirs: z.array(nonEmpty()).default([]),
    /** Severity override per rule id; `off` disables the rule. */
    severity: z.record(ruleId, z.enum(['critical', 'warning', 'info', 'off'])).default({}),
  })
  .prefault({});

export const loggingSchema = z
  .strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .prefault({});

export const accountSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'account names are 1-63 letters, digits, "_", "." or "-"'),
  /** Omit accessKeyId/accessKeySecret to use the @alicloud/credentials default chain. */
  accessKeyId: nonEmpty().optional(),
  accessKeySecret: nonEmpty().optional(),
  securityToken: nonEmpty().optional(),
  regions: z.array(region).min(1, 'list at least one region'),
  /** One URL for every product (e.g. the simulator, "http://127.0.0.1:9100"). */
  endpoint: endpoint().optional(),
  /** Per-product endpoint URLs; they win over `endpoint`. */
  endpoints: z
    .strictObject({ vpc: endpoint().optional(), ecs: endpoint().optional(), cms: endpoint().optional() })
    .optional(),
  filter: z
    .strictObject({
      vpnGatewayIds: z
        .array(z.string().regex(/^vpn-[A-Za-z0-9]+$/, 'VPN gateway ids look like "vpn-…"'))
        .default([]),
      tags: z.record(z.string().min(1), z.string()).default({}),
    })
    .prefault({}),
});

export const configSchema = z.strictObject({
  server: serverSchema,
  poll: pollSchema,
  storage: storageSchema,
  api: apiSchema,
  rules: rulesSchema,
  logging: loggingSchema,
  accounts: z.array(accountSchema).min(1, 'configure at least one account'),
});

export type AppConfig = z.output<typeof configSchema>;
export type AccountConfig = AppConfig['accounts'][number];
export type ApiConfig = AppConfig['api'];
