// Moved below server/: the read interface is view/doctor-view.ts, its data model/history.ts and
// model/region-error.ts. This re-export keeps branches written before the move compiling for one
// round; nothing in the repository imports it, and test/docs/dependencies.test.ts refuses new
// imports of server/ from outside cli/ and daemon/.

export type { EventQuery, TrackerCounters, TrafficPoint } from '../model/history.js';
export type { ReportError } from '../model/region-error.js';
export type { ApiRequestCount, CollectStatus, CollectTier, DoctorView } from '../view/doctor-view.js';
