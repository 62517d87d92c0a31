// The transport against the REAL SDK clients: signed calls, authentication failures, parameter
// flattening (query and form bodies), routing by version, and error rendering.
import * as Cms from '@alicloud/cms20190101';
import * as Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import * as Vpc from '@alicloud/vpc20160428';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/server.js';
import { failure } from '../support/failure.js';
import {
  cmsClient,
  createStubBackend,
  ecsClient,
  STUB_KEYS,
  type StubBackend,
  vpcClient,
} from '../support/sim-stub.js';

let backend: StubBackend;
let server: SimServer;
let clock: number | undefined;

beforeEach(async () => {
  clock = undefined;
  backend = createStubBackend();
  server = await startSimServer({ backend, now: () => clock ?? Date.now() });
});
afterEach(async () => {
  await server.close();
});

/** Runs a call expected to fail and returns the SDK's error. */
const vpcs = (page = 1, size = 10) =>
  new Vpc.DescribeVpcsRequest({ regionId: 'cn-hangzhou', pageNumber: page, pageSize: size });

describe('signed calls (ACS3-HMAC-SHA256)', () => {
  it('accepts a signed call and the SDK parses the model', async () => {
    const res = await vpcClient(server.url).describeVpcs(vpcs(2, 2));
    expect(res.statusCode).toBe(200);
    expect(res.body?.totalCount).toBe(3);
    expect(res.body?.pageNumber).toBe(2);
    expect(res.body?.vpcs?.vpc?.map((v) => v.vpcId)).toEqual(['vpc-c']);
    expect(res.body?.vpcs?.vpc?.[0]?.cidrBlock).toBe('10.2.0.0/16');
    const req = backend.requests[0]!;
    expect(req).toMatchObject({
      product: 'vpc',
      action: 'DescribeVpcs',
      version: '2016-04-28',
      account: STUB_KEYS.main.account,
      accessKeyId: STUB_KEYS.main.accessKeyId,
      regionId: 'cn-hangzhou',
      params: { RegionId: 'cn-hangzhou', PageNumber: '2', PageSize: '2' },
    });
    expect(res.body?.requestId).toBe(req.requestId);
    expect(res.headers?.['x-acs-request-id']).toBe(req.requestId);
  });

  it('passes flattened array parameters from the query string', async () => {
    await vpcClient(server.url).diagnoseVpnConnections(
      new Vpc.DiagnoseVpnConnectionsRequest({
        regionId: 'eu-central-1',
        vpnConnectionIds: ['vco-1'],
        tunnelIds: ['tun-1', 'tun-2'],
      }),
    );
    expect(backend.requests[0]?.params).toMatchObject({
      'VpnConnectionIds.1': 'vco-1',
      'TunnelIds.1': 'tun-1',
      'TunnelIds.2': 'tun-2',
    });
    expect(backend.requests[0]?.regionId).toBe('eu-central-1');
  });

  it('parses form-body parameters (ModifyVpnConnectionAttribute TunnelOptionsSpecification)', async () => {
    await vpcClient(server.url).modifyVpnConnectionAttribute(
      new Vpc.ModifyVpnConnectionAttributeRequest({
        regionId: 'cn-hangzhou',
        vpnConnectionId: 'vco-1',
        tunnelOptionsSpecification: [
          new Vpc.ModifyVpnConnectionAttributeRequestTunnelOptionsSpecification({
            tunnelId: 'tun-1',
            enableDpd: true,
            tunnelIkeConfig:
              new Vpc.ModifyVpnConnectionAttributeRequestTunnelOptionsSpecificationTunnelIkeConfig({
                ikeVersion: 'ikev2',
                psk: 'a b&c=d',
              }),
          }),
          new Vpc.ModifyVpnConnectionAttributeRequestTunnelOptionsSpecification({ tunnelId: 'tun-2' }),
        ],
      }),
    );
    expect(backend.requests[0]?.params).toMatchObject({
      VpnConnectionId: 'vco-1',
      'TunnelOptionsSpecification.1.TunnelId': 'tun-1',
      'TunnelOptionsSpecification.1.EnableDpd': 'true',
      'TunnelOptionsSpecification.1.TunnelIkeConfig.IkeVersion': 'ikev2',
      'TunnelOptionsSpecification.1.TunnelIkeConfig.Psk': 'a b&c=d',
      'TunnelOptionsSpecification.2.TunnelId': 'tun-2',
    });
  });

  it('routes ECS and CloudMonitor calls by their API version', async () => {
    await ecsClient(server.url).describeSecurityGroups(
      new Ecs.DescribeSecurityGroupsRequest({ regionId: 'cn-hangzhou', vpcId: 'vpc-a', maxResults: 10 }),
    );
    const cms = await cmsClient(server.url).describeMetricLast(
      new Cms.DescribeMetricLastRequest({ namespace: 'acs_vpn', metricName: 'net_rx.rate' }),
    );
    expect(backend.requests.map((r) => [r.product, r.action, r.version])).toEqual([
      ['ecs', 'DescribeSecurityGroups', '2014-05-26'],
      ['cms', 'DescribeMetricLast', '2019-01-01'],
    ]);
    expect(backend.requests[0]?.params).toMatchObject({ VpcId: 'vpc-a', MaxResults: '10' });
    expect(cms.body?.success).toBe(true);
    expect(cms.body?.code).toBe('200');
  });
});

describe('authentication failures', () => {
  it('rejects an unknown AccessKey with 404 InvalidAccessKeyId.NotFound and the Alibaba error body', async () => {
    const err = await failure(vpcClient(server.url, { accessKeyId: 'LTAI5tNobody' }).describeVpcs(vpcs()));
    expect(err.name).toBe('ClientError');
    expect(err.code).toBe('InvalidAccessKeyId.NotFound');
    expect(err.statusCode).toBe(404);
    const data = err.data as Record<string, string>;
    expect(data.Message).toBe('Specified access key is not found.');
    expect(data.HostId).toBe('vpc.aliyuncs.com');
    expect(data.Recommend).toBe(
      'https://api.aliyun.com/troubleshoot?q=InvalidAccessKeyId.NotFound&product=Vpc',
    );
    expect(data.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(backend.requests).toHaveLength(0);
  });

  it('rejects a wrong secret with 400 SignatureDoesNotMatch naming the server string to sign', async () => {
    const err = await failure(vpcClient(server.url, { accessKeySecret: 'wrong' }).describeVpcs(vpcs()));
    expect(err.name).toBe('ClientError');
    expect(err.code).toBe('SignatureDoesNotMatch');
    expect(err.statusCode).toBe(400);
    expect(err.message).toMatch(/server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}/);
    expect(err.message).not.toContain('wrong');
    expect(backend.requests).toHaveLength(0);
  });

  it('accepts the legacy HMAC-SHA1 signature (signatureAlgorithm v2) and rejects a wrong secret', async () => {
    const ok = await vpcClient(server.url, { signatureAlgorithm: 'v2' }).describeVpcs(vpcs(1, 2));
    expect(ok.body?.vpcs?.vpc?.map((v) => v.vpcId)).toEqual(['vpc-a', 'vpc-b']);
    // The legacy envelope is not an operation parameter.
    expect(Object.keys(backend.requests[0]!.params).sort()).toEqual(['PageNumber', 'PageSize', 'RegionId']);
    const err = await failure(
      vpcClient(server.url, { signatureAlgorithm: 'v2', accessKeySecret: 'wrong' }).describeVpcs(vpcs()),
    );
    expect(err.code).toBe('SignatureDoesNotMatch');
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain(
      'server string to sign is:POST&%2F&AccessKeyId%3DLTAI5tStubMainKey%26Action%3DDescribeVpcs',
    );
  });

  it('checks the STS security token (V3 and legacy) without echoing it', async () => {
    const sts = STUB_KEYS.sts;
    const ok = await vpcClient(server.url, sts).describeVpcs(vpcs());
    expect(ok.body?.totalCount).toBe(3);
    expect(backend.requests[0]?.account).toBe('acct-sts');
    const okV2 = await vpcClient(server.url, { ...sts, signatureAlgorithm: 'v2' }).describeVpcs(vpcs());
    expect(okV2.body?.totalCount).toBe(3);

    const missing = await failure(
      vpcClient(server.url, {
        accessKeyId: sts.accessKeyId,
        accessKeySecret: sts.accessKeySecret,
      }).describeVpcs(vpcs()),
    );
    expect(missing.code).toBe('MissingSecurityToken');
    const wrong = await failure(
      vpcClient(server.url, { ...sts, securityToken: 'forged' }).describeVpcs(vpcs()),
    );
    expect(wrong.code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
    const badV2 = await failure(
      vpcClient(server.url, { ...sts, signatureAlgorithm: 'v2', accessKeySecret: 'wrong' }).describeVpcs(
        vpcs(),
      ),
    );
    expect(badV2.code).toBe('SignatureDoesNotMatch');
    expect(badV2.message).not.toContain(sts.securityToken);
  });

  it('rejects a request time more than 15 minutes from the server clock', async () => {
    clock = Date.now() + 20 * 60 * 1000;
    const err = await failure(vpcClient(server.url).describeVpcs(vpcs()));
    expect(err.code).toBe('InvalidTimeStamp.Expired');
    expect(err.statusCode).toBe(400);
    clock = Date.now() + 10 * 60 * 1000;
    expect((await vpcClient(server.url).describeVpcs(vpcs())).body?.totalCount).toBe(3);
    clock = Date.now() - 20 * 60 * 1000;
    const legacy = await failure(vpcClient(server.url, { signatureAlgorithm: 'v2' }).describeVpcs(vpcs()));
    expect(legacy.code).toBe('InvalidTimeStamp.Expired');
  });
});

describe('unknown actions and versions', () => {
  const params = (action: string, version: string) =>
    new $OpenApiUtil.Params({
      action,
      version,
      protocol: 'HTTP',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
  const request = new $OpenApiUtil.OpenApiRequest({ query: { RegionId: 'cn-hangzhou' } });
  // Default runtime options (the type lives in @darabonba/typescript, not a direct dependency).
  const noRuntime = {} as Parameters<ReturnType<typeof vpcClient>['callApi']>[2];

  it('answers an unknown action with 404 InvalidAction.NotFound', async () => {
    const client = vpcClient(server.url);
    const err = await failure(client.callApi(params('DescribeUnicorns', '2016-04-28'), request, noRuntime));
    expect(err.code).toBe('InvalidAction.NotFound');
    expect(err.statusCode).toBe(404);
    expect((err.data as Record<string, string>).Message).toBe(
      'Specified api is not found, please check your url and method.',
    );
    expect(server.calls().at(-1)).toMatchObject({ action: 'DescribeUnicorns', httpStatus: 404 });
  });

  it('answers an unsupported version with 400 InvalidVersion', async () => {
    const err = await failure(
      vpcClient(server.url).callApi(params('DescribeVpcs', '2099-01-01'), request, noRuntime),
    );
    expect(err.code).toBe('InvalidVersion');
    expect(err.statusCode).toBe(400);
    expect(backend.requests).toHaveLength(0);
  });
});

describe('backend errors', () => {
  it('renders a SimApiError with its status, code and extra fields', async () => {
    const err = await failure(
      vpcClient(server.url).describeVpnGateway(
        new Vpc.DescribeVpnGatewayRequest({ regionId: 'cn-hangzhou', vpnGatewayId: 'vpn-1' }),
      ),
    );
    expect(err.name).toBe('ClientError');
    expect(err.code).toBe('Forbidden.RAM');
    expect(err.statusCode).toBe(403);
    expect(err.accessDeniedDetail).toEqual({
      AuthAction: 'vpc:DescribeVpnGateway',
      PolicyType: 'AccountLevelIdentityBasedPolicy',
      NoPermissionType: 'ImplicitDeny',
    });
  });

  it('turns any other exception into 500 InternalError (a ServerError) without leaking it', async () => {
    const err = await failure(
      vpcClient(server.url).describeVSwitches(new Vpc.DescribeVSwitchesRequest({ regionId: 'cn-hangzhou' })),
    );
    expect(err.name).toBe('ServerError');
    expect(err.code).toBe('InternalError');
    expect(err.statusCode).toBe(500);
    expect(err.message).not.toContain('exploded');
  });
});
