// `peers:` — on-prem strongSwan devices read over VICI (docs/peers.md).
import { z } from 'zod';
import { CONNECTION_ID, CONNECTION_ID_HINT } from '../model/ids.js';

const viciUri = z
  .string()
  .regex(
    /^(unix:\/\/\/.+|tcp:\/\/(\[[0-9a-fA-F:.]+\]|[^:/[\]]+):\d{1,5})$/,
    'a VICI address is "unix:///path/to/charon.vici" or "tcp://host:port"',
  );

export const peerSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'peer names are 1-63 letters, digits, "_", "." or "-"')
      .describe('Unique name of the device; the `peer` label of its metrics.'),
    vici: viciUri.describe(
      'VICI address of its charon: unix:///var/run/charon.vici (same host) or tcp://host:port (vici plugin listening on TCP).',
    ),
    swanctlConf: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Optional, read-only: its swanctl.conf, for proposals and PSK fingerprints (the PSK itself is hashed and dropped).',
      ),
    connections: z
      .array(z.string().regex(CONNECTION_ID, CONNECTION_ID_HINT))
      .default([])
      .describe('Match its IKE connections only to these Alibaba connections (default: match by addresses).'),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(120_000)
      .default(5_000)
      .describe('Bound on each VICI exchange; a silent device is unknown after this, never waited on.'),
  })
  .describe('An on-prem strongSwan device.');

export const peersSchema = z
  .array(peerSchema)
  .default([])
  .superRefine((peers, ctx) => {
    const seen = new Set<string>();
    peers.forEach((p, i) => {
      if (seen.has(p.name))
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate peer name "${p.name}"` });
      seen.add(p.name);
    });
  })
  .describe('On-prem strongSwan devices read over VICI: both sides of each tunnel, compared.');

export type PeerConfig = z.output<typeof peerSchema>;
