export type { StoredFinding, SyncResult } from './findings.js';
export { openStore, type PruneResult, type Store, type StoreOptions } from './store.js';
export {
  advanceBaseline,
  DEFAULT_FLAP_THRESHOLD,
  DEFAULT_FLAP_WINDOW_MS,
  phaseReached,
  STATE_CHANGE_KINDS,
  type TrackHistory,
  track,
} from './tracker.js';
