// The strongSwan lab: real charon daemons in network namespaces (see README.md beside this file).
export {
  CONNECTION_NAME,
  GATEWAY_SUBNET,
  type IkeSettings,
  PEER_SUBNET,
  SIDES,
  type Side,
  type StrongswanSettings,
} from './config.js';
export {
  type InitiateResult,
  type Lab,
  type LabAddresses,
  LabError,
  type LabOptions,
  type LabSide,
  type SideOptions,
  startLab,
  sweepStaleLabs,
  type Topology,
} from './lab.js';
export { type RunOptions, runScenario, type ScenarioRun, scenarioNames, writeRun } from './run.js';
export {
  type Expectation,
  findScenario,
  type LabScenario,
  type Outcome,
  SCENARIOS,
  type Step,
} from './scenarios.js';
export { labUnavailableReason, strongswanVersion } from './system.js';
