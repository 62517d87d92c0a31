// Dispatch table: product → action → handler. Each handler answers one operation in Alibaba's
// PascalCase wire shape (the transport adds RequestId) or throws SimApiError. To add operations,
// spread another module's table into the product's entry.
import type { SimProduct, SimRequest } from '../protocol.js';
import type { WorldState } from '../world/types.js';
import { cmsHandlers } from './cms.js';
import { ecsHandlers } from './ecs.js';
import { networkHandlers } from './network.js';
import { vpnHandlers } from './vpn.js';

export type Handler = (world: WorldState, req: SimRequest, now: number) => Record<string, unknown>;
export type HandlerTable = Record<string, Handler>;

export const handlers: Record<SimProduct, HandlerTable> = {
  vpc: { ...vpnHandlers, ...networkHandlers },
  ecs: { ...ecsHandlers },
  cms: { ...cmsHandlers },
};
