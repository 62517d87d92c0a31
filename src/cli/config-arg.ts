// Loads the config named by --config (or $ALIVPN_CONFIG) and prints a ConfigError the way a person
// can act on: every problem with its file, field path and line. Without either, it says so and how
// to give one, instead of a bare "./config.yaml: file not found". Warnings (e.g. a region id this
// release does not list) go to stderr; the config is used.
import { existsSync } from 'node:fs';
import {
  type AppConfig,
  CONFIG_ENV_VAR,
  ConfigError,
  configWarnings,
  DEFAULT_CONFIG_PATH,
  type LoadOptions,
  loadConfig,
  resolveConfigPath,
} from '../config/index.js';

/** EX_CONFIG from sysexits.h: the config is wrong, retrying will not help. */
export const EXIT_CONFIG = 78;

export function noConfigMessage(): string | undefined {
  if (process.env[CONFIG_ENV_VAR] || existsSync(DEFAULT_CONFIG_PATH)) return undefined;
  return [
    `no config given: pass --config FILE, or set ${CONFIG_ENV_VAR}=FILE (${DEFAULT_CONFIG_PATH} does not exist in ${process.cwd()}).`,
    'config/example.yaml in the package is a commented starting point; `alivpn-doctor demo` runs without one.',
  ].join('\n');
}

export function loadConfigOrReport(explicit: string | undefined, opts: LoadOptions = {}): AppConfig | null {
  if (!explicit) {
    const missing = noConfigMessage();
    if (missing) {
      process.stderr.write(`${missing}\n`);
      return null;
    }
  }
  const path = resolveConfigPath(explicit);
  try {
    const config = loadConfig(path, process.env, opts);
    for (const w of configWarnings(config)) process.stderr.write(`${path}: warning: ${w}\n`);
    return config;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return null;
    }
    throw err;
  }
}
