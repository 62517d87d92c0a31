// The egress table of docs/real-account.md against the hosts the real SDK clients resolve, through
// the daemon's own client construction: one row per region this release knows, each host equal to
// what a call would go to. A new SDK version that moves an endpoint fails here, not in a firewall.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegionClients, credentialFor } from '../../src/cloud/clients.js';
import { KNOWN_REGION_IDS, parseConfig } from '../../src/config/index.js';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'real-account.md'), 'utf8');

describe('docs/real-account.md egress', () => {
  it('lists, for every known region, the VPC, ECS and CloudMonitor hosts the SDK calls', () => {
    const rows = new Map<string, string[]>();
    for (const m of DOC.matchAll(/^\| `([a-z0-9-]+)` \| `([^`]+)` \| `([^`]+)` \| `([^`]+)` \|$/gm))
      rows.set(m[1]!, [m[2]!, m[3]!, m[4]!]);
    expect([...rows.keys()]).toEqual([...KNOWN_REGION_IDS]);
    const config = parseConfig(
      `accounts:\n  - name: prod\n    accessKeyId: AKID\n    accessKeySecret: s\n    regions: [cn-hangzhou]\n`,
      'c.yaml',
      {},
    );
    const account = config.accounts[0]!;
    const credential = credentialFor(account);
    for (const region of KNOWN_REGION_IDS) {
      const clients = createRegionClients(account, region, config.api, credential);
      const hosts = [clients.vpc, clients.ecs, clients.cms].map(
        (c) => (c as unknown as { _endpoint: string })._endpoint,
      );
      expect([region, ...hosts]).toEqual([region, ...rows.get(region)!]);
    }
    // Regions launched after this release follow the documented pattern.
    for (const region of ['ap-southeast-8', 'eu-central-2', 'sa-east-1']) {
      const clients = createRegionClients(account, region, config.api, credential);
      const hosts = [clients.vpc, clients.ecs, clients.cms].map(
        (c) => (c as unknown as { _endpoint: string })._endpoint,
      );
      expect(hosts.slice(0, 2)).toEqual([`vpc.${region}.aliyuncs.com`, `ecs.${region}.aliyuncs.com`]);
      expect([`metrics.${region}.aliyuncs.com`, `cms.${region}.aliyuncs.com`]).toContain(hosts[2]);
    }
  });

  it('names the port, the credential-chain hosts and the pattern for regions not listed', () => {
    expect(DOC).toContain('TCP 443');
    expect(DOC).toContain('100.100.100.200');
    expect(DOC).toContain('sts.aliyuncs.com');
    for (const pattern of ['vpc', 'ecs', 'metrics', 'cms'])
      expect(DOC).toContain(`\`${pattern}.<region>.aliyuncs.com\``);
  });
});
