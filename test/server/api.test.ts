import { describe, expect, it } from 'vitest';
import { IDS } from '../fixtures/snapshot.js';
import { FLEET, PLANTED_SECRET } from '../fixtures/view.js';
import { assertSchema, schemas as S, server } from './helpers.js';

describe('probes and metrics', () => {
  it('/healthz is always 200; /readyz is 503 until the first status cycle', async () => {
    const { app, view } = server();
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    view.isReady = false;
    const notReady = await app.inject('/readyz');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toEqual({ status: 'waiting for the first status cycle' });
    view.isReady = true;
    const ready = await app.inject('/readyz');
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('/metrics serves the Prometheus text format of the last state', async () => {
    const { app } = server();
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain(
      `alivpn_tunnel_up{account="prod",region="cn-hangzhou",vpn_gateway_id="${IDS.gateway}",connection_id="${IDS.connection}",tunnel_id="${IDS.tunnel1}",role="primary"} 1`,
    );
    expect(res.body).toContain(
      `alivpn_connection_info{account="prod",region="cn-hangzhou",vpn_gateway_id="${IDS.gateway}",connection_id="${IDS.connection}",connection_name="hq-to-hangzhou"} 1`,
    );
    expect(res.body).toContain('alivpn_build_info{version="9.9.9"');
  });
});

describe('/api/v1/report', () => {
  it('returns the JSON report matching its schema', async () => {
    const { app } = server();
    const res = await app.inject('/api/v1/report');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    assertSchema(S.report, body);
    expect(body.schemaVersion).toBe(1);
    expect(body.status).toBe('critical');
    expect(body.connections.map((c: { id: string }) => c.id)).toEqual([
      FLEET.failedOver,
      FLEET.lostRegionConn,
      IDS.connection,
    ]);
    expect(body.connections[0].tunnels[0].ladder).toHaveLength(6);
    expect(body.errors).toEqual([
      { account: 'prod', region: FLEET.lostRegion, message: 'DescribeVpnConnections: Throttling.User' },
    ]);
  });

  it('applies filters and the language', async () => {
    const { app } = server();
    const ja = (await app.inject('/api/v1/report?severity=critical&lang=ja')).json();
    expect(ja.connections).toHaveLength(1);
    expect(ja.connections[0].findings.map((f: { title: string }) => f.title)).toEqual(['事前共有鍵の不一致']);
    const byName = (await app.inject('/api/v1/report?connection=hq-to-hangzhou')).json();
    expect(byName.connections.map((c: { id: string }) => c.id)).toEqual([IDS.connection]);
    // The connection was found in a healthy region: another region's failure does not make it unknown.
    expect([byName.status, byName.errors]).toEqual([byName.connections[0].status, []]);
    expect(byName.status).not.toBe('unknown');
    const missing = (await app.inject('/api/v1/report?connection=vco-nowhere')).json();
    // Not found: it may be in the region that failed, so that error stays and the report is unknown.
    expect([missing.status, missing.connections, missing.errors.length]).toEqual(['unknown', [], 1]);
    const region = (await app.inject('/api/v1/report?account=prod&region=cn-hangzhou&status=ok')).json();
    expect([region.status, region.connections.length, region.errors]).toEqual(['ok', 1, []]);
  });

  it('renders Markdown and text with format=', async () => {
    const { app } = server();
    const md = await app.inject('/api/v1/report?format=markdown&lang=ja');
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.body.startsWith('# IPsec-VPN 接続レポート')).toBe(true);
    const text = await app.inject('/api/v1/report?format=text');
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text.body).toContain('Overall status: CRITICAL');
  });

  it.each([
    ['/api/v1/report?foo=1', 'querystring: unknown parameter "foo"'],
    ['/api/v1/report?severity=urgent', 'querystring.severity must be one of: critical, warning, info'],
    ['/api/v1/report?lang=fr', 'querystring.lang must be one of: en, ja'],
    ['/api/v1/report?format=html', 'querystring.format must be one of: json, markdown, text'],
    ['/api/v1/report?region=CN_HANGZHOU', 'querystring.region must match ^[a-z0-9-]{1,40}$'],
    [
      `/api/v1/report?connection=${'x'.repeat(200)}`,
      'querystring.connection must NOT have more than 128 characters',
    ],
    ['/api/v1/connections/vco-', 'params.id must match ^vco-[a-z0-9][a-z0-9-]{0,62}$'],
    ['/api/v1/connections/vpn-bp1gw0000000000001', 'params.id must match ^vco-[a-z0-9][a-z0-9-]{0,62}$'],
    ['/api/v1/connections/vco-abc/events?limit=0', 'querystring.limit must be >= 1'],
    ['/api/v1/connections/vco-abc/events?since=yesterday', 'querystring.since must match format "date-time"'],
    ['/api/v1/findings?severity=critical&x=1', 'querystring: unknown parameter "x"'],
  ])('GET %s → 400 naming the problem', async (url, message) => {
    const { app } = server();
    const res = await app.inject(url);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ statusCode: 400, error: 'Bad Request', message });
  });

  it('refuses an oversized URL with 414', async () => {
    const { app } = server();
    const res = await app.inject(`/api/v1/report?connection=${'a'.repeat(5000)}`);
    expect(res.statusCode).toBe(414);
    expect(res.json().message).toBe('request URL has 5026 characters; the limit is 4096');
  });
});

describe('/api/v1/connections/:id', () => {
  it('returns one connection or 404', async () => {
    const { app } = server();
    const res = await app.inject(`/api/v1/connections/${FLEET.failedOver}?lang=ja`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    assertSchema(S.connection, body);
    expect(body).toMatchObject({
      id: FLEET.failedOver,
      status: 'critical',
      onStandby: true,
      activeTunnelId: FLEET.failedOverTunnel2,
    });
    expect(body.findings[0].title).toBe('事前共有鍵の不一致');
    const missing = await app.inject('/api/v1/connections/vco-nothere');
    expect([missing.statusCode, missing.json()]).toEqual([
      404,
      { statusCode: 404, error: 'Not Found', message: 'connection vco-nothere not found' },
    ]);
  });

  it('/events returns the timeline newest first with evidence and without secrets', async () => {
    const { app } = server();
    const res = await app.inject(`/api/v1/connections/${FLEET.failedOver}/events`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    assertSchema(S.eventsResponse, body);
    expect(body.events.map((e: { kind: string }) => e.kind)).toEqual([
      'finding_opened',
      'failover',
      'tunnel_down',
      'failback',
    ]);
    expect(body.events[1]).toMatchObject({
      id: 3,
      at: '2025-12-31T23:59:00.000Z',
      title: 'FAILOVER to standby tunnel',
      detail: { fromTunnelId: FLEET.failedOverTunnel1, toTunnelId: FLEET.failedOverTunnel2 },
    });
    expect(body.events[0].evidence).toEqual([
      'FailedReasonCode=PskMismatch',
      'ike_auth: AUTHENTICATION_FAILED',
    ]);
    expect(body.events[0].detail).toEqual({
      rule: 'psk-mismatch',
      evidence: ['FailedReasonCode=PskMismatch', 'ike_auth: AUTHENTICATION_FAILED'],
    });
    expect(body.events[2].detail).toEqual({
      from: 'ipsec_sa_established',
      to: 'ike_sa_not_established',
      diagnosis: [{ failedReasonCode: 'PskMismatch', failedReason: 'pre-shared key mismatch' }],
    });
    expect(res.body).not.toContain(PLANTED_SECRET);

    const since = (
      await app.inject(`/api/v1/connections/${FLEET.failedOver}/events?since=2025-12-31T23:59:00Z&limit=1`)
    ).json();
    expect(since.events.map((e: { kind: string }) => e.kind)).toEqual(['finding_opened']);
    expect((await app.inject('/api/v1/connections/vco-nothere/events')).statusCode).toBe(404);
  });
});

describe('/api/v1/findings', () => {
  it('lists open findings with their connection', async () => {
    const { app } = server();
    const body = (await app.inject('/api/v1/findings?severity=warning')).json();
    assertSchema(S.findingsResponse, body);
    expect(
      body.findings.map((f: { rule: string; connectionId: string }) => [f.rule, f.connectionId]),
    ).toEqual([
      ['psk-mismatch', FLEET.failedOver],
      ['failover-active', FLEET.failedOver],
    ]);
    expect(body.findings[0]).toMatchObject({
      connectionName: FLEET.xssName,
      account: 'prod',
      region: 'cn-hangzhou',
      vpnGatewayId: IDS.gateway,
    });
  });
});

describe('POST /api/v1/connections/:id/diagnose', () => {
  it('refreshes evidence and returns the connection; 404 for an unknown one', async () => {
    const { app, view } = server();
    const res = await app.inject({ method: 'POST', url: `/api/v1/connections/${FLEET.failedOver}/diagnose` });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(FLEET.failedOver);
    expect(view.refreshed).toEqual([FLEET.failedOver]);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/connections/vco-nothere/diagnose' })).statusCode,
    ).toBe(404);
    expect(view.refreshed).toEqual([FLEET.failedOver]);
  });

  it('is rate-limited per connection with 429', async () => {
    const { app } = server({ rateLimit: { diagnoseMax: 2 } });
    const post = (id: string) => app.inject({ method: 'POST', url: `/api/v1/connections/${id}/diagnose` });
    expect((await post(FLEET.failedOver)).statusCode).toBe(200);
    expect((await post(FLEET.failedOver)).statusCode).toBe(200);
    const limited = await post(FLEET.failedOver);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await post(IDS.connection)).statusCode).toBe(200);
  });

  it('answers 502 without the internal error text when the refresh fails', async () => {
    const { app, view } = server();
    view.refreshEvidence = async () => {
      throw new Error(`SDK failed with AccessKeySecret ${PLANTED_SECRET}`);
    };
    const res = await app.inject({ method: 'POST', url: `/api/v1/connections/${FLEET.failedOver}/diagnose` });
    expect(res.statusCode).toBe(502);
    expect(res.json().message).toBe(`evidence refresh for ${FLEET.failedOver} failed; see the daemon log`);
    expect(res.body).not.toContain(PLANTED_SECRET);
  });
});

describe('general limits and headers', () => {
  it('limits requests per client with 429', async () => {
    const { app } = server({ rateLimit: { max: 3 } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await app.inject('/api/v1/findings')).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
  });

  it('sends security headers and a same-origin CSP', async () => {
    const { app } = server();
    const res = await app.inject('/');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const { app } = server();
    const res = await app.inject('/api/v1/nothing');
    expect([res.statusCode, res.json().message]).toEqual([404, 'no route GET /api/v1/nothing']);
  });
});
