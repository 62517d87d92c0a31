import { describe, expect, it } from 'vitest';
import {
  createRegionApis,
  createRegionClients,
  credentialFor,
  endpointFor,
  InMemoryApiCallCounter,
} from '../../src/cloud/index.js';
import { type AccountConfig, parseConfig } from '../../src/config/index.js';

const account = (extra: Partial<AccountConfig> = {}): AccountConfig => ({
  name: 'prod',
  regions: ['cn-hangzhou'],
  filter: { vpnGatewayIds: [], tags: {} },
  accessKeyId: 'AKIDEXAMPLE',
  accessKeySecret: 'example-secret',
  ...extra,
});
const timeouts = { readTimeoutMs: 10_000, connectTimeoutMs: 5_000 };

describe('endpointFor', () => {
  it('leaves the endpoint to the SDK when nothing overrides it', () => {
    expect(endpointFor(account(), 'vpc')).toEqual({ protocol: 'https' });
  });

  it('uses `endpoint` for every product; http:// switches the protocol', () => {
    const a = account({ endpoint: 'http://127.0.0.1:9100' });
    for (const p of ['vpc', 'ecs', 'cms'] as const)
      expect(endpointFor(a, p)).toEqual({ endpoint: '127.0.0.1:9100', protocol: 'http' });
  });

  it('lets `endpoints` win per product, and accepts a bare host as https', () => {
    const a = account({
      endpoint: 'http://127.0.0.1:9100',
      endpoints: { vpc: 'vpc-vpc.cn-hangzhou.aliyuncs.com', cms: 'https://proxy.example:8443' },
    });
    expect(endpointFor(a, 'vpc')).toEqual({
      endpoint: 'vpc-vpc.cn-hangzhou.aliyuncs.com',
      protocol: 'https',
    });
    expect(endpointFor(a, 'cms')).toEqual({ endpoint: 'proxy.example:8443', protocol: 'https' });
    expect(endpointFor(a, 'ecs')).toEqual({ endpoint: '127.0.0.1:9100', protocol: 'http' });
  });
});

describe('SDK clients', () => {
  it('resolve the regional endpoints as Alibaba does (central VPC endpoint for cn-hangzhou)', () => {
    const expected: Record<string, [string, string, string]> = {
      'cn-hangzhou': ['vpc.aliyuncs.com', 'ecs-cn-hangzhou.aliyuncs.com', 'metrics.cn-hangzhou.aliyuncs.com'],
      'ap-northeast-1': [
        'vpc.ap-northeast-1.aliyuncs.com',
        'ecs.ap-northeast-1.aliyuncs.com',
        'metrics.ap-northeast-1.aliyuncs.com',
      ],
      'cn-shanghai': [
        'vpc.cn-shanghai.aliyuncs.com',
        'ecs.cn-shanghai.aliyuncs.com',
        'metrics.cn-shanghai.aliyuncs.com',
      ],
      'eu-central-1': [
        'vpc.eu-central-1.aliyuncs.com',
        'ecs.eu-central-1.aliyuncs.com',
        'metrics.eu-central-1.aliyuncs.com',
      ],
    };
    const a = account();
    const credential = credentialFor(a);
    for (const [region, [vpc, ecs, cms]] of Object.entries(expected)) {
      const clients = createRegionClients(a, region, timeouts, credential);
      expect([clients.vpc._endpoint, clients.ecs._endpoint, clients.cms._endpoint]).toEqual([vpc, ecs, cms]);
      expect(clients.vpc._protocol).toBe('https');
      expect(clients.vpc._regionId).toBe(region);
    }
  });

  it('take overrides, protocol and the configured timeouts', () => {
    const clients = createRegionClients(
      account({ endpoint: 'http://127.0.0.1:9100' }),
      'ap-northeast-1',
      timeouts,
      credentialFor(account()),
    );
    expect(clients.ecs._endpoint).toBe('127.0.0.1:9100');
    expect(clients.ecs._protocol).toBe('http');
    expect(clients.vpc._readTimeout).toBe(10_000);
    expect(clients.vpc._connectTimeout).toBe(5_000);
  });

  it('use a static credential for an AccessKey and the default chain otherwise', async () => {
    const ak = credentialFor(account());
    expect(await ak.getCredential()).toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      accessKeySecret: 'example-secret',
      type: 'access_key',
    });
    const sts = credentialFor(account({ securityToken: 'sts-token' }));
    expect(await sts.getCredential()).toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      securityToken: 'sts-token',
      type: 'sts',
    });
    const chain = credentialFor(account({ accessKeyId: undefined, accessKeySecret: undefined }));
    // The @alicloud/credentials default provider chain (env, profile, RAM role, ECS metadata, OIDC).
    expect((chain as unknown as { credential: { type: string } }).credential.type).toBe('default');
  });

  it('are built for every account × region from a parsed config', async () => {
    const config = parseConfig(
      'accounts:\n  - { name: a, regions: [cn-hangzhou, ap-northeast-1], endpoint: "http://127.0.0.1:1" }\n  - { name: b, regions: [us-east-1] }\n',
      't',
      {},
    );
    const apis = createRegionApis(config, { counter: new InMemoryApiCallCounter() });
    expect(apis.map((r) => `${r.account}/${r.region}`)).toEqual([
      'a/cn-hangzhou',
      'a/ap-northeast-1',
      'b/us-east-1',
    ]);
    expect(apis[2]!.vpc._endpoint).toBe('vpc.us-east-1.aliyuncs.com');
    expect(apis[0]!.cms._endpoint).toBe('127.0.0.1:1');
  });
});
