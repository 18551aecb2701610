import type { FastifyBaseLogger } from 'fastify';
import { buildApp } from './app.ts';
import { startBackgroundWork } from './background.ts';
import { printBanner } from './cli/banner.ts';
import { assertProductionDrivers, ConfigError, driversOf, loadConfig } from './config.ts';
import { type FirstStart, prepareNewDataDir } from './db/first-start.ts';
import { bookingProviderFor } from './providers/shipping/index.ts';
import { openRuntime } from './runtime.ts';
import { ensureDemoOnEmpty, findDemo, importBundledPostalCodes, logBundledPostalCodes } from './seed/demo.ts';

/** Process entry: config -> database (migrated) -> app.listen, and a graceful stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  assertProductionDrivers(config);
  const firstStart = await prepareNewDataDir(config);
  const runtime = await openRuntime(config);
  let draining = false;
  const app = await buildApp(
    { config, database: runtime.database, keys: runtime.keys, rateLimit: runtime.rateLimit },
    { isDraining: () => draining },
  );
  // The embedded database admits one process; commands and workers reach it through this socket.
  const socket = await runtime.database.serveSocket?.({
    onError: (err) => app.log.error({ err }, 'a client of the database socket failed'),
  });
  const demo = config.seedDemoOnEmpty
    ? await ensureDemoOnEmpty(runtime.database.db, config, runtime.keys)
    : null;
  if (firstStart) logFirstStart(app.log, firstStart);
  if (demo) logBundledPostalCodes(app.log, await importBundledPostalCodes(runtime.database.db));
  const stopBackgroundWork = startBackgroundWork(runtime, app.log, {
    booking: bookingProviderFor(app.deps),
    payouts: app.deps.payouts,
  });
  const banner = {
    demo: await findDemo(runtime.database.db),
    created: demo,
    database: runtime.database.describe,
    socket: socket?.path ?? null,
  };
  await app.listen({ port: config.port, host: config.host });
  // Before "Nexus is ready": whoever waits for that line (a supervisor, the tests) has the banner too.
  printBanner(config, banner);
  const drivers = driversOf(config);
  app.log.info(
    {
      database: runtime.database.describe,
      ...(socket ? { database_socket: socket.path } : {}),
      redis: Boolean(config.redisUrl),
      drivers,
    },
    'Nexus is ready',
  );
  const sandboxed = Object.entries(drivers).filter(([, driver]) => driver === 'sandbox');
  if (sandboxed.length > 0) {
    app.log.warn(
      { sandbox: sandboxed.map(([kind]) => kind) },
      'sandbox drivers in use: nothing is really paid, shipped, sent or relayed for these',
    );
  }

  const stop = async (signal: string) => {
    if (draining) return;
    draining = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      app.log.error('in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownGraceSeconds * 1000);
    timer.unref();
    try {
      await app.close();
      await stopBackgroundWork();
      await runtime.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function logFirstStart(log: FastifyBaseLogger, firstStart: FirstStart): void {
  if (!firstStart.prepared) {
    log.warn(
      { child_pid: firstStart.child_pid, error: firstStart.error },
      'preparing the new embedded database in a separate process failed; the server prepared it itself',
    );
    return;
  }
  const { prepared: _, postal_codes: postalCodes, ...fields } = firstStart;
  log.info(fields, 'prepared the new embedded database in a separate process');
  if (postalCodes) logBundledPostalCodes(log, postalCodes);
}

main().catch((error: unknown) => {
  // Start-up failures are one readable line, not a stack trace.
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`nexus: ${message}\n`);
  process.exit(1);
});
