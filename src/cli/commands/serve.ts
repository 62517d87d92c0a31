// `alivpn-doctor serve --config FILE`: the daemon. SIGTERM/SIGINT stop it cleanly (runs in flight
// finish or are abandoned after a grace period, then the store closes); SIGHUP reloads the config,
// keeping the old one when the new file is invalid. The listener is kept across a reload (requests
// wait while the app is swapped), unless the reloaded config moves it to another address.
import { type AppConfig, loadConfig, resolveConfigPath } from '../../config/index.js';
import { Front } from '../../daemon/front.js';
import { type Daemon, loggerFor, parseListen, startDaemon } from '../../daemon/runtime.js';
import { VERSION } from '../../version.js';
import { parse } from '../args.js';
import { EXIT_CONFIG, loadConfigOrReport } from '../config-arg.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { config: { type: 'string', short: 'c' } });
  const path = resolveConfigPath(values.config);
  const config = loadConfigOrReport(values.config);
  if (!config) return EXIT_CONFIG;

  const listen = async (c: AppConfig): Promise<Front> => {
    const front = new Front();
    await front.listen(parseListen(c.server.listen), loggerFor(c), {
      version: VERSION,
      accounts: c.accounts.map((a) => a.name),
      hasToken: Boolean(c.server.authToken),
    });
    return front;
  };
  let current = config;
  let front = await listen(current);
  let daemon: Daemon;
  try {
    daemon = await startDaemon(current, { front });
  } catch (err) {
    await front.close();
    throw err;
  }
  const done = new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      daemon.logger.info({ signal }, 'stopping');
      void daemon
        .stop()
        .then(() => front.close())
        .then(() => resolve(0));
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
      // Another address: listen there first (a taken port rejects the reload with nothing stopped).
      const moved = next.server.listen !== current.server.listen;
      const nextFront = moved ? await listen(next) : front;
      daemon.logger.info({ path }, 'config reloaded; restarting collection with it');
      front.hold();
      await daemon.stop();
      try {
        daemon = await startDaemon(next, { front: nextFront });
        current = next;
        if (moved) {
          await front.close();
          front = nextFront;
        }
      } catch (err) {
        // A valid file that cannot start (store unopenable): back to the running config.
        if (moved) await nextFront.close();
        daemon = await startDaemon(current, { front });
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
