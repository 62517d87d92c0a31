export { collectEvidence, type EvidenceOptions, type EvidenceTarget } from './evidence.js';
export {
  applyUpdate,
  emptyRegion,
  mergeRegionSnapshot,
  type RegionUpdate,
  regionKey,
  withRegion,
} from './merge.js';
export { collectStatus, STATUS_PAGE_SIZE, type StatusFilter } from './status.js';
export { evidenceTargets, type TargetOptions, type TunnelMemory } from './targets.js';
export { collectTopology } from './topology.js';
export { collectTraffic, RX_METRIC, TRAFFIC_NAMESPACE, TX_METRIC } from './traffic.js';
