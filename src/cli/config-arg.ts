// Loads the config named by --config (or $ALIVPN_CONFIG) and prints a ConfigError the way a person
// can act on: every problem with its file, field path and line.
import { type AppConfig, ConfigError, loadConfig, resolveConfigPath } from '../config/index.js';

/** EX_CONFIG from sysexits.h: the config is wrong, retrying will not help. */
export const EXIT_CONFIG = 78;

export function loadConfigOrReport(path: string | undefined): AppConfig | null {
  try {
    return loadConfig(resolveConfigPath(path));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return null;
    }
    throw err;
  }
}
