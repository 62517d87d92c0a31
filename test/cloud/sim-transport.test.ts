// The clients built from our config sign requests the way Alibaba checks them: run them against the
// simulator transport (ACS3-HMAC-SHA256 verification), with static AccessKeys, STS tokens and the
// default credential chain from the environment, and let its faults exercise the retry policy.
import { DescribeVpcsRequest } from '@alicloud/vpc20160428';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allPagesByNumber,
  CloudError,
  createRegionApis,
  InMemoryApiCallCounter,
  type RegionApi,
} from '../../src/cloud/index.js';
import { parseConfig } from '../../src/config/index.js';
import type { SimBackend, SimRequest } from '../../src/sim/protocol.js';
import { type SimServer, startSimServer } from '../../src/sim/server.js';

const KEYS = {
  prod: { id: 'LTAI5tProdKeyForTests', secret: 'prod-secret-for-tests' },
  sts: { id: 'STS.TemporaryKeyForTests', secret: 'sts-secret-for-tests', token: 'sts-token-for-tests' },
  env: { id: 'LTAI5tEnvChainKey', secret: 'env-chain-secret' },
};
const VPCS = Array.from({ length: 7 }, (_, i) => ({
  VpcId: `vpc-${i}`,
  CidrBlock: `10.${i}.0.0/16`,
  Status: 'Available',
}));

const seen: SimRequest[] = [];
const backend: SimBackend = {
  credential(id) {
    if (id === KEYS.prod.id) return { secret: KEYS.prod.secret, account: 'prod' };
    if (id === KEYS.sts.id) return { secret: KEYS.sts.secret, account: 'sts', securityToken: KEYS.sts.token };
    if (id === KEYS.env.id) return { secret: KEYS.env.secret, account: 'env' };
    return undefined;
  },
  handle(req) {
    seen.push(req);
    const pageNumber = Number(req.params.PageNumber ?? '1');
    const pageSize = Number(req.params.PageSize ?? '10');
    // TotalCount as a string, as some VPC list calls return it.
    return {
      RequestId: req.requestId,
      TotalCount: String(VPCS.length),
      PageNumber: pageNumber,
      PageSize: pageSize,
      Vpcs: { Vpc: VPCS.slice((pageNumber - 1) * pageSize, pageNumber * pageSize) },
    };
  },
  faults: () => [],
  control: () => ({ status: 404, body: {} }),
};

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimServer({ backend });
});
afterAll(() => sim.close());

function apisFor(accountYaml: string, env: Record<string, string> = {}) {
  const config = parseConfig(`accounts:\n${accountYaml.replaceAll('SIM', sim.url)}`, 't.yaml', env);
  const counter = new InMemoryApiCallCounter();
  const apis = createRegionApis(config, { counter, sleep: async () => {}, random: () => 0 });
  return { apis, counter };
}

const allVpcs = (api: RegionApi) =>
  allPagesByNumber(async (pageNumber, pageSize) => {
    const res = await api.call('vpc', 'DescribeVpcs', (runtime) =>
      api.vpc.describeVpcsWithOptions(
        new DescribeVpcsRequest({ regionId: api.region, pageNumber, pageSize }),
        runtime,
      ),
    );
    return { items: res.body?.vpcs?.vpc ?? [], totalCount: res.body?.totalCount ?? 0 };
  }, 3);

describe('clients against the simulator transport', () => {
  it('sign with a static AccessKey and page through every VPC', async () => {
    seen.length = 0;
    const { apis, counter } = apisFor(
      `  - { name: prod, accessKeyId: ${KEYS.prod.id}, accessKeySecret: ${KEYS.prod.secret}, regions: [cn-hangzhou, ap-northeast-1], endpoint: "SIM" }\n`,
    );
    for (const api of apis)
      expect((await allVpcs(api)).map((v) => v.vpcId)).toEqual(VPCS.map((v) => v.VpcId));
    expect(seen.map((r) => [r.account, r.regionId, r.params.PageNumber])).toEqual([
      ['prod', 'cn-hangzhou', '1'],
      ['prod', 'cn-hangzhou', '2'],
      ['prod', 'cn-hangzhou', '3'],
      ['prod', 'ap-northeast-1', '1'],
      ['prod', 'ap-northeast-1', '2'],
      ['prod', 'ap-northeast-1', '3'],
    ]);
    // Counted per account and region: which account and region the calls went to.
    expect(counter.snapshot()).toEqual([
      {
        account: 'prod',
        region: 'cn-hangzhou',
        product: 'vpc',
        action: 'DescribeVpcs',
        code: '200',
        count: 3,
      },
      {
        account: 'prod',
        region: 'ap-northeast-1',
        product: 'vpc',
        action: 'DescribeVpcs',
        code: '200',
        count: 3,
      },
    ]);
  });

  it('sign with an STS token', async () => {
    seen.length = 0;
    const { apis } = apisFor(
      `  - { name: sts, accessKeyId: ${KEYS.sts.id}, accessKeySecret: ${KEYS.sts.secret}, securityToken: ${KEYS.sts.token}, regions: [cn-shanghai], endpoint: "SIM" }\n`,
    );
    expect(await allVpcs(apis[0]!)).toHaveLength(7);
    expect(seen.every((r) => r.account === 'sts')).toBe(true);
  });

  it('use the default credential chain (environment variables) when the config has no AccessKey', async () => {
    const saved = { ...process.env };
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = KEYS.env.id;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = KEYS.env.secret;
    try {
      seen.length = 0;
      const { apis } = apisFor('  - { name: chain, regions: [cn-beijing], endpoint: "SIM" }\n');
      expect(await allVpcs(apis[0]!)).toHaveLength(7);
      expect(seen[0]?.account).toBe('env');
    } finally {
      process.env = saved;
    }
  });

  it('report a wrong secret as an auth error without retrying', async () => {
    seen.length = 0;
    const { apis, counter } = apisFor(
      `  - { name: prod, accessKeyId: ${KEYS.prod.id}, accessKeySecret: not-the-secret, regions: [cn-hangzhou], endpoint: "SIM" }\n`,
    );
    const err = await allVpcs(apis[0]!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ kind: 'auth', code: 'SignatureDoesNotMatch', attempts: 1 });
    expect(counter.total()).toBe(1);
    expect(seen).toHaveLength(0);
  });

  it('absorb a throttling burst injected by the simulator, with complete data', async () => {
    seen.length = 0;
    sim.resetCalls();
    sim.setFaults([{ kind: 'throttle', action: 'DescribeVpcs', count: 2 }]);
    try {
      const { apis, counter } = apisFor(
        `  - { name: prod, accessKeyId: ${KEYS.prod.id}, accessKeySecret: ${KEYS.prod.secret}, regions: [cn-hangzhou], endpoint: "SIM" }\n`,
      );
      expect(await allVpcs(apis[0]!)).toHaveLength(7);
      expect(counter.snapshot()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            product: 'vpc',
            action: 'DescribeVpcs',
            code: 'Throttling.User',
            count: 2,
          }),
          expect.objectContaining({ product: 'vpc', action: 'DescribeVpcs', code: '200', count: 3 }),
        ]),
      );
      expect(sim.calls().map((c) => c.code)).toEqual([
        'Throttling.User',
        'Throttling.User',
        '200',
        '200',
        '200',
      ]);
    } finally {
      sim.setFaults([]);
    }
  });
});
