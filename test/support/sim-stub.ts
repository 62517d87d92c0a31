// A stub SimBackend for transport tests: fixed AccessKeys, a few canned operations, and a record of
// every request and control call it received. Also builds the real SDK clients against a server.
import CmsModule from '@alicloud/cms20190101';
import EcsModule from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import VpcModule from '@alicloud/vpc20160428';
import { type FaultRule, SimApiError, type SimBackend, type SimRequest } from '../../src/sim/protocol.js';
import { gatewayErrors } from '../../src/sim/transport/errors.js';

export const STUB_KEYS = {
  main: { accessKeyId: 'LTAI5tStubMainKey', accessKeySecret: 'stub-main-secret', account: 'acct-main' },
  sts: {
    accessKeyId: 'STS.StubTemporaryKey',
    accessKeySecret: 'stub-sts-secret',
    securityToken: 'stub-sts-token-value',
    account: 'acct-sts',
  },
} as const;

export interface StubBackend extends SimBackend {
  requests: SimRequest[];
  controlCalls: { method: string; path: string; body: unknown }[];
  scenarioFaults: FaultRule[];
}

const VPCS = [
  { VpcId: 'vpc-a', VpcName: 'alpha', CidrBlock: '10.0.0.0/16', Status: 'Available' },
  { VpcId: 'vpc-b', VpcName: 'beta', CidrBlock: '10.1.0.0/16', Status: 'Available' },
  { VpcId: 'vpc-c', VpcName: 'gamma', CidrBlock: '10.2.0.0/16', Status: 'Pending' },
];

function describeVpcs(req: SimRequest): Record<string, unknown> {
  const pageNumber = Number(req.params['PageNumber'] ?? '1');
  const pageSize = Number(req.params['PageSize'] ?? '10');
  const page = VPCS.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return { TotalCount: VPCS.length, PageNumber: pageNumber, PageSize: pageSize, Vpcs: { Vpc: page } };
}

export function createStubBackend(): StubBackend {
  const stub: StubBackend = {
    requests: [],
    controlCalls: [],
    scenarioFaults: [],
    credential(id) {
      if (id === STUB_KEYS.main.accessKeyId)
        return { secret: STUB_KEYS.main.accessKeySecret, account: STUB_KEYS.main.account };
      if (id === STUB_KEYS.sts.accessKeyId) {
        return {
          secret: STUB_KEYS.sts.accessKeySecret,
          account: STUB_KEYS.sts.account,
          securityToken: STUB_KEYS.sts.securityToken,
        };
      }
      return undefined;
    },
    handle(req) {
      stub.requests.push(req);
      switch (`${req.product}:${req.action}`) {
        case 'vpc:DescribeVpcs':
          return describeVpcs(req);
        case 'vpc:DescribeVpnConnections':
          return { TotalCount: 0, PageNumber: 1, PageSize: 10, VpnConnections: { VpnConnection: [] } };
        case 'vpc:ModifyVpnConnectionAttribute':
        case 'vpc:DiagnoseVpnConnections':
        case 'ecs:DescribeSecurityGroups':
          return { Echo: req.params };
        case 'cms:DescribeMetricLast':
          return { Code: '200', Success: true, Datapoints: '[]', Period: '60' };
        case 'vpc:DescribeVpnGateway':
          throw new SimApiError(
            403,
            'Forbidden.RAM',
            'User not authorized to operate on the specified resource.',
            {
              AccessDeniedDetail: {
                AuthAction: 'vpc:DescribeVpnGateway',
                PolicyType: 'AccountLevelIdentityBasedPolicy',
                NoPermissionType: 'ImplicitDeny',
              },
            },
          );
        case 'vpc:DescribeVSwitches':
          throw new Error('world exploded');
        default:
          throw gatewayErrors.invalidAction();
      }
    },
    faults: () => stub.scenarioFaults,
    control(method, path, body) {
      stub.controlCalls.push({ method, path, body });
      if (path === 'incidents') return { status: 201, body: { accepted: body } };
      return { status: 404, body: { error: `no control path ${path}` } };
    },
  };
  return stub;
}

export interface ClientOptions {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  signatureAlgorithm?: string;
  readTimeout?: number;
  regionId?: string;
}

/** SDK Config pointing at a simulator URL (http://127.0.0.1:PORT). */
export function sdkConfig(url: string, o: ClientOptions = {}): $OpenApiUtil.Config {
  const config = new $OpenApiUtil.Config({
    accessKeyId: o.accessKeyId ?? STUB_KEYS.main.accessKeyId,
    accessKeySecret: o.accessKeySecret ?? STUB_KEYS.main.accessKeySecret,
    endpoint: url.replace(/^https?:\/\//, ''),
    protocol: 'http',
    regionId: o.regionId ?? 'cn-hangzhou',
  });
  if (o.securityToken !== undefined) config.securityToken = o.securityToken;
  if (o.signatureAlgorithm !== undefined) config.signatureAlgorithm = o.signatureAlgorithm;
  if (o.readTimeout !== undefined) config.readTimeout = o.readTimeout;
  return config;
}

/**
 * The SDK packages are CommonJS with `exports.default = Client`: Node's ESM loader hands the whole
 * module to a default import, vitest hands the class itself. Accept both.
 */
function sdkClass<T>(imported: unknown): T {
  const inner = (imported as { default?: unknown }).default;
  return (typeof inner === 'function' ? inner : imported) as T;
}

const VpcClient = sdkClass<typeof VpcModule.default>(VpcModule);
const EcsClient = sdkClass<typeof EcsModule.default>(EcsModule);
const CmsClient = sdkClass<typeof CmsModule.default>(CmsModule);

export const vpcClient = (url: string, o?: ClientOptions) => new VpcClient(sdkConfig(url, o));
export const ecsClient = (url: string, o?: ClientOptions) => new EcsClient(sdkConfig(url, o));
export const cmsClient = (url: string, o?: ClientOptions) => new CmsClient(sdkConfig(url, o));
