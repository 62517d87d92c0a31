// Every VPN operation of VPC 2016-04-28 the simulator answers.
import type { HandlerTable } from './index.js';

export const vpnHandlers: HandlerTable = {};
