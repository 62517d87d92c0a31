export { ConfigError, formatProblem, type LocatedProblem } from './errors.js';
export {
  CONFIG_ENV_VAR,
  configJsonSchema,
  DEFAULT_CONFIG_PATH,
  type LoadOptions,
  loadConfig,
  parseConfig,
  resolveConfigPath,
} from './load.js';
export { isKnownRegion, KNOWN_REGION_IDS, regionVerdict, suggestRegion } from './regions.js';
export type { AccountConfig, ApiConfig, AppConfig } from './schema.js';
export { configSchema, DEFAULT_RUNBOOK_BASE_URL } from './schema.js';
export { configWarnings } from './warnings.js';
