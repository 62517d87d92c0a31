// JSON schemas of every input and output of the HTTP API. They validate requests (clear 400s),
// shape responses (fast-json-stringify drops anything not declared, so nothing leaks by accident)
// and feed the OpenAPI document. The responses are generated from the zod schemas that own each
// shape (the report in report/schema.ts, the findings list, the timeline, the error body), so the
// API cannot drift from what the code builds.
import { CONNECTION_ID } from '../model/ids.js';
import { findingsListSchema } from '../report/findings-list.js';
import {
  reportConnectionSchema,
  reportFindingSchema,
  reportSchema,
  reportStatusSchema,
  severitySchema,
} from '../report/schema.js';
import { timelineSchema } from '../report/timeline.js';
import { errorResponseSchema } from './errors.js';
import { responseSchema, sharedSchemas } from './json-schema.js';

export const CONNECTION_ID_PATTERN = CONNECTION_ID.source;
const NAME_PATTERN = '^[A-Za-z0-9._:-]{1,64}$';

// Filters take the report's own words.
const severity = { type: 'string', enum: severitySchema.options } as const;
const status = { type: 'string', enum: reportStatusSchema.options } as const;
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

/** Registered once (`app.addSchema`); the report and the connection routes refer to it by `$id`. */
const SHARED = { ReportConnection: reportConnectionSchema };
export const { ReportConnection: connection } = sharedSchemas(SHARED);

export const report = responseSchema(reportSchema, SHARED);
export const finding = responseSchema(reportFindingSchema);
export const findingsResponse = responseSchema(findingsListSchema);
export const eventsResponse = responseSchema(timelineSchema);
export const errorResponse = responseSchema(errorResponseSchema);
