// biome-ignore-all lint/suspicious/noTemplateCurlyInString: descriptions mention literal ${VAR} placeholders
// The config file's shape (docs/architecture.md, "Config"), with defaults. Objects are strict: an unknown key is
// an error naming its path, because a misspelt key silently ignored is a misconfigured daemon.
import { z } from 'zod';
import { CONNECTION_ID, CONNECTION_ID_HINT } from '../model/ids.js';
import { peersSchema } from './peers.js';
import { parseNoProxyEntry, parseProxyUrl } from './proxy.js';
import { regionVerdict } from './regions.js';
import { cronProblem, endpointProblem, listenProblem, runbookUrlProblem } from './validators.js';

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

// A known id passes; a near miss of a known id is a typo (with a suggestion); a well-formed id this
// release does not list (ap-southeast-8, eu-central-2, sa-east-1) is accepted, so a region Alibaba
// launches after this release can be watched without an upgrade (the CLI warns: configWarnings).
const region = z.string().superRefine((id, ctx) => {
  const verdict = regionVerdict(id);
  if (verdict.kind === 'known' || verdict.kind === 'new') return;
  ctx.addIssue({
    code: 'custom',
    message: `"${id}" is not a known Alibaba Cloud region id${verdict.hint ? ` (did you mean ${verdict.hint}?)` : ''}`,
  });
});

const ruleId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'rule ids are lower-case words joined by "-"');

const bucket = (rps: number, burst: number) =>
  z.strictObject({ rps: positive(10_000).default(rps), burst: int(1, 100_000).default(burst) }).prefault({});

export const serverSchema = z
  .strictObject({
    listen: check(listenProblem)
      .default('0.0.0.0:9756')
      .describe('Address of the HTTP server (/metrics, /api, /report): host:port or [v6]:port.'),
    // An empty value (`${ALIVPN_TOKEN:-}` with the variable unset) means no token, like omitting it.
    authToken: z
      .preprocess((v) => (v === '' ? undefined : v), nonEmpty().optional())
      .describe('Bearer token guarding /api and /report. Omit (or leave empty) only on a trusted network.'),
  })
  .prefault({})
  .describe('The HTTP server of `serve`.');

export const pollSchema = z
  .strictObject({
    status: cron()
      .default('*/30 * * * * *')
      .describe(
        'Status tier (paged connection lists with every tunnel); node-cron syntax, 6 fields = seconds.',
      ),
    topology: cron()
      .default('*/5 * * * *')
      .describe('Topology tier (gateways, routes, VPCs, ACLs, security groups).'),
    traffic: cron()
      .default('* * * * *')
      .describe('Traffic tier (CloudMonitor ipsec_rx.rate / ipsec_tx.rate).'),
    adaptive: z
      .strictObject({
        enabled: bool().default(true).describe('Poll a region faster while one of its tunnels is unhealthy.'),
        status: cron().default('*/10 * * * * *').describe('The faster status schedule for such a region.'),
      })
      .prefault({})
      .describe('Adaptive polling: faster status checks during an incident, back to normal when healthy.'),
    peers: cron()
      .default('*/30 * * * * *')
      .describe('Peer tier: reads each on-prem strongSwan of `peers` over VICI.'),
    evidence: z
      .strictObject({
        maxTunnelsPerCycle: int(1, 1000)
          .default(20)
          .describe('At most this many unhealthy tunnels get evidence calls (diagnosis, logs) per cycle.'),
        // Alibaba answers one DescribeVpnConnectionLogs query for at most 10 minutes.
        logWindowMinutes: int(1, 10)
          .default(10)
          .describe('Minutes of IPsec negotiation logs captured at a failure (Alibaba allows at most 10).'),
      })
      .prefault({})
      .describe('Evidence tier: DiagnoseVpnConnections and logs for tunnels that are down.'),
  })
  .prefault({})
  .describe('Collection schedules (node-cron expressions).');

export const storageSchema = z
  .strictObject({
    path: nonEmpty()
      .default('./data/alivpn.db')
      .describe('SQLite file for events, evidence and findings; relative to the working directory.'),
    retentionDays: int(1, 3650).default(30).describe('Events and evidence older than this are deleted.'),
  })
  .prefault({})
  .describe('The local store.');

export const changesSchema = z
  .strictObject({
    correlationWindowMinutes: int(1, 1440)
      .default(30)
      .describe(
        'A failure (or recovery) that follows a configuration change on the same connection within this window names the change.',
      ),
  })
  .prefault({})
  .describe('Configuration changes seen between snapshots (config_change events).');

const ratio = z.number().gt(0).lt(1);

export const objectivesSchema = z
  .strictObject({
    availability: ratio
      .default(0.999)
      .describe(
        'Availability objective of every connection (share of time with at least one tunnel established), for the burn-rate alerts.',
      ),
    connections: z
      .record(z.string().regex(CONNECTION_ID, CONNECTION_ID_HINT), ratio)
      .default({})
      .describe('Per-connection objective overrides, keyed by connection id.'),
  })
  .prefault({})
  .describe('Availability objectives (exported as alivpn_connection_availability_objective).');

export const apiSchema = z
  .strictObject({
    readTimeoutMs: int(100, 300_000)
      .default(10_000)
      .describe('Read timeout per API request (the SDK default of 3000 ms is too short for some calls).'),
    connectTimeoutMs: int(100, 120_000).default(5_000).describe('Connect timeout per API request.'),
    maxResponseBytes: int(1024, 1024 * 1024 * 1024)
      .default(8 * 1024 * 1024)
      .describe(
        'Largest answer body accepted from any product and action (default 8 MiB; real pages are well under 1 MiB). Bytes are counted as they arrive: a larger answer is dropped unread (never parsed) and reported as ResponseTooLarge, not retried.',
      ),
    retries: z
      .strictObject({
        max: int(0, 20)
          .default(4)
          .describe('Retries after the first attempt (throttling, 5xx, timeouts, bad bodies).'),
        baseDelayMs: int(1, 60_000)
          .default(200)
          .describe('Backoff base: retry n waits random(0, base × 2^n).'),
        maxDelayMs: int(1, 600_000)
          .default(5_000)
          .describe('Backoff ceiling (x-acs-retry-after may ask for more).'),
      })
      .prefault({})
      .describe(
        'Retries with exponential backoff and full jitter. Auth and permission errors are never retried.',
      ),
    throttleBackoff: z
      .strictObject({
        baseMs: int(100, 3_600_000)
          .default(30_000)
          .describe(
            'Cool-down after a call still fails on throttling once its retries are spent: calls of that account × product are skipped (alivpn_api_backoff_skipped_total) this long.',
          ),
        maxMs: int(100, 86_400_000)
          .default(600_000)
          .describe('Ceiling of the cool-down, which doubles with each further throttled failure.'),
      })
      .prefault({})
      .describe(
        "Backing off Alibaba's flow control (Throttling, Throttling.User, …) per account × product; one successful call ends it. The adaptive status tier does not poll an account the VPC API is throttling.",
      ),
    proxy: z
      .strictObject({
        // An empty value (`${CORP_PROXY:-}` with the variable unset) means none, like omitting it.
        url: z
          .preprocess(
            (v) => (v === '' ? undefined : v),
            check((v) => {
              const url = parseProxyUrl(v);
              return typeof url === 'string' ? url : undefined;
            }).optional(),
          )
          .describe(
            'HTTP(S) proxy for every Alibaba Cloud API call (all products, STS), e.g. "http://proxy.example.com:3128"; user:password@ is sent as Proxy-Authorization and never logged. Default: HTTPS_PROXY / https_proxy for https endpoints, HTTP_PROXY / http_proxy for http ones.',
          ),
        noProxy: z
          .array(
            check((v) => {
              const entry = parseNoProxyEntry(v);
              return typeof entry === 'string' ? entry : undefined;
            }),
          )
          .optional()
          .describe(
            'Endpoints reached directly, replacing NO_PROXY / no_proxy: host names (".example.com" or "example.com": the domain and its subdomains), IP addresses, CIDR ranges, "*" for all, each with an optional ":port".',
          ),
      })
      .prefault({})
      .describe(
        'HTTP(S) proxy of the API calls (docs/real-account.md, "Through an HTTP(S) proxy"). Without these keys the standard environment variables apply. The ECS metadata service (100.100.100.200) is always reached directly.',
      ),
    budget: z
      .strictObject({
        scope: z
          .enum(['account', 'region'])
          .default('account')
          .describe(
            '`account`: one bucket per account × product; `region`: one per account × region × product.',
          ),
        vpc: bucket(10, 20).describe('VPC / VPN Gateway API budget.'),
        ecs: bucket(10, 20).describe('ECS API budget.'),
        cms: bucket(20, 40).describe('CloudMonitor API budget (Alibaba allows 50/s for DescribeMetricList).'),
      })
      .prefault({})
      .describe(
        'Request budget (token bucket: rps sustained, burst at once); calls wait for a token rather than get throttled.',
      ),
  })
  .prefault({})
  .describe('Alibaba Cloud API access.');

/** The shipped runbook; src/report/runbook.ts holds the same default (a test pins them together). */
export const DEFAULT_RUNBOOK_BASE_URL =
  'https://github.com/alivpn-doctor/alivpn-doctor/blob/main/docs/runbook.md';

export const reportSchema = z
  .strictObject({
    runbookBaseUrl: check(runbookUrlProblem)
      .default(DEFAULT_RUNBOOK_BASE_URL)
      .describe(
        "Where each finding's runbook link points (report JSON `runbookUrl`, HTML, Markdown, text, API): the rule's anchor is appended as `#anchor`, or replaces `%s` when the URL has one (like mixins' `runbookURLPattern`). Default: the shipped docs/runbook.md.",
      ),
  })
  .prefault({})
  .describe('The report (JSON, HTML, Markdown, text, API).');

export const rulesSchema = z
  .strictObject({
    dirs: z.array(nonEmpty()).default([]).describe('Extra rule directories (CEL rule files).'),
    severity: z
      .record(ruleId, z.enum(['critical', 'warning', 'info', 'off']))
      .default({})
      .describe('Severity override per rule id; `off` disables the rule.'),
  })
  .prefault({})
  .describe('Diagnosis rules.');

export const loggingSchema = z
  .strictObject({
    level: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('Log level (JSON lines on stdout; secrets are always redacted).'),
  })
  .prefault({})
  .describe('Logging.');

export const probeSchema = z
  .strictObject({
    enabled: bool()
      .default(false)
      .describe(
        "Probe each tunnel's peer with an IKE first message on a schedule. Off by default: every probe leaves a half-open SA on the peer (docs/probe.md).",
      ),
    schedule: cron().default('0 * * * * *').describe('When to probe (node-cron, 6 fields = seconds).'),
    target: z
      .enum(['customer-gateway', 'gateway'])
      .default('customer-gateway')
      .describe(
        '`customer-gateway`: probe the on-prem device (the daemon runs on the cloud side); `gateway`: probe the Alibaba tunnel IP (the daemon runs on-prem).',
      ),
    ports: z
      .array(int(1, 65535))
      .min(1, 'list at least one port')
      .refine((ports) => new Set(ports).size === ports.length, 'ports must not repeat')
      .default([500, 4500])
      .describe('UDP ports to probe: 500 (IKE) and 4500 (NAT-T, sent behind the non-ESP marker).'),
    timeoutMs: int(100, 60_000).default(2000).describe('Wait for an answer after each request.'),
    retries: int(0, 10)
      .default(2)
      .describe('Requests sent again after a timeout (2: three requests in all).'),
    concurrency: int(1, 256).default(16).describe('Probes in flight at once.'),
    ratePerSecond: positive(1000).default(20).describe('At most this many probes are started per second.'),
  })
  .prefault({})
  .describe(
    'Active IKE probes of UDP 500/4500 (IKE_SA_INIT, or Main Mode for IKEv1 tunnels): they tell a blocked path from a peer that answers and refuses.',
  );

const endpointDescription =
  'URL of the API endpoint: http:// or https://, host and optional port, no path (a bare host means https).';

export const accountSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'account names are 1-63 letters, digits, "_", "." or "-"')
      .describe('Unique name, used in reports, metric labels and errors.'),
    accessKeyId: nonEmpty()
      .optional()
      .describe('AccessKey ID. Omit it and accessKeySecret to use the @alicloud/credentials default chain.'),
    accessKeySecret: nonEmpty().optional().describe('AccessKey secret (use ${ENV}; never logged).'),
    securityToken: nonEmpty().optional().describe('STS security token, with an STS AccessKey pair.'),
    regions: z
      .array(region)
      .min(1, 'list at least one region')
      .describe('Region ids to watch, e.g. cn-hangzhou.'),
    endpoint: endpoint()
      .optional()
      .describe(
        `One endpoint for every product (e.g. the simulator, "http://127.0.0.1:9100"). ${endpointDescription}`,
      ),
    endpoints: z
      .strictObject({
        vpc: endpoint().optional().describe(endpointDescription),
        ecs: endpoint().optional().describe(endpointDescription),
        cms: endpoint().optional().describe(endpointDescription),
      })
      .optional()
      .describe('Per-product endpoints (VPC endpoints, proxies); they win over `endpoint`.'),
    filter: z
      .strictObject({
        vpnGatewayIds: z
          .array(z.string().regex(/^vpn-[A-Za-z0-9]+$/, 'VPN gateway ids look like "vpn-…"'))
          .default([])
          .describe('Watch only these VPN gateways (empty: all).'),
        tags: z
          .record(z.string().min(1), z.string())
          .default({})
          .describe('Watch only connections carrying all of these tags.'),
      })
      .prefault({})
      .describe('Which VPN connections to watch.'),
  })
  .describe('An Alibaba Cloud account (or RAM identity) and the regions to watch with it.');

export const configSchema = z
  .strictObject({
    server: serverSchema,
    poll: pollSchema,
    storage: storageSchema,
    changes: changesSchema,
    objectives: objectivesSchema,
    api: apiSchema,
    rules: rulesSchema,
    report: reportSchema,
    logging: loggingSchema,
    probe: probeSchema,
    accounts: z.array(accountSchema).min(1, 'configure at least one account').describe('Accounts to watch.'),
    peers: peersSchema,
  })
  .describe(
    'alivpn-doctor configuration (YAML; ${VAR} and ${VAR:-default} are replaced from the environment).',
  );

export type AppConfig = z.output<typeof configSchema>;
export type AccountConfig = AppConfig['accounts'][number];
export type ApiConfig = AppConfig['api'];
