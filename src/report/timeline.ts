// A connection's timeline as the API serves it (GET /api/v1/connections/:id/events): stored
// events with their title in the requested language and the evidence captured at the time.
import { z } from 'zod';
import { secrets } from '../log/redact.js';
import type { VpnEvent } from '../model/events.js';
import type { Lang } from '../model/finding.js';
import { eventEvidenceIn } from './event-text.js';
import { eventName } from './i18n.js';

export const timelineEventSchema = z.object({
  id: z.int().optional(),
  at: z.iso.datetime(),
  kind: z.string(),
  title: z.string().describe('The event kind in the requested language'),
  account: z.string(),
  region: z.string(),
  vpnGatewayId: z.string(),
  connectionId: z.string(),
  tunnelId: z.string().nullable(),
  detail: z
    .record(z.string(), z.unknown())
    .describe('What changed (statuses, tunnel ids, rule id); secret-looking keys are removed'),
  evidence: z.array(z.string()).describe('Evidence captured at the time (log lines, diagnosis reasons)'),
});
export type TimelineEvent = z.output<typeof timelineEventSchema>;

export const timelineSchema = z.object({
  connectionId: z.string(),
  events: z.array(timelineEventSchema),
});
export type Timeline = z.output<typeof timelineSchema>;

export function timelineEvent(e: VpnEvent, lang: Lang): TimelineEvent {
  return {
    ...(e.id !== undefined ? { id: e.id } : {}),
    at: new Date(e.at).toISOString(),
    kind: e.kind,
    title: eventName(lang, e.kind),
    account: e.account,
    region: e.region,
    vpnGatewayId: e.vpnGatewayId,
    connectionId: e.connectionId,
    tunnelId: e.tunnelId,
    detail: secrets.clean(e.detail),
    evidence: eventEvidenceIn(e, lang),
  };
}
