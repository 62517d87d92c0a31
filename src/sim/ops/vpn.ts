// Every VPN operation of VPC 2016-04-28 the simulator answers.
import type { HandlerTable } from './index.js';
import { vpnConnectionHandlers } from './vpn-connections.js';
import { vpnDiagnoseHandlers } from './vpn-diagnose.js';
import { vpnGatewayHandlers } from './vpn-gateways.js';
import { vpnLogHandlers } from './vpn-logs.js';
import { vpnRouteHandlers } from './vpn-routes.js';

export const vpnHandlers: HandlerTable = {
  ...vpnGatewayHandlers,
  ...vpnConnectionHandlers,
  ...vpnLogHandlers,
  ...vpnDiagnoseHandlers,
  ...vpnRouteHandlers,
};
