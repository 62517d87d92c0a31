// Every field the report builder produces reaches the API. The response schemas shape what
// fast-json-stringify writes and drop anything they do not declare, so a field added to the report
// but not to the API's schema vanished from /api/v1 without a word (runbookUrl once did). Here a
// fixture fills every optional field (ladder notes, both sides of a tunnel, peers, traffic,
// runbook links) and each JSON route must answer exactly what the builder made.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PeerSnapshot } from '../../src/model/peer.js';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { findingsList, findingsListSchema } from '../../src/report/findings-list.js';
import { reportConnectionSchema, reportSchema } from '../../src/report/schema.js';
import { timelineEvent, timelineEventSchema } from '../../src/report/timeline.js';
import type { PeerTunnelSides } from '../../src/view/doctor-view.js';
import { NOW } from '../fixtures/snapshot.js';
import { FixtureView, FLEET } from '../fixtures/view.js';
import { server } from './helpers.js';

class FullView extends FixtureView {
  constructor() {
    super();
    const ladder = this.diag.ladders.find((l) => l.tunnelId === FLEET.failedOverTunnel1)!;
    ladder.layers[2]!.note = 'no IPsec SA evidence: IKE never completed';
    // A gateway log line (UTC+8, no zone): the report shows it in UTC and keeps it as rawEvidence.
    const psk = this.diag.findings.find((f) => f.rule === 'psk-mismatch')!;
    psk.text.en.evidence.push('SourceLog: 2023-01-13 11:39:21 vco-bp1spxu8hlcvpd7ry**** [PROTO_ERR]: x');
  }
  peers(): PeerSnapshot[] {
    return [
      {
        name: 'tokyo-dc',
        vici: 'tcp://10.0.0.2:4502',
        collectedAt: NOW - 5_000,
        reachable: true,
        error: null,
        daemonVersion: '5.9.13',
        conns: [],
        sas: [],
        swanctlError: null,
        logs: [],
      },
      {
        name: 'osaka-dc',
        vici: 'tcp://10.0.1.2:4502',
        collectedAt: NOW - 5_000,
        reachable: false,
        error: 'connect ECONNREFUSED 10.0.1.2:4502',
        daemonVersion: null,
        conns: [],
        sas: [],
        swanctlError: null,
        logs: [],
      },
    ];
  }
  peerTunnels(): PeerTunnelSides[] {
    return [
      {
        peer: 'tokyo-dc',
        connectionId: FLEET.failedOver,
        tunnelId: FLEET.failedOverTunnel1,
        ikeConnection: 'alibaba-t1',
        ikeSaState: 'CONNECTING',
        childSaUp: false,
        bytesIn: 0,
        bytesOut: 0,
        rows: [
          { field: 'IKE DH group', alibaba: 'group14', device: 'group14', agree: true },
          { field: 'PSK (SHA-256)', alibaba: '3f2a9c0d1e4b', device: 'aa11bb22cc33', agree: false },
          { field: 'DPD', alibaba: 'on', device: null, agree: null },
        ],
        differences: [],
      },
    ];
  }
}

/** Every key path in a JSON value (`connections[].tunnels[].peer.rows[].agree`). */
function paths(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => paths(v, `${at}[]`)))];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [`${at}.${k}`, ...paths(v, `${at}.${k}`)]);
}

/** Every key path the zod schema declares, in the same notation. */
function declared(schema: z.ZodType, at = ''): string[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return declared(schema.unwrap() as z.ZodType, at);
  if (schema instanceof z.ZodArray) return declared(schema.element as z.ZodType, `${at}[]`);
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([k, v]) => [
    `${at}.${k}`,
    ...declared(v, `${at}.${k}`),
  ]);
}

const json = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const built = (view: FixtureView) => json(buildReport(reportInputFromView(view), { lang: 'en', now: NOW }));

describe('the API carries every field of the report', () => {
  it('fills every field the report schema declares (or the comparison below proves little)', () => {
    const have = paths(built(new FullView()));
    expect(declared(reportSchema).length).toBeGreaterThan(50);
    expect(declared(reportSchema).filter((p) => !have.includes(p))).toEqual([]);
  });

  it('/api/v1/report answers exactly the built report', async () => {
    const view = new FullView();
    const { app } = server({}, view);
    const body = (await app.inject('/api/v1/report')).json();
    const report = built(view);
    expect(paths(body).sort()).toEqual(paths(report).sort());
    expect(body).toEqual(report);
  });

  it('/api/v1/connections/:id and POST …/diagnose answer exactly the built connection', async () => {
    const view = new FullView();
    const { app } = server({}, view);
    const connection = built(view).connections.find((c) => c.id === FLEET.failedOver)!;
    const one = (await app.inject(`/api/v1/connections/${FLEET.failedOver}`)).json();
    expect(one).toEqual(connection);
    const diagnosed = await app.inject({
      method: 'POST',
      url: `/api/v1/connections/${FLEET.failedOver}/diagnose`,
    });
    expect(diagnosed.json()).toEqual(connection);
  });

  it('/api/v1/findings carries every field of each finding plus its connection', async () => {
    const view = new FullView();
    const { app } = server({}, view);
    const body = (await app.inject('/api/v1/findings')).json();
    const expected = json(findingsList(built(view)));
    expect(declared(findingsListSchema).filter((p) => !paths(expected).includes(p))).toEqual([]);
    expect(body).toEqual(expected);
  });

  it('/api/v1/connections/:id/events carries every field of each timeline event', async () => {
    const view = new FullView();
    const { app } = server({}, view);
    const body = (await app.inject(`/api/v1/connections/${FLEET.failedOver}/events?lang=ja`)).json();
    const events = json(view.events({ connectionId: FLEET.failedOver }).map((e) => timelineEvent(e, 'ja')));
    expect(declared(timelineEventSchema).filter((p) => !paths(events).includes(`[]${p}`))).toEqual([]);
    expect(body).toEqual({ connectionId: FLEET.failedOver, events });
  });

  it('states the report in the OpenAPI document as OpenAPI 3.0 can', async () => {
    const { app } = server();
    const doc = (await app.inject('/docs/json')).json();
    const text = JSON.stringify(doc);
    // JSON Schema that OpenAPI 3.0 has no word for: type lists, null types, $schema, local $defs.
    expect(text).not.toMatch(/"type":\[|"type":"null"|"\$schema"|"definitions"|"\$defs"|"propertyNames"/);
    for (const [, ref] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
      expect(doc.components.schemas, ref).toHaveProperty([ref!]);
    const connection = doc.components.schemas.ReportConnection;
    expect(Object.keys(connection.properties)).toEqual(Object.keys(reportConnectionSchema.shape));
    const report = doc.paths['/api/v1/report'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(report.properties)).toEqual(Object.keys(reportSchema.shape));
    expect(report.properties.connections.items).toEqual({ $ref: '#/components/schemas/ReportConnection' });
  });
});
