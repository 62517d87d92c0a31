// The simulated cloud side of the peer tests: one account `prod` in cn-hangzhou, one VPN gateway
// whose internet IP is the lab's gateway namespace and one customer gateway at the lab's on-prem
// side, so tunnel 1 of every connection is the lab's IPsec pair. Written as the YAML a user writes.
import { writeFileSync } from 'node:fs';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

export const SIM_KEY = { id: 'LTAI5tSimFake000000001', secret: 'SimFakeSecretDoNotUse000000001' };

export interface LabWorld {
  name: string;
  description: string;
  /** Gateway ids are `vpn-bp1<ids>` and `cgw-bp1<ids>`. */
  ids: string;
  /** The lab's addresses (`lab.addresses`). */
  addresses: { gateway: string; peer: string };
  /** Connections on that gateway; `gateway` and `customerGateway` are filled in. */
  connections: Array<{ id: string } & Record<string, unknown>>;
}

export function labWorldYaml(w: LabWorld): string {
  const gateway = `vpn-bp1${w.ids}`;
  const customerGateway = `cgw-bp1${w.ids}`;
  const connections = w.connections.map(
    ({ id, ...rest }) => `          - ${JSON.stringify({ id, gateway, customerGateway, ...rest })}`,
  );
  return `name: ${w.name}
description: "${w.description}"
accounts:
  - name: prod
    accessKeys: [{ id: ${SIM_KEY.id}, secret: ${SIM_KEY.secret} }]
    regions:
      cn-hangzhou:
        gateways:
          - { id: ${gateway}, internetIp: ${w.addresses.gateway}, disasterRecoveryInternetIp: 198.18.9.9 }
        customerGateways:
          - { id: ${customerGateway}, ip: ${w.addresses.peer} }
        connections:
${connections.join('\n')}
`;
}

/** Write the world to `path` and start a simulator on it (real time). */
export function startLabWorld(path: string, w: LabWorld): Promise<TestSimulator> {
  writeFileSync(path, labWorldYaml(w));
  return startTestSimulator({ scenario: path, clock: 'real' });
}

/** A config for the simulator's `prod` account, store in memory; `extra` is appended YAML. */
export function simAccountConfig(sim: TestSimulator, extra = ''): string {
  return `storage: { path: ":memory:" }
accounts:
  - name: prod
    accessKeyId: ${SIM_KEY.id}
    accessKeySecret: ${SIM_KEY.secret}
    regions: [cn-hangzhou]
    endpoint: ${sim.url}
${extra}`;
}
