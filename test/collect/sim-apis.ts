// RegionApis (C's real cloud layer) for every account × region of a running test simulator.
import { InMemoryApiCallCounter } from '../../src/cloud/counter.js';
import { createRegionApis } from '../../src/cloud/region-api.js';
import type { RegionApi } from '../../src/cloud/types.js';
import { parseConfig } from '../../src/config/index.js';
import type { TestSimulator } from '../support/sim.js';

export function simRegionApis(t: TestSimulator): { apis: RegionApi[]; counter: InMemoryApiCallCounter } {
  const lines = ['api: { retries: { max: 2, baseDelayMs: 1, maxDelayMs: 5 } }', 'accounts:'];
  for (const account of t.world.accounts) {
    const key = t.keys.find((k) => k.account === account.name);
    if (!key) throw new Error(`no AccessKey for account ${account.name}`);
    lines.push(
      `  - name: ${account.name}`,
      `    accessKeyId: ${key.accessKeyId}`,
      `    accessKeySecret: ${key.accessKeySecret}`,
      ...(key.securityToken ? [`    securityToken: ${key.securityToken}`] : []),
      `    regions: [${account.regions.map((r) => r.id).join(', ')}]`,
      `    endpoint: "${t.url}"`,
    );
  }
  const counter = new InMemoryApiCallCounter();
  const apis = createRegionApis(parseConfig(lines.join('\n'), 'sim-test.yaml', {}), {
    counter,
    sleep: async () => {},
  });
  return { apis, counter };
}
