// `alivpn-doctor serve --config FILE`: the daemon. SIGTERM/SIGINT stop it cleanly (runs in flight
// finish or are abandoned after a grace period, then the store closes); SIGHUP reloads the config,
// keeping the old one when the new file is invalid.
import { loadConfig, resolveConfigPath } from '../../config/index.js';
import { type Daemon, loggerFor, startDaemon } from '../../daemon/runtime.js';
import { parse } from '../args.js';
import { EXIT_CONFIG, loadConfigOrReport } from '../config-arg.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { config: { type: 'string', short: 'c' } });
  const path = resolveConfigPath(values.config);
  const config = loadConfigOrReport(values.config);
  if (!config) return EXIT_CONFIG;

  let current = config;
  let daemon: Daemon = await startDaemon(current);
  const done = new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      daemon.logger.info({ signal }, 'stopping');
      void daemon.stop().then(() => resolve(0));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => void reload());
  });

  let reloading = false;
  async function reload(): Promise<void> {
    if (reloading) return;
    reloading = true;
    try {
      const next = loadConfig(path);
      daemon.logger.info({ path }, 'config reloaded; restarting collection with it');
      await daemon.stop();
      try {
        daemon = await startDaemon(next);
        current = next;
      } catch (err) {
        // A valid file that cannot start (port taken, store unopenable): back to the running config.
        daemon = await startDaemon(current);
        throw err;
      }
    } catch (err) {
      // Keep running on the old config and say why.
      const log = daemon?.logger ?? loggerFor(current);
      log.error({ path }, `config reload rejected, keeping the running config: ${(err as Error).message}`);
    } finally {
      reloading = false;
    }
  }

  return done;
}
