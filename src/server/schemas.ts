// JSON schemas of every input and output of the HTTP API. They validate requests (clear 400s),
// shape responses (fast-json-stringify drops anything not declared, so nothing leaks by accident)
// and feed the OpenAPI document.

export const CONNECTION_ID_PATTERN = '^vco-[a-z0-9][a-z0-9-]{0,62}$';
const NAME_PATTERN = '^[A-Za-z0-9._:-]{1,64}$';

const severity = { type: 'string', enum: ['critical', 'warning', 'info'] } as const;
const status = { type: 'string', enum: ['ok', 'warning', 'critical', 'unknown'] } as const;
const lang = {
  type: 'string',
  enum: ['en', 'ja'],
  default: 'en',
  description: 'Language of titles and texts',
} as const;

export const connectionIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: CONNECTION_ID_PATTERN, description: 'VPN connection id (vco-…)' },
  },
} as const;

export const filterProperties = {
  account: { type: 'string', pattern: NAME_PATTERN, description: 'Account name from the config' },
  region: { type: 'string', pattern: '^[a-z0-9-]{1,40}$', description: 'Region id, e.g. cn-hangzhou' },
  connection: { type: 'string', minLength: 1, maxLength: 128, description: 'Connection id or exact name' },
  severity: { ...severity, description: 'Minimum finding severity' },
  status: { ...status, description: 'Connection status' },
  lang,
} as const;

export const reportQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...filterProperties,
    format: { type: 'string', enum: ['json', 'markdown', 'text'], default: 'json' },
  },
} as const;

export const findingsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: filterProperties,
} as const;

export const langQuery = { type: 'object', additionalProperties: false, properties: { lang } } as const;

export const eventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    since: {
      type: 'string',
      format: 'date-time',
      description: 'Only events at or after this time (RFC 3339)',
    },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
    lang,
  },
} as const;

export const htmlFleetQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    account: { anyOf: [filterProperties.account, { type: 'string', maxLength: 0 }] },
    region: { anyOf: [filterProperties.region, { type: 'string', maxLength: 0 }] },
    status: { anyOf: [filterProperties.status, { type: 'string', maxLength: 0 }] },
    lang,
  },
} as const;

const ladderLayer = {
  type: 'object',
  required: ['layer', 'state', 'rules'],
  properties: {
    layer: { type: 'string' },
    state: { type: 'string', enum: ['ok', 'fail', 'unknown'] },
    rules: { type: 'array', items: { type: 'string' } },
    note: { type: 'string' },
  },
} as const;

/** Both sides of a tunnel: "Alibaba says / the device says" (PSKs only as sha256: fingerprints). */
const peerSide = {
  type: 'object',
  required: ['name', 'ikeConnection', 'ikeSaState', 'childSaUp', 'rows'],
  properties: {
    name: { type: 'string' },
    ikeConnection: { type: 'string' },
    ikeSaState: { type: ['string', 'null'] },
    childSaUp: { type: 'boolean' },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'alibaba', 'device', 'agree'],
        properties: {
          field: { type: 'string' },
          alibaba: { type: 'string' },
          device: { type: ['string', 'null'] },
          agree: { type: ['boolean', 'null'] },
        },
      },
    },
  },
} as const;

const reportPeer = {
  type: 'object',
  required: ['name', 'reachable', 'error', 'daemonVersion', 'collectedAt'],
  properties: {
    name: { type: 'string' },
    reachable: { type: 'boolean' },
    error: { type: ['string', 'null'] },
    daemonVersion: { type: ['string', 'null'] },
    collectedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const tunnel = {
  type: 'object',
  required: ['id', 'role', 'status', 'up', 'zone', 'ip', 'customerGatewayIp'],
  properties: {
    id: { type: 'string' },
    role: { type: 'string', enum: ['primary', 'standby'] },
    status: { type: 'string' },
    up: { type: 'boolean' },
    zone: { type: 'string' },
    ip: { type: 'string' },
    customerGatewayIp: { type: ['string', 'null'] },
    ladder: { type: 'array', items: ladderLayer },
    firstFailingLayer: { type: ['string', 'null'] },
    peer: peerSide,
  },
} as const;

const findingProperties = {
  rule: { type: 'string' },
  severity,
  layer: { type: 'string' },
  tunnelId: { type: ['string', 'null'] },
  title: { type: 'string' },
  summary: { type: 'string' },
  evidence: { type: 'array', items: { type: 'string' } },
  remediation: { type: 'array', items: { type: 'string' } },
  runbookUrl: { type: 'string' },
} as const;

export const finding = {
  type: 'object',
  required: ['rule', 'severity', 'layer', 'tunnelId', 'title', 'summary', 'evidence', 'remediation'],
  properties: findingProperties,
} as const;

export const connection = {
  $id: 'ReportConnection',
  type: 'object',
  required: [
    'id',
    'name',
    'account',
    'region',
    'vpnGatewayId',
    'status',
    'activeTunnelId',
    'onStandby',
    'tunnels',
    'findings',
  ],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    account: { type: 'string' },
    region: { type: 'string' },
    vpnGatewayId: { type: 'string' },
    status,
    activeTunnelId: { type: ['string', 'null'] },
    onStandby: { type: 'boolean' },
    tunnels: { type: 'array', items: tunnel },
    findings: { type: 'array', items: finding },
    lastFailoverAt: { type: ['string', 'null'], format: 'date-time' },
    receiveBps: { type: ['number', 'null'] },
    transmitBps: { type: ['number', 'null'] },
  },
} as const;

const reportError = {
  type: 'object',
  required: ['account', 'region', 'message'],
  properties: { account: { type: 'string' }, region: { type: 'string' }, message: { type: 'string' } },
} as const;

export const report = {
  type: 'object',
  required: ['schemaVersion', 'generatedAt', 'status', 'connections', 'errors'],
  properties: {
    schemaVersion: { type: 'integer', const: 1 },
    generatedAt: { type: 'string', format: 'date-time' },
    status,
    connections: { type: 'array', items: { $ref: 'ReportConnection#' } },
    errors: { type: 'array', items: reportError },
    peers: { type: 'array', items: reportPeer },
  },
} as const;

export const findingsResponse = {
  type: 'object',
  required: ['generatedAt', 'findings'],
  properties: {
    generatedAt: { type: 'string', format: 'date-time' },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          ...finding.required,
          'connectionId',
          'connectionName',
          'account',
          'region',
          'vpnGatewayId',
        ],
        properties: {
          ...findingProperties,
          connectionId: { type: 'string' },
          connectionName: { type: 'string' },
          account: { type: 'string' },
          region: { type: 'string' },
          vpnGatewayId: { type: 'string' },
        },
      },
    },
  },
} as const;

export const eventsResponse = {
  type: 'object',
  required: ['connectionId', 'events'],
  properties: {
    connectionId: { type: 'string' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'kind', 'title', 'connectionId', 'tunnelId', 'detail', 'evidence'],
        properties: {
          id: { type: 'integer' },
          at: { type: 'string', format: 'date-time' },
          kind: { type: 'string' },
          title: { type: 'string', description: 'The event kind in the requested language' },
          account: { type: 'string' },
          region: { type: 'string' },
          vpnGatewayId: { type: 'string' },
          connectionId: { type: 'string' },
          tunnelId: { type: ['string', 'null'] },
          detail: {
            type: 'object',
            additionalProperties: true,
            description: 'What changed (statuses, tunnel ids, rule id); secret-looking keys are removed',
          },
          evidence: {
            type: 'array',
            items: { type: 'string' },
            description: 'Evidence captured at the time (log lines, diagnosis reasons)',
          },
        },
      },
    },
  },
} as const;

export const errorResponse = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
} as const;

export const probeResponse = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' } },
} as const;
